import { getMetadataArgsStorage } from 'typeorm';

type DialectModule = typeof import('./dialect');
type LongTextModule = typeof import('./long-text-column');
type OptionsModule = typeof import('./data-source-options');

interface FreshModules {
  dialect: DialectModule;
  longText: LongTextModule;
  options: OptionsModule;
}

function setDatabaseUrl(url: string | undefined): void {
  if (url === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = url;
}

/**
 * dialect.ts, long-text-column.ts and data-source-options.ts as a process started with this
 * DATABASE_URL loads them, its entities declared (the dialect fixed) at once.
 */
async function freshModules(url: string | undefined): Promise<FreshModules> {
  const previous = process.env.DATABASE_URL;
  setDatabaseUrl(url);
  try {
    let modules: FreshModules | undefined;
    await jest.isolateModulesAsync(async () => {
      modules = {
        dialect: await import('./dialect'),
        longText: await import('./long-text-column'),
        options: await import('./data-source-options'),
      };
      modules.dialect.entityDialectOfProcess();
    });
    return modules!;
  } finally {
    setDatabaseUrl(previous);
  }
}

/** The type the column of a class declared with `@LongTextColumn()` gets. */
function declaredType(longText: LongTextModule): unknown {
  class Declared {
    content: string;
  }
  longText.LongTextColumn()(Declared.prototype, 'content');
  return getMetadataArgsStorage().columns.find((column) => column.target === Declared)?.options
    .type;
}

describe('the dialect the entities are declared for', () => {
  it.each([
    ['mariadb://root@127.0.0.1:3306/blog', 'mysql', 'mediumtext'],
    ['mysql://root@127.0.0.1:3306/blog', 'mysql', 'mediumtext'],
    ['postgres://postgres@127.0.0.1:5432/blog', 'postgres', 'text'],
    ['sqlite::memory:', 'sqlite', 'text'],
    [undefined, 'sqlite', 'text'],
  ])('DATABASE_URL %s: %s, long text columns are %s', async (url, dialect, type) => {
    const modules = await freshModules(url);
    expect(modules.dialect.entityDialectOfProcess().dialect).toBe(dialect);
    expect(declaredType(modules.longText)).toBe(type);
  });

  it('is fixed the first time it is asked: a later DATABASE_URL changes nothing', async () => {
    const { dialect, longText } = await freshModules('mariadb://root@127.0.0.1:3306/blog');
    const previous = process.env.DATABASE_URL;
    setDatabaseUrl('sqlite::memory:');
    try {
      expect(dialect.entityDialectOfProcess().dialect).toBe('mysql');
      expect(declaredType(longText)).toBe('mediumtext');
      expect(() => dialect.assertEntityDialect('sqlite::memory:')).toThrow(/declared for mysql/);
    } finally {
      setDatabaseUrl(previous);
    }
  });

  it('lets DataSources of its own dialect through, on any database of it', async () => {
    const { dialect } = await freshModules('postgres://postgres@127.0.0.1:5432/blog');
    expect(() => dialect.assertEntityDialect('postgres://postgres@db:5432/other')).not.toThrow();
    expect(() => dialect.assertEntityDialect('postgresql://postgres@db/other')).not.toThrow();
  });

  it('refuses another dialect, naming both without the URL credentials', async () => {
    const { dialect } = await freshModules('sqlite:./data/blog.sqlite');
    const attempt = () => dialect.assertEntityDialect('mariadb://root:secret@db:3306/blog');
    expect(attempt).toThrow(/declared for sqlite \(DATABASE_URL sqlite:…\), not for a mysql/);
    expect(attempt).toThrow(/One process talks to one dialect/);
    expect(attempt).not.toThrow(/secret/);
  });

  it('does not throw at import for an unsupported DATABASE_URL (validateEnvironment reports it)', async () => {
    const modules = await freshModules('oracle://db/blog');
    expect(modules.dialect.entityDialectOfProcess().dialect).toBeUndefined();
    expect(declaredType(modules.longText)).toBe('text');
    expect(() => modules.dialect.assertEntityDialect('sqlite::memory:')).toThrow(
      /an unsupported DATABASE_URL \(oracle:…\)/,
    );
  });
});

describe('buildDataSourceOptions', () => {
  it('refuses a URL of another dialect than the entities were declared for', async () => {
    const { options } = await freshModules('sqlite::memory:');
    expect(options.buildDataSourceOptions({ url: 'sqlite::memory:' })).toMatchObject({
      type: 'better-sqlite3',
    });
    expect(() =>
      options.buildDataSourceOptions({ url: 'postgres://postgres@127.0.0.1:5432/blog' }),
    ).toThrow(/declared for sqlite/);
  });

  it('gives PostgreSQL pools the UTC options, leaving the pg module as it is', async () => {
    const { options } = await freshModules('postgres://postgres@127.0.0.1:5432/blog');
    const built = options.buildDataSourceOptions({ url: 'postgres://postgres@127.0.0.1:5432/x' });
    const extra = (built as { extra: Record<string, unknown> }).extra;
    expect(extra).toMatchObject({ options: expect.stringContaining('-c timezone=UTC') });
    expect(typeof extra.Client).toBe('function');
    expect(extra.types).toEqual({ getTypeParser: expect.any(Function) });
  });
});
