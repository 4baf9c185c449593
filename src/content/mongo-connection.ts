import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnModuleInit,
} from '@nestjs/common';
import { InjectConnection, MongooseModuleFactoryOptions } from '@nestjs/mongoose';
import mongoose, { ConnectOptions, Connection } from 'mongoose';
import { MongoConfig, mongoConfig } from '../config/configuration';
import { InvalidEnvironmentError } from '../config/environment';

export const RECONNECT_DELAY_MS = 5000;

function driverOptions(config: MongoConfig): ConnectOptions {
  return {
    maxPoolSize: config.poolSize,
    serverSelectionTimeoutMS: config.serverSelectionTimeoutMs,
  };
}

/** Driver options plus Mongoose's own `bufferTimeoutMS` (which its typings leave out). */
function connectOptions(config: MongoConfig): ConnectOptions & { bufferTimeoutMS: number } {
  return {
    ...driverOptions(config),
    // A command waiting for a connection fails as fast as a server selection would (503).
    bufferTimeoutMS: config.serverSelectionTimeoutMs,
  };
}

/**
 * The content store's connection options. MongoDB is an optional, secondary store: the app
 * starts even when it is unreachable (lazily connected, retried by `MongoConnectionKeeper`),
 * so the relational API keeps serving while `/health` and the content routes answer 503.
 * A malformed URI, though, is a configuration error and stops the boot.
 */
export function mongooseModuleOptions(config: MongoConfig): MongooseModuleFactoryOptions {
  const uri = config.uri;
  if (!uri) throw new Error('MONGODB_URI is required by the content module');
  assertParsable(uri, config);
  return {
    uri,
    ...connectOptions(config),
    lazyConnection: true,
    // An `error` listener marks the first connection attempt as handled (the keeper reports
    // it), so its failure is not an unhandled rejection.
    connectionFactory: (connection: Connection) => connection.on('error', () => undefined),
  };
}

/** Parses the URI and options without connecting; the message names the variable, not its value. */
function assertParsable(uri: string, config: MongoConfig): void {
  try {
    new mongoose.mongo.MongoClient(uri, driverOptions(config));
  } catch (error) {
    // The driver quotes the whole URI, credentials included.
    const reason = (error instanceof Error ? error.message : String(error))
      .split(uri)
      .join('<MONGODB_URI>');
    throw new InvalidEnvironmentError([`MONGODB_URI is not a usable MongoDB URI: ${reason}`]);
  }
}

/**
 * Mongoose never retries a first connection that failed (the driver only reconnects one that
 * once succeeded), so this keeps trying, every few seconds, until it succeeds or the app stops.
 */
@Injectable()
export class MongoConnectionKeeper implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('MongoDB');
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(mongoConfig.KEY) private readonly config: MongoConfig,
  ) {}

  onModuleInit(): void {
    this.watch(this.connection.asPromise());
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  private watch(attempt: Promise<unknown>): void {
    attempt.then(
      () => this.logger.log('connected'),
      (error: unknown) => {
        if (this.stopped) return;
        this.logger.warn(
          `unreachable (${error instanceof Error ? error.message : String(error)}): content ` +
            `routes answer 503 until it answers; retrying in ${RECONNECT_DELAY_MS / 1000}s`,
        );
        this.retryTimer = setTimeout(() => this.retry(), RECONNECT_DELAY_MS);
        this.retryTimer.unref();
      },
    );
  }

  private retry(): void {
    if (this.stopped) return;
    this.watch(this.connection.openUri(this.config.uri!, connectOptions(this.config)));
  }
}
