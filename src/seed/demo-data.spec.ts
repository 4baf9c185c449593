import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import mongoose from 'mongoose';
import { Content, ContentSchema } from '../content/content.schema';
import { CreateContentDto } from '../content/dto/create-content.dto';
import { CreatePostDto } from '../posts/dto/create-post.dto';
import { CreateUserDto } from '../users/dto/create-user.dto';
import { generateContents } from './content-seeder';
import { ADMIN_USERNAME, generateRelationalData, RelationalDemoSizes } from './demo-data';
import { SeededRandom } from './random';
import {
  insertChunks,
  MAX_PARAMETERS_PER_STATEMENT,
  MAX_STATEMENT_BYTES,
} from './relational-seeder';
import { parseSeedOptions, SeedUsageError } from './seed-options';

const SIZES: RelationalDemoSizes = {
  users: 40,
  tags: 70,
  posts: 400,
  tagsPerPost: 3,
  comments: 300,
  draftRatio: 0.2,
};
const HASHES = { admin: '$argon2id$admin', users: '$argon2id$users' };
const NOW = new Date('2026-01-01T00:00:00.000Z');
const generate = (seedValue: string, sizes = SIZES) =>
  generateRelationalData(sizes, new SeededRandom(seedValue), HASHES, NOW);

function problems(dto: object): string[] {
  return validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }).map(String);
}

describe('demo data', () => {
  const data = generate('unit');

  it('is the same for the same seed value and differs for another', () => {
    expect(generate('unit')).toEqual(data);
    expect(generate('other').posts[0].id).not.toBe(data.posts[0].id);
  });

  it('has the requested sizes, the admin first', () => {
    expect(data.users).toHaveLength(40);
    expect(data.users[0]).toMatchObject({ username: ADMIN_USERNAME, role: 'admin' });
    expect(data.tags).toHaveLength(70);
    expect(data.posts).toHaveLength(400);
    expect(data.postTags).toHaveLength(400 * 3);
    expect(data.comments).toHaveLength(300);
  });

  it('has users that POST /users would accept, with lower-cased e-mails and normalised usernames', () => {
    for (const user of data.users) {
      const dto = plainToInstance(CreateUserDto, {
        email: user.email,
        username: user.username,
        password: 'a password of the demo',
        fullName: user.fullName ?? undefined,
      });
      expect(problems(dto)).toEqual([]);
      expect(user.email).toBe(user.email.toLowerCase());
      expect(user.normalizedUsername).toBe(user.username.toLowerCase());
    }
    expect(new Set(data.users.map((user) => user.normalizedUsername)).size).toBe(40);
    expect(new Set(data.users.map((user) => user.passwordHash))).toEqual(
      new Set([HASHES.admin, HASHES.users]),
    );
  });

  it('has posts that POST /posts would accept, with unique slugs and tag names as normalised', () => {
    const tagNames = new Map(data.tags.map((tag) => [tag.id, tag.name]));
    for (const post of data.posts) {
      const tags = data.postTags
        .filter((link) => link.postId === post.id)
        .map((link) => tagNames.get(link.tagId)!);
      const dto = plainToInstance(CreatePostDto, {
        title: post.title,
        content: post.content,
        tags,
      });
      expect(problems(dto)).toEqual([]);
      expect(dto.tags).toEqual(tags); // already normalised
      expect(new Set(tags).size).toBe(3);
    }
    expect(new Set(data.posts.map((post) => post.slug)).size).toBe(400);
    expect(new Set(data.tags.map((tag) => tag.name)).size).toBe(70);
  });

  it('keeps time in order: author, post, publication, update and comments, all before now', () => {
    const users = new Map(data.users.map((user) => [user.id, user]));
    const posts = new Map(data.posts.map((post) => [post.id, post]));
    for (const post of data.posts) {
      expect(post.publishedAt !== null).toBe(post.published);
      expect(post.createdAt >= users.get(post.authorId)!.createdAt).toBe(true);
      expect((post.publishedAt ?? post.createdAt) >= post.createdAt).toBe(true);
      expect(post.updatedAt >= (post.publishedAt ?? post.createdAt)).toBe(true);
      expect(post.updatedAt <= NOW).toBe(true);
    }
    for (const comment of data.comments) {
      const post = posts.get(comment.postId)!;
      expect(post.published).toBe(true);
      expect(comment.createdAt >= post.publishedAt!).toBe(true);
      expect(comment.createdAt <= NOW).toBe(true);
      expect(comment.body).toEqual(expect.any(String));
    }
    expect(data.posts.filter((post) => !post.published).length).toBeGreaterThan(0);
  });

  it('writes no comments when no post is published', () => {
    expect(generate('drafts', { ...SIZES, draftRatio: 1 }).comments).toEqual([]);
  });

  it('has content documents that POST /content and the content schema accept', () => {
    const ids = data.users.map((user) => user.id);
    const tagNames = data.tags.map((tag) => tag.name);
    const contents = generateContents(50, ids, tagNames, new SeededRandom('c'), NOW);
    // A model on a connection that never opens: validation needs no server.
    const model = mongoose.createConnection().model(Content.name, ContentSchema);
    expect(contents).toHaveLength(50);
    for (const content of contents) {
      const { authorId, comments, ...editable } = content;
      expect(problems(plainToInstance(CreateContentDto, editable))).toEqual([]);
      expect(new model(content).validateSync()).toBeUndefined();
      expect(ids).toContain(authorId);
      for (const comment of comments) expect(ids).toContain(comment.authorId);
    }
    expect(new Set(contents.map((content) => content.status))).toEqual(
      new Set(['draft', 'published', 'archived']),
    );
  });
});

describe('insertChunks', () => {
  it('keeps every INSERT within the parameter budget', () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => ({ a: i, b: i, c: i, d: i }));
    const chunks = [...insertChunks(rows)];
    expect(chunks.every((chunk) => chunk.length * 4 <= MAX_PARAMETERS_PER_STATEMENT)).toBe(true);
    expect(chunks.flat()).toEqual(rows);
  });

  it('keeps every INSERT within the size budget, counting bytes of UTF-8', () => {
    const rows = Array.from({ length: 50 }, () => ({ text: 'é'.repeat(50_000) }));
    const chunks = [...insertChunks(rows)];
    expect(chunks.every((chunk) => chunk.length * 100_000 <= MAX_STATEMENT_BYTES)).toBe(true);
    expect(chunks.flat()).toHaveLength(50);
  });
});

describe('parseSeedOptions', () => {
  it('has defaults for everything, comments following posts', () => {
    expect(parseSeedOptions(['--posts', '10'])).toMatchObject({
      users: 20,
      tags: 15,
      posts: 10,
      tagsPerPost: 3,
      comments: 20,
      reset: false,
    });
  });

  it.each([
    [['--users', '0'], '--users must be at least 1'],
    [['--posts', '1.5'], '--posts must be a whole number'],
    [['--posts', '-3'], "'--posts' argument is ambiguous"],
    [['--tags', '2'], '--tags-per-post (3) needs at least as many --tags'],
    [['--tags-per-post', '11', '--tags', '20'], '--tags-per-post must be at most 10'],
    [['--draft-ratio', '2'], '--draft-ratio must be a number from 0 to 1'],
    [['--admin-password', 'short'], '--admin-password must be 8..128 characters'],
    [['--user-password', '12345678'], '--user-password: password is too weak'],
    [['--unknown'], "Unknown option '--unknown'"],
  ])('rejects %j', (args, message) => {
    expect(() => parseSeedOptions(args)).toThrow(SeedUsageError);
    expect(() => parseSeedOptions(args)).toThrow(message);
  });
});
