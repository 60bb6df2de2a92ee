import 'reflect-metadata';
import { createApp } from './bootstrap';
import { ConfigValidationError, loadConfig } from './platform/config/app-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createApp(config);
  const shutdown = () => {
    // Nest's shutdown hooks stop the workers (current jobs finish or are released), then close connections
    setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + 5000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  if (!config.APP_ROLE.includes('api') && !config.APP_ROLE.includes('all')) {
    process.stdout.write(JSON.stringify({ level: 30, msg: `started with roles ${config.APP_ROLE.join(',')}` }) + '\n');
  }
  void app;
}

main().catch((error) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
