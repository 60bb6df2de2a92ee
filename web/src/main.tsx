import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App as AntApp, ConfigProvider } from 'antd';
import viVN from 'antd/locale/vi_VN';
import enGB from 'antd/locale/en_GB';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { setApiLanguage } from './api';
import { I18nContext, initialLang, makeI18n, rememberLang, type Lang } from './i18n';
import { SessionProvider } from './session';
import { AppRoutes } from './routes';
import './app.css';

// AA contrast: antd's secondary and tertiary text and its blue links are too light on white
const THEME = {
  token: {
    colorPrimary: '#a8071a',
    colorLink: '#a8071a',
    colorError: '#cf1322',
    colorSuccess: '#237804',
    colorWarning: '#874d00',
    borderRadius: 4,
    colorTextSecondary: 'rgba(0,0,0,0.7)',
    colorTextTertiary: 'rgba(0,0,0,0.65)',
    colorTextDescription: 'rgba(0,0,0,0.65)',
    colorTextQuaternary: 'rgba(0,0,0,0.6)',
    colorTextPlaceholder: 'rgba(0,0,0,0.6)',
    colorTextDisabled: 'rgba(0,0,0,0.6)',
  },
};

function Root() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const i18n = useMemo(() => {
    setApiLanguage(lang);
    dayjs.locale(lang === 'vi' ? 'vi' : 'en');
    document.documentElement.lang = lang;
    return makeI18n(lang, (next) => {
      rememberLang(next);
      setLangState(next);
    });
  }, [lang]);
  return (
    <I18nContext.Provider value={i18n}>
      <ConfigProvider locale={lang === 'vi' ? viVN : enGB} theme={THEME}>
        <AntApp>
          <SessionProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </SessionProvider>
        </AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
