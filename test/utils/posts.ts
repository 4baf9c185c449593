import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { RegisteredUser, uniqueName } from './fixtures';
import type { components } from './openapi-types';

/** A post as the API answers it: the generated type of the documented schema, so the two agree. */
export type PostBody = components['schemas']['PostDto'];

export type PostPage = Omit<components['schemas']['CursorPageDto'], 'items'> & {
  items: PostBody[];
};

/** Creates a post through the API (a fresh title unless given) and answers its body. */
export async function createPost(
  api: TestAgent,
  author: RegisteredUser,
  body: Record<string, unknown> = {},
): Promise<PostBody> {
  const res = await api
    .post('/posts')
    .set(author.auth)
    .send({ title: uniqueName('Post'), ...body })
    .expect(201);
  return res.body as PostBody;
}

/** Follows `nextCursor` from the first page of `path` to the last, answering every page. */
export async function walkWithCursor(
  api: TestAgent,
  path: string,
  auth: Record<string, string> = {},
): Promise<PostPage[]> {
  const pages: PostPage[] = [];
  let url = path;
  for (;;) {
    const res = await api.get(url).set(auth).expect(200);
    const page = res.body as PostPage;
    pages.push(page);
    if (page.nextCursor === null) return pages;
    const separator = path.includes('?') ? '&' : '?';
    url = `${path}${separator}cursor=${encodeURIComponent(page.nextCursor)}`;
  }
}

export interface Statement {
  query: string;
  parameters?: unknown[];
}

/** The SQL statements the database receives while `work` runs (through the TypeORM logger). */
export async function statementsDuring(
  dataSource: DataSource,
  work: () => Promise<unknown>,
): Promise<Statement[]> {
  const statements: Statement[] = [];
  const spy = jest.spyOn(dataSource.logger, 'logQuery').mockImplementation((query, parameters) => {
    // String(): prepared statements are objects whose text is their string form.
    statements.push({ query: String(query), parameters: parameters as unknown[] | undefined });
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return statements;
}

/** Counts rows of a table matching a column value, straight from the database. */
export async function countRows(
  dataSource: DataSource,
  table: string,
  column: string,
  value: string,
): Promise<number> {
  const escape = (name: string) => dataSource.driver.escape(name);
  const [sql, parameters] = dataSource.driver.escapeQueryWithParameters(
    `SELECT COUNT(*) AS n FROM ${escape(table)} WHERE ${escape(column)} = :value`,
    { value },
  );
  const rows: { n: unknown }[] = await dataSource.query(sql, parameters);
  return Number(rows[0].n);
}

/** A fresh tag name (uniqueName uses `_`, which tag names do not allow). */
export function uniqueTag(prefix = 'tag'): string {
  return uniqueName(prefix).toLowerCase().replace(/_/g, '-');
}

/**
 * The posts, tags and comments suites write far more than a client does in a minute; they raise
 * the write limit for their own app (it is never off: rate-limits.e2e-spec.ts tests it).
 */
export const WRITE_HEAVY_SUITE_ENV = { WRITE_RATE_LIMIT: '100000' };
