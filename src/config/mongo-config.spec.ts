import { mongoConfig } from './configuration';
import { InvalidEnvironmentError, validateEnvironment } from './environment';

describe('MongoDB configuration', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('defaults the pool size to 10 and the server-selection timeout to 5 s', () => {
    expect(validateEnvironment({})).toMatchObject({
      MONGODB_POOL_SIZE: 10,
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: 5000,
    });
  });

  it('reads URI, pool size and timeout into the mongo namespace', () => {
    process.env.MONGODB_URI = 'mongodb://db:27017/blog';
    process.env.MONGODB_POOL_SIZE = '25';
    process.env.MONGODB_SERVER_SELECTION_TIMEOUT_MS = '1500';
    expect(mongoConfig()).toEqual({
      uri: 'mongodb://db:27017/blog',
      poolSize: 25,
      serverSelectionTimeoutMs: 1500,
    });
  });

  it('leaves the URI undefined when MONGODB_URI is not set', () => {
    delete process.env.MONGODB_URI;
    expect(mongoConfig().uri).toBeUndefined();
  });

  it.each([
    [{ MONGODB_POOL_SIZE: '0' }, 'MONGODB_POOL_SIZE'],
    [{ MONGODB_POOL_SIZE: 'many' }, 'MONGODB_POOL_SIZE'],
    [{ MONGODB_SERVER_SELECTION_TIMEOUT_MS: '10' }, 'MONGODB_SERVER_SELECTION_TIMEOUT_MS'],
    [{ MONGODB_SERVER_SELECTION_TIMEOUT_MS: 'soon' }, 'MONGODB_SERVER_SELECTION_TIMEOUT_MS'],
  ])('rejects %j with a message naming %s', (env, name) => {
    expect(() => validateEnvironment(env)).toThrow(InvalidEnvironmentError);
    expect(() => validateEnvironment(env)).toThrow(name);
  });
});
