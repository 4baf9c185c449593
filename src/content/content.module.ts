import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { MongoConfig, mongoConfig } from '../config/configuration';
import { ContentController } from './content.controller';
import { Content, ContentSchema } from './content.schema';
import { ContentService } from './content.service';
import { MongoConnectionKeeper, mongooseModuleOptions } from './mongo-connection';
import { ContentUserDeletedListener } from './user-deleted.listener';

/**
 * Contract section 4: documents in MongoDB, mounted only when MONGODB_URI is set (see
 * content-module-switch.ts, which loads this file only then).
 */
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
export class ContentModule {}
