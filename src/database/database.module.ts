import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig, DatabaseConfig } from '../config/configuration';
import { resolveDataSourceOptions } from './data-source-options';

@Module({
  imports: [
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
})
export class DatabaseModule {}
