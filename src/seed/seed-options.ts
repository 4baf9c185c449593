import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { MAX_TAGS_PER_ITEM } from '../common/tag-names';
import { passwordWeakness } from '../users/password-strength';

export interface SeedOptions {
  /** Every user, the admin included. */
  users: number;
  tags: number;
  posts: number;
  tagsPerPost: number;
  comments: number;
  /** MongoDB content documents; written only when MONGODB_URI is set. */
  contents: number;
  /** Share of the posts left as drafts (never published). */
  draftRatio: number;
  seedValue: string;
  reset: boolean;
  adminPassword: string;
  /** The one password of every other demo user (hashed once for all of them). */
  userPassword: string;
  allowProduction: boolean;
  help: boolean;
}

export const SEED_USAGE = `Fills the configured database (DATABASE_URL, and MongoDB when MONGODB_URI is set) with demo data.

usage: npm run seed -- [options]          (from a build: node dist/src/seed/seed.js [options])

  --users N            users, the admin included               (default 20)
  --tags N             tags                                    (default 15)
  --posts N            posts                                   (default 100)
  --tags-per-post N    tags on every post, at most 10 and --tags (default 3)
  --comments N         comments, on published posts only      (default 2 per post)
  --contents N         MongoDB content documents               (default 30; only with MONGODB_URI)
  --draft-ratio R      share of posts that are drafts, 0..1    (default 0.1)
  --seed-value S       the same S gives the same data set (ids, names, texts) on every run
  --reset              delete every user, post, tag and comment (and content document) first
  --admin-password P   password of the admin "admin"           (default: random, printed)
  --user-password P    password shared by the other users      (default: random, printed)
  --allow-production   seed although NODE_ENV=production
  --help

A store that already has data is left alone (the run says so and exits 0), so running the seed
twice is harmless; --reset empties it first. Pending migrations are applied first.`;

export class SeedUsageError extends Error {}

const INTEGER_OPTIONS = [
  'users',
  'tags',
  'posts',
  'tags-per-post',
  'comments',
  'contents',
] as const;

export function parseSeedOptions(argv: string[]): SeedOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(INTEGER_OPTIONS.map((name) => [name, { type: 'string' as const }])),
        'draft-ratio': { type: 'string' },
        'seed-value': { type: 'string' },
        reset: { type: 'boolean', default: false },
        'admin-password': { type: 'string' },
        'user-password': { type: 'string' },
        'allow-production': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new SeedUsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const integer = (name: (typeof INTEGER_OPTIONS)[number], fallback: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      throw new SeedUsageError(`--${name} must be a whole number, got "${String(raw)}"`);
    }
    return Number(raw);
  };

  const posts = integer('posts', 100);
  const options: SeedOptions = {
    users: integer('users', 20),
    tags: integer('tags', 15),
    posts,
    tagsPerPost: integer('tags-per-post', 3),
    comments: integer('comments', 2 * posts),
    contents: integer('contents', 30),
    draftRatio: values['draft-ratio'] === undefined ? 0.1 : Number(values['draft-ratio']),
    seedValue: (values['seed-value'] as string | undefined) ?? randomBytes(6).toString('hex'),
    reset: values.reset === true,
    adminPassword: (values['admin-password'] as string | undefined) ?? randomPassword(),
    userPassword: (values['user-password'] as string | undefined) ?? randomPassword(),
    allowProduction: values['allow-production'] === true,
    help: values.help === true,
  };
  checkConsistency(options);
  return options;
}

function checkConsistency(options: SeedOptions): void {
  const problems: string[] = [];
  if (options.users < 1) problems.push('--users must be at least 1 (the admin)');
  if (options.tagsPerPost > MAX_TAGS_PER_ITEM) {
    problems.push(`--tags-per-post must be at most ${MAX_TAGS_PER_ITEM}, as for POST /posts`);
  }
  if (options.posts > 0 && options.tagsPerPost > options.tags) {
    problems.push(`--tags-per-post (${options.tagsPerPost}) needs at least as many --tags`);
  }
  if (!(options.draftRatio >= 0 && options.draftRatio <= 1)) {
    problems.push('--draft-ratio must be a number from 0 to 1');
  }
  for (const [flag, password] of [
    ['--admin-password', options.adminPassword],
    ['--user-password', options.userPassword],
  ]) {
    if (password.length < 8 || password.length > 128) {
      problems.push(`${flag} must be 8..128 characters, as for POST /users`);
      continue;
    }
    const weakness = passwordWeakness(password);
    if (weakness) problems.push(`${flag}: ${weakness} (as for POST /users)`);
  }
  if (problems.length > 0) throw new SeedUsageError(problems.join('\n'));
}

function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}
