import { Logger } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import {
  contentModuleIfConfigured,
  ContentModuleOff,
  isContentStoreConfigured,
  MONGOOSE_CONNECTION,
} from './content-module-switch';
import { ContentModule } from './content.module';

describe('contentModuleIfConfigured', () => {
  const saved = process.env.MONGODB_URI;
  afterEach(() => {
    if (saved === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = saved;
  });

  // The reference is created once (when AppModule is loaded) and resolved by each scan.
  const reference = contentModuleIfConfigured();

  it('resolves to the content module when MONGODB_URI is set at scan time', () => {
    process.env.MONGODB_URI = 'mongodb://127.0.0.1:27017/blog';
    expect(reference.forwardRef()).toBe(ContentModule);
  });

  it('resolves to the module that is off when it is not, with the same reference', () => {
    delete process.env.MONGODB_URI;
    expect(reference.forwardRef()).toBe(ContentModuleOff);
  });

  it('decides from the validated environment: an empty value is unset, a bad one stops the boot', () => {
    expect(isContentStoreConfigured({ MONGODB_URI: '' })).toBe(false);
    expect(() => isContentStoreConfigured({ MONGODB_URI: 'http://mongo' })).toThrow(/MONGODB_URI/);
  });

  it('names the Mongoose connection as @nestjs/mongoose does, without loading it', () => {
    expect(MONGOOSE_CONNECTION).toBe(getConnectionToken());
  });
});

describe('ContentModuleOff', () => {
  it('logs one line saying the module is off', () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      new ContentModuleOff().onModuleInit();
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0][0]).toMatch(/^MONGODB_URI is not set: the content module is off/);
    } finally {
      log.mockRestore();
    }
  });
});
