import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AuthModule } from './auth/auth.module';
import { LoggingModule } from './common/logging';
import { appConfig, authConfig, databaseConfig } from './config/configuration';
import { validateEnvironment } from './config/environment';
import { contentModuleIfConfigured } from './content/content-module-switch';
import { DatabaseModule, replicaReadsIfConfigured } from './database/database.module';
import { HealthModule } from './health/health.module';
import { PostsModule } from './posts/posts.module';
import { RateLimitingModule } from './rate-limiting/rate-limiting.module';
import { TagsModule } from './tags/tags.module';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      load: [appConfig, databaseConfig, authConfig],
      // Fails the boot with a message naming the bad variable; the typed values come from `load`.
      validate: (raw) => {
        validateEnvironment(raw);
        return raw;
      },
    }),
    LoggingModule,
    EventEmitterModule.forRoot(),
    RateLimitingModule,
    DatabaseModule,
    replicaReadsIfConfigured(),
    UsersModule,
    AuthModule,
    HealthModule,
    PostsModule,
    TagsModule,
    contentModuleIfConfigured(),
  ],
})
export class AppModule {}
