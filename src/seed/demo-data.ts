import { normalizeTagName, TAG_NAME_PATTERN } from '../common/tag-names';
import { Comment } from '../posts/comment.entity';
import { Post } from '../posts/post.entity';
import { newPostSlug } from '../posts/post-slug';
import { Tag } from '../tags/tag.entity';
import { Profile } from '../users/profile.entity';
import { User } from '../users/user.entity';
import { UserRole } from '../users/user-role';
import {
  BIOS,
  COMMENT_BODIES,
  FIRST_NAMES,
  LAST_NAMES,
  SENTENCES,
  TAG_NAMES,
  TITLE_ENDINGS,
  TITLE_OPENINGS,
  TITLE_SUBJECTS,
} from './demo-words';
import { SeededRandom } from './random';

// A row is an entity's stored columns: no relations, no virtual `commentCount`, no id hooks.
export type UserRow = Omit<User, 'profile' | 'posts' | 'assignId'>;
export type ProfileRow = Omit<Profile, 'user'>;
export type TagRow = Omit<Tag, 'posts'>;
export type PostRow = Omit<Post, 'author' | 'comments' | 'tags' | 'commentCount' | 'assignId'>;
/** A row of `post_tags`, the join table of `Post.tags` (no entity of its own). */
export interface PostTagRow {
  postId: string;
  tagId: string;
}
export type CommentRow = Omit<Comment, 'post' | 'author'>;

export interface RelationalDemoData {
  users: UserRow[];
  profiles: ProfileRow[];
  tags: TagRow[];
  posts: PostRow[];
  postTags: PostTagRow[];
  comments: CommentRow[];
}

export interface RelationalDemoSizes {
  users: number;
  tags: number;
  posts: number;
  tagsPerPost: number;
  comments: number;
  draftRatio: number;
}

export interface PasswordHashes {
  admin: string;
  /** One hash shared by every other demo user: argon2 is slow on purpose. */
  users: string;
}

export const ADMIN_USERNAME = 'admin';
export const ADMIN_EMAIL = 'admin@example.com';
export const DEMO_EMAIL_DOMAIN = 'example.com';

const DAY_MS = 86_400_000;
/** The demo history: accounts from up to 400 days before `now`, posts after their author's. */
const HISTORY_DAYS = 400;

/**
 * The rows of a demo data set, in the shapes the entities declare: UUIDs made here, timestamps
 * set explicitly (nothing is left to column defaults, so a seed value reproduces every row),
 * e-mails and `normalizedUsername` lower-cased, tag names normalised as the API does, slugs
 * unique, `publishedAt` set on published posts only.
 */
export function generateRelationalData(
  sizes: RelationalDemoSizes,
  random: SeededRandom,
  hashes: PasswordHashes,
  now: Date,
): RelationalDemoData {
  const users = generateUsers(sizes.users, random, hashes, now);
  const profiles = generateProfiles(users, random);
  const tags = generateTags(sizes.tags, random, now);
  const posts = generatePosts(sizes, users, random, now);
  const postTags = posts.flatMap((post) =>
    random
      .distinctIndexes(sizes.tagsPerPost, tags.length)
      .map((index) => ({ postId: post.id, tagId: tags[index].id })),
  );
  const comments = generateComments(sizes.comments, posts, users, random, now);
  return { users, profiles, tags, posts, postTags, comments };
}

function between(random: SeededRandom, from: Date, to: Date): Date {
  const start = from.getTime();
  return new Date(start + Math.floor(random.next() * Math.max(0, to.getTime() - start)));
}

function latest(...dates: Date[]): Date {
  return new Date(Math.max(...dates.map((date) => date.getTime())));
}

function generateUsers(
  count: number,
  random: SeededRandom,
  hashes: PasswordHashes,
  now: Date,
): UserRow[] {
  const historyStart = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  const taken = new Set<string>([ADMIN_USERNAME]);
  const users: UserRow[] = [
    {
      id: random.uuid(),
      email: ADMIN_EMAIL,
      username: ADMIN_USERNAME,
      normalizedUsername: ADMIN_USERNAME,
      passwordHash: hashes.admin,
      fullName: 'Demo Admin',
      isActive: true,
      role: UserRole.Admin,
      tokenVersion: 0,
      createdAt: historyStart,
      updatedAt: historyStart,
    },
  ];
  const joinedBy = new Date(now.getTime() - 7 * DAY_MS);
  for (let i = 1; i < count; i++) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const base = random.chance(0.5)
      ? `${first}.${last}`
      : `${first.toLowerCase()}_${last.toLowerCase()}`;
    let username = base;
    for (let n = 2; taken.has(username.toLowerCase()); n++) username = `${base}${n}`;
    taken.add(username.toLowerCase());
    const createdAt = between(random, historyStart, joinedBy);
    users.push({
      id: random.uuid(),
      email: `${username.toLowerCase()}@${DEMO_EMAIL_DOMAIN}`,
      username,
      normalizedUsername: username.toLowerCase(),
      passwordHash: hashes.users,
      fullName: random.chance(0.9) ? `${first} ${last}` : null,
      isActive: random.chance(0.97),
      role: UserRole.User,
      tokenVersion: 0,
      createdAt,
      updatedAt: between(random, createdAt, now),
    });
  }
  return users;
}

function generateProfiles(users: UserRow[], random: SeededRandom): ProfileRow[] {
  return users
    .filter((user) => user.role === UserRole.Admin || random.chance(0.8))
    .map((user) => ({
      userId: user.id,
      bio: random.chance(0.85) ? random.pick(BIOS) : null,
      avatarUrl: random.chance(0.6)
        ? `https://avatars.${DEMO_EMAIL_DOMAIN}/${user.normalizedUsername}.png`
        : null,
    }));
}

/** Tag names as people type them, normalised; past the word list, numbered variants. */
export function demoTagNames(count: number): string[] {
  const names: string[] = [];
  for (let i = 0; names.length < count; i++) {
    const base = normalizeTagName(TAG_NAMES[i % TAG_NAMES.length]);
    const round = Math.floor(i / TAG_NAMES.length);
    const name = round === 0 ? base : `${base.slice(0, 40)}-${round + 1}`;
    if (!TAG_NAME_PATTERN.test(name)) throw new Error(`demo tag "${name}" is not a valid tag name`);
    names.push(name);
  }
  return names;
}

function generateTags(count: number, random: SeededRandom, now: Date): TagRow[] {
  const historyStart = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  return demoTagNames(count).map((name) => {
    const createdAt = between(random, historyStart, now);
    return { id: random.uuid(), name, createdAt };
  });
}

export function demoTitle(random: SeededRandom): string {
  const title = `${random.pick(TITLE_OPENINGS)} ${random.pick(TITLE_SUBJECTS)}${random.pick(TITLE_ENDINGS)}`;
  return title.charAt(0).toUpperCase() + title.slice(1);
}

export function demoText(random: SeededRandom, paragraphs: [number, number]): string {
  const count = random.int(...paragraphs);
  return Array.from({ length: count }, () =>
    Array.from({ length: random.int(2, 5) }, () => random.pick(SENTENCES)).join(' '),
  ).join('\n\n');
}

function generatePosts(
  sizes: RelationalDemoSizes,
  users: UserRow[],
  random: SeededRandom,
  now: Date,
): PostRow[] {
  const slugs = new Set<string>();
  const posts: PostRow[] = [];
  for (let i = 0; i < sizes.posts; i++) {
    const author = users[random.skewedIndex(users.length)];
    const title = demoTitle(random);
    let slug: string;
    do slug = newPostSlug(title, (max) => random.int(0, max - 1));
    while (slugs.has(slug));
    slugs.add(slug);
    const createdAt = between(random, author.createdAt, now);
    const published = !random.chance(sizes.draftRatio);
    const publishedAt = published ? between(random, createdAt, now) : null;
    posts.push({
      id: random.uuid(),
      title,
      slug,
      content: demoText(random, [2, 6]),
      published,
      publishedAt,
      authorId: author.id,
      createdAt,
      updatedAt: between(random, publishedAt ?? createdAt, now),
    });
  }
  return posts;
}

function generateComments(
  count: number,
  posts: PostRow[],
  users: UserRow[],
  random: SeededRandom,
  now: Date,
): CommentRow[] {
  // Readers comment on what they can see: published posts.
  const published = posts.filter((post) => post.published);
  if (published.length === 0) return [];
  return Array.from({ length: count }, () => {
    const post = published[random.skewedIndex(published.length, 1.5)];
    const author = users[random.int(0, users.length - 1)];
    return {
      id: random.uuid(),
      postId: post.id,
      authorId: author.id,
      body: random.pick(COMMENT_BODIES),
      createdAt: between(random, latest(post.publishedAt!, author.createdAt), now),
    };
  });
}
