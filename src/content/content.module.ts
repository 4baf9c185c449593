import { forwardRef, ForwardReference, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { MongoConfig, mongoConfig } from '../config/configuration';
import { validateEnvironment } from '../config/environment';
import { ContentController } from './content.controller';
import { Content, ContentSchema } from './content.schema';
import { ContentService } from './content.service';
import { MongoConnectionKeeper, mongooseModuleOptions } from './mongo-connection';
import { ContentUserDeletedListener } from './user-deleted.listener';

/** Whether the content store is configured in the (validated) environment. */
export function isContentStoreConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return validateEnvironment(env).MONGODB_URI !== undefined;
}

/** Contract section 4: documents in MongoDB, mounted only when MONGODB_URI is set. */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      imports: [ConfigModule.forFeature(mongoConfig)],
      inject: [mongoConfig.KEY],
      useFactory: (config: MongoConfig) => mongooseModuleOptions(config),
    }),
    MongooseModule.forFeature([{ name: Content.name, schema: ContentSchema }]),
    ConfigModule.forFeature(mongoConfig),
  ],
  controllers: [ContentController],
  providers: [ContentService, ContentUserDeletedListener, MongoConnectionKeeper],
})
export class ContentModule {
  /**
   * The content module when MONGODB_URI is set, else a module with no routes and no
   * connection. `AppModule`'s imports are evaluated once, when its file is first loaded, but a
   * forward reference is resolved when Nest scans the module graph: so the choice follows the
   * environment of each app being created (main.ts, or a test that sets MONGODB_URI).
   */
  static registerIfConfigured(): ForwardReference {
    return forwardRef(() => (isContentStoreConfigured() ? ContentModule : ContentModuleOff));
  }
}

/** Stands in for the content module when MongoDB is not configured. */
@Module({})
export class ContentModuleOff implements OnModuleInit {
  onModuleInit(): void {
    new Logger('ContentModule').log(
      'MONGODB_URI is not set: the content module is off (no /content routes, no MongoDB connection)',
    );
  }
}
