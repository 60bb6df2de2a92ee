import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { mountQueueDashboard } from './identity/queue-dashboard';
import { AppConfig, hasRole } from './platform/config/app-config';
import { useBodyParsers, useSecurityHeaders } from './platform/http/security';
import { documentErrorResponses } from './platform/http/openapi-errors';
import { apiValidationPipe } from './platform/http/validation';
import { ApiExceptionFilter } from './platform/http/api-errors';

/** Builds the application for the configured roles; listens on HTTP only with the api role. */
export async function createApp(config: AppConfig, options: { listen?: boolean } = {}): Promise<INestApplication> {
  // body parsers are added below, after the queue dashboard (which authenticates before reading any body)
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  // order matters: headers on every answer, then the dashboard, then bounded bodies for the API
  // client addresses (sign-in limits) come from X-Forwarded-For only through proxies we were told to trust
  app.set('trust proxy', config.TRUST_PROXY);
  useSecurityHeaders(app);
  if (hasRole(config, 'api')) mountQueueDashboard(app);
  useBodyParsers(app, config.HTTP_BODY_LIMIT_KB);
  app.useGlobalPipes(apiValidationPipe());
  // one error shape for every answer, in the caller's language (Accept-Language: vi)
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  const document = documentErrorResponses(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('PAR Evidence Hub')
        .setDescription('Connectors, raw archive, evidence and scoring for the PAR INDEX. Credentials are write-only.')
        .setVersion('0.1.0')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'a token from POST /auth/login, or an API key' })
        .addSecurityRequirements('bearer')
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  if (options.listen !== false && hasRole(config, 'api')) {
    await app.listen(config.PORT, config.HOST);
  } else {
    await app.init();
  }
  return app;
}
