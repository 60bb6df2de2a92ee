import type { Lang } from './i18n';

/** A scoring rule as configured in a catalogue (see config/scoring/README.md). */
export interface RuleConfig {
  type: string;
  metric?: string;
  threshold?: number;
  divisor?: number;
  bands?: Array<{ min: number; max?: number; points: number }>;
  terms?: Array<{ name: string; metric: string; weight: number; cap?: number }>;
  zeroDenominator?: 'no_data' | 'full' | 'zero';
}

/**
 * The rule in plain words, one sentence per line, in the user's language. `fmt` formats numbers for the locale;
 * ratios are shown as percentages.
 */
export function explainRule(rule: RuleConfig, maxPoints: number, lang: Lang, fmt: (n: number) => string): string[] {
  const pct = (r: number | undefined) => `${fmt((r ?? 0) * 100)}%`;
  const m = rule.metric ?? '';
  const vi = lang === 'vi';
  const lines: string[] = [];
  switch (rule.type) {
    case 'linear':
      lines.push(vi ? `Điểm = ${fmt(maxPoints)} × tỷ lệ của chỉ số ${m} (tử số / mẫu số).` : `Points = ${fmt(maxPoints)} × the ratio of metric ${m} (numerator / denominator).`);
      break;
    case 'threshold':
      lines.push(
        vi
          ? `Đạt đủ ${fmt(maxPoints)} điểm khi tỷ lệ ${m} từ ${pct(rule.threshold)} trở lên; dưới ngưỡng, điểm = ${fmt(maxPoints)} × tỷ lệ / ${pct(rule.threshold)}.`
          : `Full ${fmt(maxPoints)} points when the ratio of ${m} reaches ${pct(rule.threshold)}; below it, points = ${fmt(maxPoints)} × ratio / ${pct(rule.threshold)}.`,
      );
      break;
    case 'all_or_nothing':
      lines.push(
        vi
          ? `Đạt ${fmt(maxPoints)} điểm khi tỷ lệ ${m} từ ${pct(rule.threshold)} trở lên, nếu không thì 0 điểm.`
          : `${fmt(maxPoints)} points when the ratio of ${m} reaches ${pct(rule.threshold)}, otherwise 0.`,
      );
      break;
    case 'capped':
      lines.push(
        vi
          ? `Điểm = ${fmt(maxPoints)} × tỷ lệ ${m} / ${pct(rule.divisor)}, tối đa ${fmt(maxPoints)} điểm.`
          : `Points = ${fmt(maxPoints)} × ratio of ${m} / ${pct(rule.divisor)}, at most ${fmt(maxPoints)}.`,
      );
      break;
    case 'bands':
      lines.push(vi ? `Điểm theo khoảng tỷ lệ của chỉ số ${m}:` : `Points by range of the ratio of ${m}:`);
      for (const b of rule.bands ?? []) {
        const range = b.max === undefined ? (vi ? `từ ${pct(b.min)} trở lên` : `${pct(b.min)} or more`) : vi ? `từ ${pct(b.min)} đến dưới ${pct(b.max)}` : `from ${pct(b.min)} to under ${pct(b.max)}`;
        lines.push(`• ${range}: ${fmt(Math.min(b.points, maxPoints))} ${vi ? 'điểm' : 'points'}`);
      }
      break;
    case 'weighted_sum':
      lines.push(vi ? `Tổng các thành phần, tối đa ${fmt(maxPoints)} điểm:` : `Sum of the terms, at most ${fmt(maxPoints)} points:`);
      for (const term of rule.terms ?? []) {
        const cap = term.cap !== undefined ? (vi ? `, tối đa ${fmt(term.cap)}` : `, at most ${fmt(term.cap)}`) : '';
        lines.push(`• ${term.name}: ${fmt(term.weight)} × ${vi ? 'tỷ lệ' : 'ratio of'} ${term.metric}${cap}`);
      }
      break;
    case 'boolean':
      lines.push(vi ? `Đạt ${fmt(maxPoints)} điểm nếu chỉ số ${m} có (khác 0), ngược lại 0 điểm.` : `${fmt(maxPoints)} points if metric ${m} is present (non-zero), otherwise 0.`);
      break;
    default:
      lines.push(vi ? `Quy tắc loại ${rule.type}.` : `Rule of type ${rule.type}.`);
  }
  const policy = rule.zeroDenominator ?? 'no_data';
  lines.push(
    vi
      ? {
          no_data: 'Khi mẫu số bằng 0 hoặc thiếu dữ liệu: không chấm điểm (thiếu dữ liệu không phải là 0 điểm).',
          full: 'Khi mẫu số bằng 0 (không có gì phải đếm): được điểm tối đa.',
          zero: 'Khi mẫu số bằng 0: 0 điểm.',
        }[policy]
      : {
          no_data: 'With a zero denominator or no data: not scored (missing is not zero).',
          full: 'With a zero denominator (nothing to count): full points.',
          zero: 'With a zero denominator: 0 points.',
        }[policy],
  );
  return lines;
}
