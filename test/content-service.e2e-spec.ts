import { ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { Connection, Model, Types } from 'mongoose';
import { AuthUser } from '../src/auth/auth-user';
import { describeBulkInsertFailure } from '../src/content/bulk-content';
import { Content, ContentSchema, MAX_COMMENTS_PER_CONTENT } from '../src/content/content.schema';
import { ContentService } from '../src/content/content.service';
import { UserRole } from '../src/users/user-role';
import { describeWithMongo, freshTestMongoUri } from './utils/test-mongo';

const MISSING_ID = '000000000000000000000000';

function someone(role = UserRole.User): AuthUser {
  const id = randomUUID();
  return { id, username: `u${id.slice(0, 8)}`, role };
}

/**
 * ContentService on a MongoDB (a real server with TEST_MONGODB_URI, else the emulator): what
 * each operation leaves in the store, read back with the model, for what the routes of
 * test/content.e2e-spec.ts cannot show: writes that must not happen, a document deleted between
 * a check and a write, how many commands a bulk insert sends, the server's own insert failures.
 */
describeWithMongo('ContentService on MongoDB', () => {
  let moduleRef: TestingModule;
  let service: ContentService;
  let contents: Model<Content>;
  const commandsSent: string[] = [];
  const admin = someone(UserRole.Admin);

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        MongooseModule.forRoot(freshTestMongoUri(), { monitorCommands: true }),
        MongooseModule.forFeature([{ name: Content.name, schema: ContentSchema }]),
      ],
      providers: [ContentService],
    }).compile();
    service = moduleRef.get(ContentService);
    contents = moduleRef.get<Model<Content>>(getModelToken(Content.name));
    await contents.init();
    moduleRef
      .get<Connection>(getConnectionToken())
      .getClient()
      .on('commandStarted', (event) => commandsSent.push(event.commandName));
  });
  afterAll(async () => {
    if (!moduleRef) return;
    await moduleRef.get<Connection>(getConnectionToken()).dropDatabase();
    await moduleRef.close();
  });

  /** Writes through the model, as the store holds it, bypassing the service. */
  async function stored(author: AuthUser, fields: Partial<Content> = {}): Promise<Content> {
    const created = await contents.create({ title: 'Stored', authorId: author.id, ...fields });
    return created.toObject();
  }

  async function reread(id: Types.ObjectId | string): Promise<Content | null> {
    return contents.findById(id).lean<Content>().exec();
  }

  describe('findOne', () => {
    it('answers 404 for an id no document has', async () => {
      await expect(service.findOne(MISSING_ID, someone())).rejects.toThrow(
        new NotFoundException('content not found'),
      );
    });

    it('finds a draft for its author and admins; anyone else gets the 404 of a missing id', async () => {
      const author = someone();
      const draft = await stored(author, { status: 'draft' });
      const id = draft._id.toHexString();
      await expect(service.findOne(id, author)).resolves.toMatchObject({ id });
      await expect(service.findOne(id, admin)).resolves.toMatchObject({ id });
      await expect(service.findOne(id, someone())).rejects.toThrow(NotFoundException);
      await expect(service.findOne(id, undefined)).rejects.toThrow(NotFoundException);
    });

    it('answers the stored document, comments and metadata included, in the response shape', async () => {
      const author = someone();
      const commenter = someone();
      const comment = {
        _id: new Types.ObjectId(),
        authorId: commenter.id,
        body: 'hi',
        createdAt: new Date('2026-11-21T10:00:00.000Z'),
      };
      const record = await stored(author, {
        status: 'published',
        tags: ['a'],
        metadata: { nested: { list: [1, 'two'] } },
        comments: [comment],
      });
      expect(await service.findOne(record._id.toHexString())).toEqual({
        id: record._id.toHexString(),
        title: 'Stored',
        body: '',
        status: 'published',
        authorId: author.id,
        tags: ['a'],
        metadata: { nested: { list: [1, 'two'] } },
        comments: [
          {
            id: comment._id.toHexString(),
            authorId: commenter.id,
            body: 'hi',
            createdAt: comment.createdAt,
          },
        ],
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
      });
    });
  });

  describe('update', () => {
    it('answers 403 to someone who is not the author and writes nothing', async () => {
      const record = await stored(someone(), { status: 'published' });
      await expect(
        service.update(record._id.toHexString(), { title: 'x' }, someone()),
      ).rejects.toThrow(new ForbiddenException('you may only change your own content'));
      expect(await reread(record._id)).toEqual(record);
    });

    it('sets only the fields given, for the author or an admin', async () => {
      const author = someone();
      const record = await stored(author, { body: 'kept', tags: ['kept'], metadata: { k: 1 } });
      const id = record._id.toHexString();
      await service.update(id, { title: 'By author', body: undefined }, author);
      await service.update(id, { status: 'archived' }, admin);
      expect(await reread(id)).toMatchObject({
        title: 'By author',
        status: 'archived',
        body: 'kept',
        tags: ['kept'],
        metadata: { k: 1 },
        authorId: author.id,
        createdAt: record.createdAt,
      });
    });

    it('writes nothing, not even updatedAt, for an empty patch', async () => {
      const author = someone();
      const record = await stored(author);
      const answer = await service.update(record._id.toHexString(), {}, author);
      expect(answer.updatedAt).toEqual(record.updatedAt);
      expect(await reread(record._id)).toEqual(record);
    });

    it('answers 404 when the document is deleted between the ownership check and the write', async () => {
      const author = someone();
      const record = await stored(author);
      const write = contents.findOneAndUpdate.bind(contents);
      // The deletion runs in the store just before the service's own write is sent.
      jest.spyOn(contents, 'findOneAndUpdate').mockImplementationOnce(((
        ...args: Parameters<typeof write>
      ) =>
        write(...args).pre(async () => {
          await contents.deleteOne({ _id: record._id });
        })) as typeof write);
      await expect(
        service.update(record._id.toHexString(), { title: 'x' }, author),
      ).rejects.toThrow(new NotFoundException('content not found'));
      expect(await reread(record._id)).toBeNull();
    });
  });

  describe('replace', () => {
    it('sets every editable field, absent ones to their defaults; author, comments and createdAt stay', async () => {
      const author = someone();
      const comment = {
        _id: new Types.ObjectId(),
        authorId: someone().id,
        body: 'kept',
        createdAt: new Date(),
      };
      const record = await stored(author, {
        body: 'old',
        status: 'published',
        tags: ['old'],
        metadata: { old: true },
        comments: [comment],
      });
      await service.replace(record._id.toHexString(), { title: 'Only a title' }, author);
      const after = await reread(record._id);
      expect(after).toMatchObject({
        title: 'Only a title',
        body: '',
        status: 'draft',
        tags: [],
        metadata: {},
        authorId: author.id,
        comments: [comment],
        createdAt: record.createdAt,
      });
      expect(after!.updatedAt.getTime()).toBeGreaterThanOrEqual(record.updatedAt.getTime());
    });
  });

  describe('remove', () => {
    it('answers 403 to others and keeps the document; its author deletes it', async () => {
      const author = someone();
      const record = await stored(author, { status: 'published' });
      const id = record._id.toHexString();
      await expect(service.remove(id, someone())).rejects.toThrow(ForbiddenException);
      expect(await reread(id)).toEqual(record);
      await service.remove(id, author);
      expect(await reread(id)).toBeNull();
    });
  });

  describe('addComment', () => {
    it('appends the comment as answered, leaving updatedAt and the other comments', async () => {
      const record = await stored(someone(), { status: 'published' });
      const id = record._id.toHexString();
      const first = await service.addComment(id, { body: 'First' }, someone());
      const second = await service.addComment(id, { body: 'Second' }, admin);
      const after = await reread(id);
      expect(
        after!.comments.map((comment) => ({
          id: comment._id.toHexString(),
          authorId: comment.authorId,
          body: comment.body,
          createdAt: comment.createdAt,
        })),
      ).toEqual([first, second]);
      expect(after!.updatedAt).toEqual(record.updatedAt);
    });

    it('keeps every one of many comments sent at once (one atomic $push each)', async () => {
      const record = await stored(someone(), { status: 'published' });
      const id = record._id.toHexString();
      const bodies = Array.from({ length: 20 }, (_, index) => `c${index}`);
      await Promise.all(bodies.map((body) => service.addComment(id, { body }, someone())));
      const after = await reread(id);
      expect(after!.comments.map((comment) => comment.body).sort()).toEqual([...bodies].sort());
    });

    it("answers 404 for someone else's draft and for a missing id, and writes nothing", async () => {
      const draft = await stored(someone(), { status: 'draft' });
      await expect(
        service.addComment(draft._id.toHexString(), { body: 'x' }, someone()),
      ).rejects.toThrow(NotFoundException);
      await expect(service.addComment(MISSING_ID, { body: 'x' }, someone())).rejects.toThrow(
        NotFoundException,
      );
      expect(await reread(draft._id)).toEqual(draft);
    });

    it(`answers 409 once the document holds ${MAX_COMMENTS_PER_CONTENT} comments, and writes nothing`, async () => {
      const commenter = someone();
      const full = Array.from({ length: MAX_COMMENTS_PER_CONTENT }, () => ({
        _id: new Types.ObjectId(),
        authorId: commenter.id,
        body: 'x',
        createdAt: new Date(),
      }));
      const record = await stored(someone(), { status: 'published', comments: full });
      await expect(
        service.addComment(record._id.toHexString(), { body: 'one too many' }, commenter),
      ).rejects.toThrow(
        new ConflictException(
          `a content document takes at most ${MAX_COMMENTS_PER_CONTENT} comments`,
        ),
      );
      expect((await reread(record._id))!.comments).toHaveLength(MAX_COMMENTS_PER_CONTENT);
    });
  });

  describe('createMany', () => {
    it('stores every item with the defaults and the caller as author, in one insert command', async () => {
      const author = someone();
      commandsSent.length = 0;
      const result = await service.createMany(author, [
        { title: 'A' },
        { title: 'B', status: 'published', tags: ['x'], metadata: { n: 2 } },
      ]);
      expect(commandsSent.filter((command) => command === 'insert')).toHaveLength(1);
      expect(result.created).toBe(2);
      const records = await Promise.all(result.ids.map((id) => reread(id)));
      expect(records).toEqual([
        expect.objectContaining({
          title: 'A',
          body: '',
          status: 'draft',
          tags: [],
          metadata: {},
          comments: [],
          authorId: author.id,
        }),
        expect.objectContaining({
          title: 'B',
          status: 'published',
          tags: ['x'],
          metadata: { n: 2 },
          authorId: author.id,
        }),
      ]);
    });
  });

  describe('describeBulkInsertFailure, on the failure of a real ordered insertMany', () => {
    it('names the refused item and its reason, the items created and those not attempted', async () => {
      const duplicate = new Types.ObjectId();
      const authorId = someone().id;
      const failure = await contents
        .insertMany(
          [
            { _id: duplicate, title: 'created', authorId },
            { _id: duplicate, title: 'refused', authorId },
            { title: 'not attempted', authorId },
          ],
          { ordered: true },
        )
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      const answer = describeBulkInsertFailure(failure, 3);
      expect(answer?.getStatus()).toBe(409);
      expect((answer?.getResponse() as { message: string[] }).message).toEqual([
        expect.stringMatching(/^\[1\] was not created: .*duplicate key/i),
        `1 of 3 items were created: ${duplicate.toHexString()}`,
        'items [2] to [2] were not attempted',
      ]);
      expect(await contents.countDocuments({ authorId })).toBe(1);
    });
  });

  describe('removeAllOfAuthor', () => {
    it("deletes the author's documents and pulls their comments from everyone else's, leaving the rest", async () => {
      const leaving = someone();
      const staying = someone();
      const comment = (author: AuthUser, body: string) => ({
        _id: new Types.ObjectId(),
        authorId: author.id,
        body,
        createdAt: new Date(),
      });
      await stored(leaving, { title: 'theirs 1' });
      await stored(leaving, { title: 'theirs 2', status: 'published' });
      const kept = await stored(staying, {
        status: 'published',
        comments: [comment(leaving, 'goes'), comment(staying, 'stays'), comment(leaving, 'goes')],
      });

      await service.removeAllOfAuthor(leaving.id);

      expect(await contents.countDocuments({ authorId: leaving.id })).toBe(0);
      const after = await reread(kept._id);
      expect(after!.comments.map((c) => c.body)).toEqual(['stays']);
      expect(after!.updatedAt).toEqual(kept.updatedAt);
    });
  });
});
