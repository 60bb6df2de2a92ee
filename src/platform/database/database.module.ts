import { Global, Inject, Module } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './migrate';
import { isDatabaseUnreachable } from './database-errors';

export const PG_POOL = Symbol('PG_POOL');
export const InjectPool = (): ParameterDecorator => Inject(PG_POOL);

/** One pool for TypeORM and for the bulk paths (COPY, multi-row upserts) that talk to pg directly. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        // replicas starting together: one creates the database and migrates, the others wait (advisory locks)
        if (config.MIGRATIONS_RUN) await runMigrations(config.DATABASE_URL);
        return { ...dataSourceOptions(config), autoLoadEntities: true, migrationsRun: false };
      },
    }),
  ],
  providers: [
    {
      provide: PG_POOL,
      inject: [getDataSourceToken()],
      useFactory: (ds: DataSource): Pool => (ds.driver as PostgresDriver).master as Pool,
    },
  ],
  exports: [PG_POOL],
})
export class DatabaseModule {}

/**
 * Runs `work` in a transaction on a pooled client. A client whose connection broke is discarded, not pooled
 * again; a connection dropped between two statements surfaces as the transaction's error, not as a crash.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (isDatabaseUnreachable(error)) broken ??= error as Error;
    else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
