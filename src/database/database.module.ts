import { forwardRef, ForwardReference, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { validateEnvironment } from '../config/environment';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig, DatabaseConfig } from '../config/configuration';
import { resolveDataSourceOptions } from './data-source-options';
import { ReadReplicas, ReadRouting } from './read-replicas';

/**
 * The relational connection (the primary, and with DATABASE_READ_URLS its read replicas), and
 * the routing of GET requests' reads to a replica, which every domain's services read through.
 */
@Global()
@Module({
  imports: [
    ConfigModule.forFeature(databaseConfig),
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule.forFeature(databaseConfig)],
      inject: [databaseConfig.KEY],
      useFactory: async (config: DatabaseConfig) => ({
        ...(await resolveDataSourceOptions(config)),
        // Fail fast at startup instead of retrying for half a minute with a misconfigured URL.
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [ReadReplicas, ReadRouting],
  exports: [ReadReplicas, ReadRouting],
})
export class DatabaseModule {}

/** ReadRouting as the global interceptor that gives each GET request its replica. */
@Module({ providers: [{ provide: APP_INTERCEPTOR, useExisting: ReadRouting }] })
class ReplicaReadsModule {}

@Module({})
class PrimaryOnlyModule {}

/**
 * The routing of reads to replicas when DATABASE_READ_URLS is set; nothing otherwise, so that a
 * single database costs no interceptor on every request. A forward reference, resolved when Nest
 * scans the modules: it follows the environment of each app being created (see
 * content-module-switch.ts).
 */
export function replicaReadsIfConfigured(): ForwardReference {
  return forwardRef(() =>
    validateEnvironment(process.env).DATABASE_READ_URLS ? ReplicaReadsModule : PrimaryOnlyModule,
  );
}
