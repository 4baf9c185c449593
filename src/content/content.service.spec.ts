import { ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { Model, Types } from 'mongoose';
import { AuthUser } from '../auth/auth-user';
import { UserRole } from '../users/user-role';
import { Content, MAX_COMMENTS_PER_CONTENT } from './content.schema';
import { ContentService } from './content.service';

const alice: AuthUser = {
  id: '11111111-1111-4111-8111-111111111111',
  username: 'alice',
  role: UserRole.User,
};
const bob: AuthUser = {
  id: '22222222-2222-4222-8222-222222222222',
  username: 'bob',
  role: UserRole.User,
};
const admin: AuthUser = {
  id: '33333333-3333-4333-8333-333333333333',
  username: 'root',
  role: UserRole.Admin,
};
const id = '665f1c2a4e8b3d4c5e9f607a';

/** A Mongoose query stand-in: chainable, resolving to `result` on exec(). */
function query<T>(result: T) {
  const chain = { exec: jest.fn().mockResolvedValue(result) } as Record<string, jest.Mock>;
  for (const method of ['sort', 'skip', 'limit', 'lean']) chain[method] = jest.fn(() => chain);
  return chain;
}

function record(overrides: Partial<Content> = {}): Content {
  const now = new Date('2026-11-21T10:00:00.000Z');
  return {
    _id: new Types.ObjectId(id),
    title: 'Title',
    body: '',
    status: 'published',
    authorId: alice.id,
    tags: [],
    metadata: {},
    comments: [],
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

function serviceWith(model: Partial<Record<keyof Model<Content>, jest.Mock>>): ContentService {
  return new ContentService(model as unknown as Model<Content>);
}

describe('ContentService', () => {
  describe('findOne', () => {
    it('answers 404 when no document has that id', async () => {
      const findOne = jest.fn(() => query(null));
      await expect(serviceWith({ findOne }).findOne(id, alice)).rejects.toThrow(
        new NotFoundException('content not found'),
      );
    });

    it('looks the id up together with what the viewer may see, so hidden drafts are 404 too', async () => {
      const findOne = jest.fn(() => query(record()));
      await serviceWith({ findOne }).findOne(id, bob);
      expect(findOne).toHaveBeenCalledWith({
        _id: id,
        $or: [{ status: { $ne: 'draft' } }, { authorId: bob.id }],
      });
      await serviceWith({ findOne }).findOne(id, undefined);
      expect(findOne).toHaveBeenLastCalledWith({ _id: id, status: { $ne: 'draft' } });
    });

    it('answers the document as a DTO', async () => {
      const comment = {
        _id: new Types.ObjectId(),
        authorId: bob.id,
        body: 'hi',
        createdAt: new Date(),
      };
      const findOne = jest.fn(() => query(record({ comments: [comment], metadata: { a: 1 } })));
      expect(await serviceWith({ findOne }).findOne(id)).toEqual({
        id,
        title: 'Title',
        body: '',
        status: 'published',
        authorId: alice.id,
        tags: [],
        metadata: { a: 1 },
        comments: [
          {
            id: comment._id.toHexString(),
            authorId: bob.id,
            body: 'hi',
            createdAt: comment.createdAt,
          },
        ],
        createdAt: record().createdAt,
        updatedAt: record().updatedAt,
      });
    });
  });

  describe('update', () => {
    it('answers 403 to someone who is not the author, without writing', async () => {
      const findOneAndUpdate = jest.fn();
      const service = serviceWith({ findOne: jest.fn(() => query(record())), findOneAndUpdate });
      await expect(service.update(id, { title: 'x' }, bob)).rejects.toThrow(ForbiddenException);
      expect(findOneAndUpdate).not.toHaveBeenCalled();
    });

    it('$sets only the fields given, for the author or an admin', async () => {
      const findOneAndUpdate = jest.fn(() => query(record({ title: 'New' })));
      const service = serviceWith({ findOne: jest.fn(() => query(record())), findOneAndUpdate });
      await service.update(id, { title: 'New', body: undefined }, admin);
      expect(findOneAndUpdate).toHaveBeenCalledWith(
        { _id: id },
        { $set: { title: 'New' } },
        { returnDocument: 'after', runValidators: true },
      );
    });

    it('writes nothing for an empty patch', async () => {
      const findOneAndUpdate = jest.fn();
      const service = serviceWith({ findOne: jest.fn(() => query(record())), findOneAndUpdate });
      expect((await service.update(id, {}, alice)).title).toBe('Title');
      expect(findOneAndUpdate).not.toHaveBeenCalled();
    });

    it('answers 404 when the document went away between the check and the write', async () => {
      const service = serviceWith({
        findOne: jest.fn(() => query(record())),
        findOneAndUpdate: jest.fn(() => query(null)),
      });
      await expect(service.update(id, { title: 'x' }, alice)).rejects.toThrow(NotFoundException);
    });
  });

  describe('replace', () => {
    it('$sets every editable field, absent ones back to their defaults', async () => {
      const findOneAndUpdate = jest.fn(() => query(record()));
      const service = serviceWith({ findOne: jest.fn(() => query(record())), findOneAndUpdate });
      await service.replace(id, { title: 'Only a title' }, alice);
      expect(findOneAndUpdate).toHaveBeenCalledWith(
        { _id: id },
        { $set: { title: 'Only a title', body: '', status: 'draft', tags: [], metadata: {} } },
        { returnDocument: 'after', runValidators: true },
      );
    });
  });

  describe('remove', () => {
    it('deletes by id after the ownership check, and answers 403 to others', async () => {
      const deleteOne = jest.fn(() => query({ deletedCount: 1 }));
      const service = serviceWith({ findOne: jest.fn(() => query(record())), deleteOne });
      await expect(service.remove(id, bob)).rejects.toThrow(ForbiddenException);
      await service.remove(id, alice);
      expect(deleteOne).toHaveBeenCalledWith({ _id: id });
    });
  });

  describe('addComment', () => {
    it('pushes the comment in one write guarded by visibility and the comment cap', async () => {
      const updateOne = jest.fn(() => query({ matchedCount: 1 }));
      const comment = await serviceWith({ updateOne }).addComment(id, { body: 'Nice' }, bob);
      expect(comment).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        authorId: bob.id,
        body: 'Nice',
        createdAt: expect.any(Date),
      });
      expect(updateOne).toHaveBeenCalledWith(
        {
          _id: id,
          $or: [{ status: { $ne: 'draft' } }, { authorId: bob.id }],
          [`comments.${MAX_COMMENTS_PER_CONTENT - 1}`]: { $exists: false },
        },
        {
          $push: {
            comments: {
              _id: new Types.ObjectId(comment.id),
              authorId: bob.id,
              body: 'Nice',
              createdAt: comment.createdAt,
            },
          },
        },
        { timestamps: false, runValidators: true },
      );
    });

    it('answers 404 when nothing matched because the document is missing or hidden', async () => {
      const service = serviceWith({
        updateOne: jest.fn(() => query({ matchedCount: 0 })),
        findOne: jest.fn(() => query(null)),
      });
      await expect(service.addComment(id, { body: 'x' }, bob)).rejects.toThrow(NotFoundException);
    });

    it('answers 409 when nothing matched because the document is full', async () => {
      const service = serviceWith({
        updateOne: jest.fn(() => query({ matchedCount: 0 })),
        findOne: jest.fn(() => query(record())),
      });
      await expect(service.addComment(id, { body: 'x' }, bob)).rejects.toThrow(
        new ConflictException(
          `a content document takes at most ${MAX_COMMENTS_PER_CONTENT} comments`,
        ),
      );
    });
  });

  describe('createMany', () => {
    it('inserts every item with defaults and the caller as author, in one ordered insertMany', async () => {
      const ids = [new Types.ObjectId(), new Types.ObjectId()];
      const insertMany = jest.fn().mockResolvedValue(ids.map((_id) => ({ _id })));
      const result = await serviceWith({ insertMany }).createMany(alice, [
        { title: 'A' },
        { title: 'B', status: 'published', tags: ['x'] },
      ]);
      expect(insertMany).toHaveBeenCalledTimes(1);
      expect(insertMany).toHaveBeenCalledWith(
        [
          { title: 'A', body: '', status: 'draft', tags: [], metadata: {}, authorId: alice.id },
          {
            title: 'B',
            body: '',
            status: 'published',
            tags: ['x'],
            metadata: {},
            authorId: alice.id,
          },
        ],
        { ordered: true },
      );
      expect(result).toEqual({ created: 2, ids: ids.map((oid) => oid.toHexString()) });
    });

    it('turns a refused item into an answer naming it', async () => {
      const insertMany = jest.fn().mockRejectedValue(
        Object.assign(new Error('E11000'), {
          writeErrors: [{ index: 0, err: { code: 11000, errmsg: 'E11000 duplicate key' } }],
          insertedDocs: [],
        }),
      );
      await expect(serviceWith({ insertMany }).createMany(alice, [{ title: 'A' }])).rejects.toThrow(
        ConflictException,
      );
    });
  });

  describe('removeAllOfAuthor', () => {
    it("deletes the author's documents and pulls their comments from everyone else's", async () => {
      const deleteMany = jest.fn(() => query({ deletedCount: 3 }));
      const updateMany = jest.fn(() => query({ modifiedCount: 1 }));
      await serviceWith({ deleteMany, updateMany }).removeAllOfAuthor(alice.id);
      expect(deleteMany).toHaveBeenCalledWith({ authorId: alice.id });
      expect(updateMany).toHaveBeenCalledWith(
        { 'comments.authorId': alice.id },
        { $pull: { comments: { authorId: alice.id } } },
        { timestamps: false },
      );
    });
  });
});
