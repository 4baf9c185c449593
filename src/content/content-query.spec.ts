import { AuthUser } from '../auth/auth-user';
import { UserRole } from '../users/user-role';
import {
  buildContentFilter,
  buildContentSort,
  buildStatsPipeline,
  escapeRegex,
  visibilityFilter,
} from './content-query';

const alice: AuthUser = {
  id: 'a1a1a1a1-0000-4000-8000-000000000001',
  username: 'alice',
  role: UserRole.User,
};
const admin: AuthUser = {
  id: 'ad000000-0000-4000-8000-000000000002',
  username: 'root',
  role: UserRole.Admin,
};

describe('visibilityFilter', () => {
  it('hides every draft from anonymous callers', () => {
    expect(visibilityFilter(undefined)).toEqual({ status: { $ne: 'draft' } });
  });

  it('shows a user their own drafts only', () => {
    expect(visibilityFilter(alice)).toEqual({
      $or: [{ status: { $ne: 'draft' } }, { authorId: alice.id }],
    });
  });

  it('restricts nothing for admins', () => {
    expect(visibilityFilter(admin)).toEqual({});
  });
});

describe('escapeRegex', () => {
  it('escapes every regex metacharacter so the input matches literally', () => {
    expect(escapeRegex('a.b*c+d?e^f$g{1}(h)|i[j]\\k')).toBe(
      'a\\.b\\*c\\+d\\?e\\^f\\$g\\{1\\}\\(h\\)\\|i\\[j\\]\\\\k',
    );
    const pattern = new RegExp(escapeRegex('1+1=(2)'), 'i');
    expect(pattern.test('so 1+1=(2) holds')).toBe(true);
    expect(pattern.test('11=2')).toBe(false);
  });

  it('leaves ordinary text alone', () => {
    expect(escapeRegex('schema design 101')).toBe('schema design 101');
  });
});

describe('buildContentFilter', () => {
  it('is only the visibility rule when no filter is given', () => {
    expect(buildContentFilter({}, undefined)).toEqual({ status: { $ne: 'draft' } });
    expect(buildContentFilter({}, admin)).toEqual({});
  });

  it('ANDs every filter with the visibility rule', () => {
    expect(
      buildContentFilter(
        { authorId: alice.id, status: 'published', tag: ['mongodb', 'nosql'], search: 'a.b' },
        alice,
      ),
    ).toEqual({
      $and: [
        { $or: [{ status: { $ne: 'draft' } }, { authorId: alice.id }] },
        { authorId: alice.id },
        { status: 'published' },
        { tags: { $all: ['mongodb', 'nosql'] } },
        {
          $or: [
            { title: { $regex: 'a\\.b', $options: 'i' } },
            { body: { $regex: 'a\\.b', $options: 'i' } },
          ],
        },
      ],
    });
  });

  it('keeps a single clause unwrapped for admins', () => {
    expect(buildContentFilter({ status: 'draft' }, admin)).toEqual({ status: 'draft' });
  });

  it('escapes search input: regex syntax matches literally, case-insensitively', () => {
    expect(buildContentFilter({ search: '(.*)' }, admin)).toEqual({
      $or: [
        { title: { $regex: '\\(\\.\\*\\)', $options: 'i' } },
        { body: { $regex: '\\(\\.\\*\\)', $options: 'i' } },
      ],
    });
  });

  it('puts the full-text search for q at the top level, beside the other clauses', () => {
    expect(buildContentFilter({ q: 'schema "embedded documents"' }, undefined)).toEqual({
      $text: { $search: 'schema "embedded documents"' },
      status: { $ne: 'draft' },
    });
    expect(buildContentFilter({ q: 'schema', tag: ['mongodb'] }, alice)).toEqual({
      $text: { $search: 'schema' },
      $and: [
        { $or: [{ status: { $ne: 'draft' } }, { authorId: alice.id }] },
        { tags: { $all: ['mongodb'] } },
      ],
    });
  });

  it('ignores an empty tag list and an empty search', () => {
    expect(buildContentFilter({ tag: [], search: '' }, admin)).toEqual({});
  });
});

describe('buildContentSort', () => {
  it('is newest first, ties broken by id', () => {
    expect(buildContentSort({})).toEqual({ createdAt: -1, _id: -1 });
  });

  it('ranks by text score when q is given', () => {
    expect(buildContentSort({ q: 'schema' })).toEqual({
      score: { $meta: 'textScore' },
      createdAt: -1,
      _id: -1,
    });
  });
});

describe('buildStatsPipeline', () => {
  it('is one $match on visibility then one $facet counting statuses and top tags', () => {
    expect(buildStatsPipeline(undefined, 10)).toEqual([
      { $match: { status: { $ne: 'draft' } } },
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
            { $limit: 10 },
            { $project: { _id: 0, tag: '$_id', count: 1 } },
          ],
        },
      },
    ]);
  });

  it('matches what the viewer may see and honours the tag limit', () => {
    const pipeline = buildStatsPipeline(alice, 3);
    expect(pipeline[0]).toEqual({
      $match: { $or: [{ status: { $ne: 'draft' } }, { authorId: alice.id }] },
    });
    expect(JSON.stringify(pipeline[1])).toContain('{"$limit":3}');
    expect(buildStatsPipeline(admin, 10)[0]).toEqual({ $match: {} });
  });
});
