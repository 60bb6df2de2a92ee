import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Response } from 'express';
import { join } from 'node:path';

/** Where `npm run build:web` writes the web app (the same from src/web and from the compiled dist/web). */
export const WEB_DIST_DIR = join(__dirname, '..', '..', 'web', 'dist');

/**
 * The web app (web/, a single-page app) served by the service itself: its files at `/` (`/index.html`,
 * `/assets/*`) and its pages under `/app/*`, which all answer index.html. API routes are registered before these
 * and no API route starts with `/app`, so the app never shadows the API, `/docs`, `/admin/queues` or `/health`;
 * an unknown API path still answers the API's 404. Hashed assets are cached for a year, index.html never.
 */
@Module({
  imports: [
    ServeStaticModule.forRoot({
      rootPath: WEB_DIST_DIR,
      renderPath: '/app{/*path}',
      serveStaticOptions: {
        index: 'index.html',
        fallthrough: true,
        redirect: false,
        setHeaders: (response: Response, path: string) => {
          response.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      },
    }),
  ],
})
export class WebModule {}
