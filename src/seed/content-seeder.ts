import mongoose from 'mongoose';
import { Content, ContentSchema, ContentStatus } from '../content/content.schema';
import { COMMENT_BODIES } from './demo-words';
import { demoText, demoTitle } from './demo-data';
import { SeededRandom } from './random';

/** Documents per insertMany: each is a few KB, far below MongoDB's 48 MB batch. */
const CONTENTS_PER_BATCH = 500;
const STATUSES: ContentStatus[] = ['published', 'published', 'published', 'draft', 'archived'];

export type ContentSeed = Pick<Content, 'title' | 'body' | 'status' | 'authorId' | 'tags'> & {
  metadata: Record<string, unknown>;
  comments: { authorId: string; body: string; createdAt: Date }[];
};

export function generateContents(
  count: number,
  authorIds: readonly string[],
  tagNames: readonly string[],
  random: SeededRandom,
  now: Date,
): ContentSeed[] {
  if (authorIds.length === 0) return [];
  return Array.from({ length: count }, (_, index) => {
    const body = demoText(random, [1, 4]);
    const tags =
      tagNames.length === 0
        ? []
        : random
            .distinctIndexes(Math.min(random.int(0, 4), tagNames.length), tagNames.length)
            .map((i) => tagNames[i]);
    return {
      title: demoTitle(random),
      body,
      status: random.pick(STATUSES),
      authorId: random.pick(authorIds),
      tags,
      // The free-form part: nested objects and arrays, different keys from one document to the next.
      metadata: {
        readingTimeMinutes: Math.max(1, Math.round(body.length / 1000)),
        language: 'en',
        ...(random.chance(0.4) ? { series: { name: 'Demo series', part: (index % 5) + 1 } } : {}),
        ...(random.chance(0.5)
          ? { seo: { description: body.slice(0, 120), keywords: tags.slice(0, 3) } }
          : {}),
      },
      comments: Array.from({ length: random.int(0, 3) }, () => ({
        authorId: random.pick(authorIds),
        body: random.pick(COMMENT_BODIES),
        createdAt: new Date(now.getTime() - random.int(0, 30 * 86_400_000)),
      })),
    };
  });
}

export interface ContentStoreSettings {
  uri: string;
  serverSelectionTimeoutMs: number;
}

/**
 * Writes content documents through the content module's own schema (validation, defaults,
 * timestamps and indexes as the app has them). Skips a collection that already has documents
 * unless `reset`, which empties it first. Answers the number written, or `undefined` if skipped.
 */
export async function writeContents(
  settings: ContentStoreSettings,
  documents: () => ContentSeed[],
  reset: boolean,
): Promise<number | undefined> {
  const connection = await mongoose
    .createConnection(settings.uri, {
      maxPoolSize: 2,
      serverSelectionTimeoutMS: settings.serverSelectionTimeoutMs,
    })
    .asPromise();
  try {
    const contents = connection.model(Content.name, ContentSchema);
    await contents.init();
    if (reset) await contents.deleteMany({});
    else if ((await contents.estimatedDocumentCount()) > 0) return undefined;
    const seeds = documents();
    for (let start = 0; start < seeds.length; start += CONTENTS_PER_BATCH) {
      await contents.insertMany(seeds.slice(start, start + CONTENTS_PER_BATCH));
    }
    return seeds.length;
  } finally {
    await connection.close();
  }
}
