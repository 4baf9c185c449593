import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Connection } from 'mongoose';
import { MongoConfig } from '../config/configuration';
import { InvalidEnvironmentError } from '../config/environment';
import {
  MongoConnectionKeeper,
  mongooseModuleOptions,
  RECONNECT_DELAY_MS,
} from './mongo-connection';

const config: MongoConfig = {
  uri: 'mongodb://127.0.0.1:27017/blog',
  poolSize: 7,
  serverSelectionTimeoutMs: 1500,
};

describe('mongooseModuleOptions', () => {
  it('connects lazily with the configured pool size and server-selection timeout', () => {
    expect(mongooseModuleOptions(config)).toEqual({
      uri: config.uri,
      maxPoolSize: 7,
      serverSelectionTimeoutMS: 1500,
      bufferTimeoutMS: 1500,
      lazyConnection: true,
      connectionFactory: expect.any(Function),
    });
  });

  it('stops the boot on a URI the driver cannot parse, naming the variable but not its value', () => {
    const uri = 'mongodb://user:s3cret:x@/blog';
    expect(() => mongooseModuleOptions({ ...config, uri })).toThrow(InvalidEnvironmentError);
    expect(() => mongooseModuleOptions({ ...config, uri })).toThrow(
      /^Invalid configuration:\n {2}- MONGODB_URI is not a usable MongoDB URI: /,
    );
    expect(() => mongooseModuleOptions({ ...config, uri })).not.toThrow(/s3cret/);
    expect(() => mongooseModuleOptions({ ...config, uri: undefined })).toThrow(/MONGODB_URI/);
  });

  it('marks the first connection attempt as handled with an error listener', () => {
    const connection = new EventEmitter() as unknown as Connection;
    const { connectionFactory } = mongooseModuleOptions(config);
    expect(connectionFactory!(connection, 'default')).toBe(connection);
    expect(connection.listenerCount('error')).toBe(1);
  });
});

describe('MongoConnectionKeeper', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  function fakeConnection(firstAttempt: Promise<unknown>) {
    return {
      asPromise: jest.fn(() => firstAttempt),
      openUri: jest.fn(() => Promise.resolve()),
    };
  }

  const flush = () => Promise.resolve().then(() => undefined);

  it('retries a failed first connection until it succeeds', async () => {
    const connection = fakeConnection(Promise.reject(new Error('ECONNREFUSED')));
    connection.openUri
      .mockReturnValueOnce(Promise.reject(new Error('still down')))
      .mockReturnValueOnce(Promise.resolve());
    const keeper = new MongoConnectionKeeper(connection as unknown as Connection, config);
    keeper.onModuleInit();
    await flush();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('unreachable (ECONNREFUSED)'));
    expect(connection.openUri).not.toHaveBeenCalled();

    await jest.advanceTimersByTimeAsync(RECONNECT_DELAY_MS);
    expect(connection.openUri).toHaveBeenCalledWith(config.uri, {
      maxPoolSize: 7,
      serverSelectionTimeoutMS: 1500,
      bufferTimeoutMS: 1500,
    });
    await jest.advanceTimersByTimeAsync(RECONNECT_DELAY_MS);
    expect(connection.openUri).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(RECONNECT_DELAY_MS * 3);
    expect(connection.openUri).toHaveBeenCalledTimes(2);
  });

  it('does nothing more when the first connection succeeds', async () => {
    const connection = fakeConnection(Promise.resolve());
    new MongoConnectionKeeper(connection as unknown as Connection, config).onModuleInit();
    await jest.advanceTimersByTimeAsync(RECONNECT_DELAY_MS * 2);
    expect(connection.openUri).not.toHaveBeenCalled();
  });

  it('stops retrying when the app shuts down', async () => {
    const connection = fakeConnection(Promise.reject(new Error('down')));
    const keeper = new MongoConnectionKeeper(connection as unknown as Connection, config);
    keeper.onModuleInit();
    await flush();
    keeper.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(RECONNECT_DELAY_MS * 3);
    expect(connection.openUri).not.toHaveBeenCalled();
  });
});
