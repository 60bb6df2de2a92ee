import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig, hasRole } from './platform/config/app-config';
import { apiValidationPipe } from './platform/http/validation';

/** Builds the application for the configured roles; listens on HTTP only with the api role. */
export async function createApp(config: AppConfig, options: { listen?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.useGlobalPipes(apiValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('PAR Evidence Hub')
      .setDescription('Connectors, raw archive, evidence and scoring for the PAR INDEX. Credentials are write-only.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  if (options.listen !== false && hasRole(config, 'api')) {
    await app.listen(config.PORT, config.HOST);
  } else {
    await app.init();
  }
  return app;
}
