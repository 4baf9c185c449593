import type { FilterQuery, PipelineStage, SortOrder } from 'mongoose';
import { AuthUser, isAdmin } from '../auth/auth-user';
import type { Content, ContentStatus } from './content.schema';

/** The filters of `GET /content`, already validated and normalised by the query DTO. */
export interface ContentFilters {
  q?: string;
  search?: string;
  tag?: string[];
  authorId?: string;
  status?: ContentStatus;
}

type ContentFilter = FilterQuery<Content>;
type ContentSort = Record<string, SortOrder | { $meta: 'textScore' }>;

/** Escapes every regex metacharacter, so user input in `$regex` matches only itself. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What the viewer may see: admins everything, an authenticated user everything but other
 * people's drafts, an anonymous caller everything but drafts. `{}` means no restriction.
 */
export function visibilityFilter(viewer?: AuthUser): ContentFilter {
  if (isAdmin(viewer)) return {};
  const notDraft: ContentFilter = { status: { $ne: 'draft' } };
  return viewer ? { $or: [notDraft, { authorId: viewer.id }] } : notDraft;
}

/**
 * The MongoDB filter of a listing. Every value comes from a validated DTO field of a known type
 * and lands in a fixed position (an equality, `$all`, an escaped `$regex`, `$text.$search`), so
 * no user input can become an operator or a field path.
 */
export function buildContentFilter(filters: ContentFilters, viewer?: AuthUser): ContentFilter {
  const clauses: ContentFilter[] = [];
  const visibility = visibilityFilter(viewer);
  if (Object.keys(visibility).length > 0) clauses.push(visibility);
  if (filters.authorId !== undefined) clauses.push({ authorId: filters.authorId });
  if (filters.status !== undefined) clauses.push({ status: filters.status });
  if (filters.tag?.length) clauses.push({ tags: { $all: filters.tag } });
  if (filters.search) {
    const contains = { $regex: escapeRegex(filters.search), $options: 'i' };
    clauses.push({ $or: [{ title: contains }, { body: contains }] });
  }

  const combined: ContentFilter =
    clauses.length === 0 ? {} : clauses.length === 1 ? clauses[0] : { $and: clauses };
  // $text has to sit at the top level of the query.
  return filters.q !== undefined ? { $text: { $search: filters.q }, ...combined } : combined;
}

/** Full-text results by relevance, everything else newest first; `_id` breaks ties stably. */
export function buildContentSort(filters: Pick<ContentFilters, 'q'>): ContentSort {
  return filters.q !== undefined
    ? { score: { $meta: 'textScore' }, createdAt: -1, _id: -1 }
    : { createdAt: -1, _id: -1 };
}

/** `GET /content/stats` in one aggregation: counts by status and the most used tags. */
export function buildStatsPipeline(
  viewer: AuthUser | undefined,
  tagLimit: number,
): PipelineStage[] {
  return [
    { $match: visibilityFilter(viewer) },
    {
      $facet: {
        byStatus: [
          { $group: { _id: '$status', count: { $sum: 1 } } },
          { $sort: { _id: 1 } },
          { $project: { _id: 0, status: '$_id', count: 1 } },
        ],
        topTags: [
          { $unwind: '$tags' },
          { $group: { _id: '$tags', count: { $sum: 1 } } },
          { $sort: { count: -1, _id: 1 } },
          { $limit: tagLimit },
          { $project: { _id: 0, tag: '$_id', count: 1 } },
        ],
      },
    },
  ];
}
