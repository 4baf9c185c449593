import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
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
  providers: [ReadReplicas, ReadRouting, { provide: APP_INTERCEPTOR, useExisting: ReadRouting }],
  exports: [ReadReplicas, ReadRouting],
})
export class DatabaseModule {}
