import { forwardRef, ForwardReference, Logger, Module, OnModuleInit, Type } from '@nestjs/common';
import { validateEnvironment } from '../config/environment';

/**
 * The injection token of the default Mongoose connection, as `getConnectionToken()` of
 * @nestjs/mongoose names it, for code that must not load Mongoose to look for it (/health).
 */
export const MONGOOSE_CONNECTION = 'DatabaseConnection';

/** Whether the content store is configured in the (validated) environment. */
export function isContentStoreConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return validateEnvironment(env).MONGODB_URI !== undefined;
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

/**
 * The content module when MONGODB_URI is set, else a module with no routes and no connection.
 * `AppModule`'s imports are evaluated once, when its file is first loaded, but a forward
 * reference is resolved when Nest scans the module graph: so the choice follows the environment
 * of each app being created (main.ts, or a test that sets MONGODB_URI). The content module's
 * file is loaded only then: Mongoose and the MongoDB driver weigh ~30 MiB of memory and a few
 * hundred milliseconds of startup that a server without MongoDB does not need.
 */
export function contentModuleIfConfigured(): ForwardReference {
  return forwardRef(() => (isContentStoreConfigured() ? loadContentModule() : ContentModuleOff));
}

function loadContentModule(): Type<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  return (require('./content.module') as typeof import('./content.module')).ContentModule;
}
