import { ConsoleLogger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { UsersService } from '../src/users/users.service';
import {
  MISSING_UUID,
  PASSWORD,
  registerAdmin,
  registerAndLogin,
  RegisteredUser,
  uniqueName,
} from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

describe('Users (section 2)', () => {
  let t: TestApp;
  const promote = (username: string) => t.app.get(UsersService).promoteToAdmin(username);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('POST /users', () => {
    it('registers a user with a profile and answers 201 with the email, never the password', async () => {
      const username = uniqueName('Reg');
      const res = await t.api
        .post('/users')
        .send({
          email: `  ${username.toUpperCase()}@Example.COM `,
          username,
          password: PASSWORD,
          fullName: 'Ada Lovelace',
          profile: { bio: 'Mathematician', avatarUrl: 'https://example.com/ada.png' },
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: `${username.toLowerCase()}@example.com`,
        username,
        fullName: 'Ada Lovelace',
        isActive: true,
        role: 'user',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        profile: { bio: 'Mathematician', avatarUrl: 'https://example.com/ada.png' },
      });
      expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
      expect(JSON.stringify(res.body)).not.toMatch(/password|argon2/i);
    });

    it('answers profile null when none is given', async () => {
      const res = await t.api
        .post('/users')
        .send({ email: `${uniqueName()}@example.com`, username: uniqueName(), password: PASSWORD })
        .expect(201);
      expect(res.body.profile).toBeNull();
      expect(res.body.fullName).toBeNull();
    });

    it('rejects invalid fields with 400 naming each field', async () => {
      const res = await t.api
        .post('/users')
        .send({
          email: 'not-an-email',
          username: 'a b',
          password: 'short',
          fullName: 'x'.repeat(101),
          profile: { bio: 'x'.repeat(2001), avatarUrl: 'ftp://example.com/a.png' },
        })
        .expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.error).toBe('Bad Request');
      const messages: string[] = res.body.message;
      for (const field of [
        'email',
        'username',
        'password',
        'fullName',
        'profile.bio',
        'profile.avatarUrl',
      ]) {
        expect(messages.some((m) => m.startsWith(field))).toBe(true);
      }
    });

    it('rejects usernames outside 3..30 of [A-Za-z0-9_.-]', async () => {
      for (const username of ['ab', 'x'.repeat(31), 'bad/name', 'naïve']) {
        await t.api
          .post('/users')
          .send({ email: `${uniqueName()}@example.com`, username, password: PASSWORD })
          .expect(400);
      }
    });

    it('rejects passwords longer than 128 characters', async () => {
      await t.api
        .post('/users')
        .send({
          email: `${uniqueName()}@example.com`,
          username: uniqueName(),
          password: 'p'.repeat(129),
        })
        .expect(400);
    });

    describe('password strength (zxcvbn, at least 10^8 guesses)', () => {
      const register = (password: string, username = uniqueName()) =>
        t.api.post('/users').send({ email: `${username}@example.com`, username, password });

      it.each([
        ['12345678', 'it is one of the most used passwords'],
        ['Password123!', 'it is similar to a commonly used password'],
        ['        ', 'repeated characters like "aaa" are easy to guess'],
        ['qwertyuiop', 'it is a very frequently used password'],
        ['abcdefghij', 'sequences like "abc" or "123" are easy to guess'],
      ])('refuses %j with a 400 that says why', async (password, reason) => {
        const res = await register(password).expect(400);
        expect(res.body.message).toEqual([
          expect.stringContaining(`password is too weak: ${reason}`),
        ]);
      });

      it('refuses a password built from the account’s own username', async () => {
        const username = `marmaduke_${randomBytes(2).toString('hex')}`;
        const res = await register(`${username}99`, username).expect(400);
        expect(res.body.message).toEqual([
          expect.stringContaining('it contains your username, e-mail or name'),
        ]);
        // The same password passes for an account it says nothing about.
        await register(`${username}99`).expect(201);
      });

      it('accepts eight random characters and a passphrase of uncommon words', async () => {
        for (const password of ['x7#kQ2pL', 'qzvnwkra', 'kd8s-2jx', 'plum orbit canvas 47']) {
          await register(password).expect(201);
        }
      });

      it('judges the first 32 characters: a weak start is not saved by what follows', async () => {
        const res = await register(`${'a'.repeat(32)}${randomBytes(24).toString('base64url')}`);
        expect(res.status).toBe(400);
        expect(res.body.message).toEqual([expect.stringContaining('password is too weak')]);
      });
    });

    it('rejects unknown body fields instead of dropping them', async () => {
      const res = await t.api
        .post('/users')
        .send({
          email: `${uniqueName()}@example.com`,
          username: uniqueName(),
          password: PASSWORD,
          role: 'admin',
        })
        .expect(400);
      expect(res.body.message).toContain('property role should not exist');
    });

    it('answers 409 naming username when it is taken, case-insensitively', async () => {
      const username = uniqueName('Taken');
      await registerAndLogin(t.api, { username });
      const res = await t.api
        .post('/users')
        .send({
          email: `${uniqueName()}@example.com`,
          username: username.toUpperCase(),
          password: PASSWORD,
        })
        .expect(409);
      expect(res.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'username is already taken',
      });
    });

    it('answers 409 naming email when it is taken, whatever its case', async () => {
      const first = await registerAndLogin(t.api);
      const res = await t.api
        .post('/users')
        .send({ email: first.email.toUpperCase(), username: uniqueName(), password: PASSWORD })
        .expect(409);
      expect(res.body.message).toBe('email is already taken');
    });

    it('writes user and profile in one transaction: a failed profile leaves no user behind', async () => {
      const username = uniqueName();
      // A profile bio over the column size passes nothing to the DB: validation stops it first.
      // So force a failure inside the transaction: a duplicate email after a valid user insert.
      const first = await registerAndLogin(t.api);
      await t.api
        .post('/users')
        .send({ email: first.email, username, password: PASSWORD, profile: { bio: 'x' } })
        .expect(409);
      const count = await t.dataSource.query(
        `SELECT COUNT(*) AS n FROM ${t.dataSource.driver.escape('users')} WHERE ${t.dataSource.driver.escape('normalizedUsername')} = '${username.toLowerCase()}'`,
      );
      expect(Number(count[0].n)).toBe(0);
    });
  });

  describe('secrets', () => {
    it('never writes the password or its hash to a log line, even when the insert fails', async () => {
      const first = await registerAndLogin(t.api);
      const secret = 'a very secret password 123';
      const captured: string[] = [];
      // The testing module logs errors only; let warnings (failed queries) through for this test.
      t.app.useLogger(new ConsoleLogger({ logLevels: ['error', 'warn', 'log'] }));
      const writes = [process.stdout, process.stderr].map((stream) => {
        const original = stream.write.bind(stream);
        stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
          captured.push(String(chunk));
          return original(chunk, ...rest);
        }) as typeof stream.write;
        return () => (stream.write = original as typeof stream.write);
      });
      try {
        const res = await t.api
          .post('/users')
          .send({ email: first.email, username: uniqueName(), password: secret })
          .expect(409);
        expect(JSON.stringify(res.body)).not.toContain(secret);
        await t.api
          .post('/auth/login')
          .send({ login: first.username, password: secret })
          .expect(401);
      } finally {
        writes.forEach((restore) => restore());
        t.app.useLogger(['error']);
      }
      const logs = captured.join('');
      expect(logs).toContain('query failed'); // the failed insert was logged ...
      expect(logs).not.toContain(secret); // ... without the password
      expect(logs).not.toContain('$argon2'); // ... or its hash
    });
  });

  describe('GET /users', () => {
    let caller: RegisteredUser;
    const tag = uniqueName('list').toLowerCase();

    beforeAll(async () => {
      caller = await registerAndLogin(t.api);
      for (const name of ['Charlie', 'alpha', 'Bravo']) {
        await registerAndLogin(t.api, { username: `${tag}_${name}`, fullName: `Person ${name}` });
      }
    });

    it('needs a token', async () => {
      await t.api.get('/users').expect(401);
    });

    it('answers the pagination envelope', async () => {
      const res = await t.api.get(`/users?search=${tag}&limit=2`).set(caller.auth).expect(200);
      expect(res.body).toMatchObject({ total: 3, skip: 0, limit: 2 });
      expect(res.body.items).toHaveLength(2);
    });

    it('sorts by username case-insensitively, both directions', async () => {
      const asc = await t.api
        .get(`/users?search=${tag}&sort=username`)
        .set(caller.auth)
        .expect(200);
      expect(asc.body.items.map((u: { username: string }) => u.username)).toEqual([
        `${tag}_alpha`,
        `${tag}_Bravo`,
        `${tag}_Charlie`,
      ]);
      const desc = await t.api
        .get(`/users?search=${tag}&sort=-username`)
        .set(caller.auth)
        .expect(200);
      expect(desc.body.items[0].username).toBe(`${tag}_Charlie`);
    });

    it('sorts by createdAt', async () => {
      const res = await t.api
        .get(`/users?search=${tag}&sort=createdAt`)
        .set(caller.auth)
        .expect(200);
      expect(res.body.items.map((u: { username: string }) => u.username)).toEqual([
        `${tag}_Charlie`,
        `${tag}_alpha`,
        `${tag}_Bravo`,
      ]);
    });

    it('skips', async () => {
      const res = await t.api
        .get(`/users?search=${tag}&sort=username&skip=2`)
        .set(caller.auth)
        .expect(200);
      expect(res.body.items.map((u: { username: string }) => u.username)).toEqual([
        `${tag}_Charlie`,
      ]);
      expect(res.body.total).toBe(3);
    });

    it('searches the full name case-insensitively', async () => {
      const res = await t.api.get(`/users?search=PERSON bravo`).set(caller.auth).expect(200);
      expect(res.body.items.map((u: { username: string }) => u.username)).toContain(`${tag}_Bravo`);
    });

    it('matches % and _ literally in search', async () => {
      const res = await t.api
        .get(`/users?search=${encodeURIComponent('%')}`)
        .set(caller.auth)
        .expect(200);
      expect(res.body.total).toBe(0);
      const underscore = await t.api.get(`/users?search=${tag}_alph`).set(caller.auth).expect(200);
      expect(underscore.body.total).toBe(1);
      const wildcard = await t.api
        .get(`/users?search=${tag.slice(0, -1)}_`)
        .set(caller.auth)
        .expect(200);
      expect(wildcard.body.total).toBe(0);
    });

    it('hides other users emails from a non-admin', async () => {
      const res = await t.api.get(`/users?search=${tag}`).set(caller.auth).expect(200);
      for (const user of res.body.items) expect(user).not.toHaveProperty('email');
    });

    it('shows emails to admins', async () => {
      const admin = await registerAdmin(t.api, promote);
      const res = await t.api.get(`/users?search=${tag}`).set(admin.auth).expect(200);
      for (const user of res.body.items) expect(user.email).toMatch(/@example\.com$/);
    });

    it('filters by isActive', async () => {
      const admin = await registerAdmin(t.api, promote);
      const target = await registerAndLogin(t.api, { username: `${tag}_delta` });
      await t.api
        .patch(`/users/${target.id}`)
        .set(admin.auth)
        .send({ isActive: false })
        .expect(200);
      const inactive = await t.api
        .get(`/users?search=${tag}&isActive=false`)
        .set(caller.auth)
        .expect(200);
      expect(inactive.body.items.map((u: { id: string }) => u.id)).toEqual([target.id]);
      const active = await t.api
        .get(`/users?search=${tag}&isActive=true`)
        .set(caller.auth)
        .expect(200);
      expect(active.body.total).toBe(3);
    });

    it.each([
      ['limit=0'],
      ['limit=101'],
      ['limit=abc'],
      ['skip=-1'],
      ['skip=1.5'],
      ['sort=email'],
      ['isActive=maybe'],
      ['unknown=1'],
    ])('rejects %s with 400', async (query) => {
      const res = await t.api.get(`/users?${query}`).set(caller.auth).expect(400);
      expect(Array.isArray(res.body.message)).toBe(true);
    });
  });

  describe('GET /users/:id', () => {
    it('is public and hides the email from anonymous callers', async () => {
      const user = await registerAndLogin(t.api);
      const res = await t.api.get(`/users/${user.id}`).expect(200);
      expect(res.body.username).toBe(user.username);
      expect(res.body).not.toHaveProperty('email');
    });

    it('shows the email to the user themself', async () => {
      const user = await registerAndLogin(t.api);
      const res = await t.api.get(`/users/${user.id}`).set(user.auth).expect(200);
      expect(res.body.email).toBe(user.email);
    });

    it('hides the email from other users', async () => {
      const user = await registerAndLogin(t.api);
      const other = await registerAndLogin(t.api);
      const res = await t.api.get(`/users/${user.id}`).set(other.auth).expect(200);
      expect(res.body).not.toHaveProperty('email');
    });

    it('answers 400 for a malformed id and 404 for a missing one', async () => {
      const bad = await t.api.get('/users/not-a-uuid').expect(400);
      expect(bad.body.message).toBe('id must be a UUID');
      const missing = await t.api.get(`/users/${MISSING_UUID}`).expect(404);
      expect(missing.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'user not found',
      });
    });

    it('answers 401 for an invalid token even on this public route', async () => {
      const user = await registerAndLogin(t.api);
      await t.api.get(`/users/${user.id}`).set('Authorization', 'Bearer nonsense').expect(401);
    });
  });

  describe('PATCH /users/:id', () => {
    it('updates only the fields given', async () => {
      const user = await registerAndLogin(t.api, {
        fullName: 'Before',
        profile: { bio: 'bio', avatarUrl: 'http://a.example/x.png' },
      });
      const res = await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ fullName: 'After' })
        .expect(200);
      expect(res.body).toMatchObject({
        fullName: 'After',
        username: user.username,
        email: user.email,
        profile: { bio: 'bio', avatarUrl: 'http://a.example/x.png' },
      });
      expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThanOrEqual(
        new Date(res.body.createdAt).getTime(),
      );
    });

    it('patches the profile partially and clears fields with null', async () => {
      const user = await registerAndLogin(t.api, {
        profile: { bio: 'old', avatarUrl: 'https://a.example/x.png' },
      });
      const res = await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ profile: { bio: null } })
        .expect(200);
      expect(res.body.profile).toEqual({ bio: null, avatarUrl: 'https://a.example/x.png' });
    });

    it('creates a profile when the user had none, and removes it with profile: null', async () => {
      const user = await registerAndLogin(t.api);
      const created = await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ profile: { bio: 'new' } })
        .expect(200);
      expect(created.body.profile).toEqual({ bio: 'new', avatarUrl: null });
      const cleared = await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ profile: null, fullName: null })
        .expect(200);
      expect(cleared.body.profile).toBeNull();
      expect(cleared.body.fullName).toBeNull();
    });

    it('rejects null for fields that cannot be cleared', async () => {
      const user = await registerAndLogin(t.api);
      for (const field of ['email', 'username', 'password']) {
        const res = await t.api
          .patch(`/users/${user.id}`)
          .set(user.auth)
          .send({ [field]: null })
          .expect(400);
        expect(res.body.message.some((m: string) => m.startsWith(field))).toBe(true);
      }
    });

    it('changes the password so that only the new one logs in, and revokes earlier tokens', async () => {
      const user = await registerAndLogin(t.api);
      const otherSession = await t.api
        .post('/auth/login')
        .send({ login: user.username, password: PASSWORD })
        .expect(200);
      await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ password: 'a brand new password', currentPassword: PASSWORD })
        .expect(200);
      for (const token of [user.token, otherSession.body.accessToken]) {
        const res = await t.api.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
        expect(res.body.message).toBe('invalid or expired token');
      }
      await t.api
        .post('/auth/login')
        .send({ login: user.username, password: PASSWORD })
        .expect(401);
      const login = await t.api
        .post('/auth/login')
        .send({ login: user.username, password: 'a brand new password' })
        .expect(200);
      await t.api
        .get('/auth/me')
        .set('Authorization', `Bearer ${login.body.accessToken}`)
        .expect(200);
    });

    it.each([
      ['password', { password: 'a brand new password' }],
      ['email', { email: 'another.address@example.com' }],
    ])(
      'needs currentPassword to change your own %s: missing 400 naming it, wrong 403',
      async (_field, change) => {
        const user = await registerAndLogin(t.api);
        const missing = await t.api
          .patch(`/users/${user.id}`)
          .set(user.auth)
          .send(change)
          .expect(400);
        expect(missing.body.message).toBe(
          'currentPassword is required to change your email or password',
        );
        const wrong = await t.api
          .patch(`/users/${user.id}`)
          .set(user.auth)
          .send({ ...change, currentPassword: 'not the password at all' })
          .expect(403);
        expect(wrong.body.message).toBe('currentPassword is wrong');
        // Nothing changed: the old password and token still work.
        await t.api.get('/auth/me').set(user.auth).expect(200);
        await t.api
          .post('/auth/login')
          .send({ login: user.username, password: PASSWORD })
          .expect(200);
      },
    );

    it('refuses a weak new password with the reason, and keeps the old one', async () => {
      const user = await registerAndLogin(t.api);
      const res = await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ password: 'iloveyou123', currentPassword: PASSWORD })
        .expect(400);
      expect(res.body.message).toEqual([expect.stringContaining('password is too weak')]);
      await t.api.get('/auth/me').set(user.auth).expect(200);
    });

    it('refuses currentPassword where it has no use', async () => {
      const user = await registerAndLogin(t.api);
      const res = await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ fullName: 'x', currentPassword: PASSWORD })
        .expect(400);
      expect(res.body.message).toBe(
        'currentPassword is only accepted with a change of your own email or password',
      );
    });

    it("lets an admin set another user's password without currentPassword, revoking that user's tokens", async () => {
      const user = await registerAndLogin(t.api);
      const admin = await registerAdmin(t.api, promote);
      await t.api
        .patch(`/users/${user.id}`)
        .set(admin.auth)
        .send({ password: 'reset by the admin' })
        .expect(200);
      await t.api.get('/auth/me').set(user.auth).expect(401);
      await t.api.get('/auth/me').set(admin.auth).expect(200);
      await t.api
        .post('/auth/login')
        .send({ login: user.username, password: 'reset by the admin' })
        .expect(200);
    });

    it('keeps tokens valid across changes that are not the password', async () => {
      const user = await registerAndLogin(t.api);
      await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ email: `${uniqueName()}@example.com`, currentPassword: PASSWORD, fullName: 'x' })
        .expect(200);
      await t.api.get('/auth/me').set(user.auth).expect(200);
    });

    it('stores a new email lower-cased and answers 409 when it is taken', async () => {
      const user = await registerAndLogin(t.api);
      const other = await registerAndLogin(t.api);
      const res = await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ email: 'New.Address@Example.com', currentPassword: PASSWORD })
        .expect(200);
      expect(res.body.email).toBe('new.address@example.com');
      const conflict = await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ username: other.username.toUpperCase() })
        .expect(409);
      expect(conflict.body.message).toBe('username is already taken');
    });

    it('needs a token', async () => {
      const user = await registerAndLogin(t.api);
      await t.api.patch(`/users/${user.id}`).send({ fullName: 'x' }).expect(401);
    });

    it('answers 403 when changing someone else', async () => {
      const user = await registerAndLogin(t.api);
      const other = await registerAndLogin(t.api);
      const res = await t.api
        .patch(`/users/${user.id}`)
        .set(other.auth)
        .send({ fullName: 'x' })
        .expect(403);
      expect(res.body.error).toBe('Forbidden');
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const user = await registerAndLogin(t.api);
      await t.api
        .patch(`/users/${MISSING_UUID}`)
        .set(user.auth)
        .send({ fullName: 'x' })
        .expect(404);
      await t.api.patch('/users/123').set(user.auth).send({ fullName: 'x' }).expect(400);
    });

    it('lets only admins set isActive and role', async () => {
      const user = await registerAndLogin(t.api);
      await t.api.patch(`/users/${user.id}`).set(user.auth).send({ role: 'admin' }).expect(403);
      await t.api.patch(`/users/${user.id}`).set(user.auth).send({ isActive: false }).expect(403);
      const admin = await registerAdmin(t.api, promote);
      const res = await t.api
        .patch(`/users/${user.id}`)
        .set(admin.auth)
        .send({ role: 'admin' })
        .expect(200);
      expect(res.body.role).toBe('admin');
      await t.api
        .patch(`/users/${user.id}`)
        .set(admin.auth)
        .send({ role: 'superuser' })
        .expect(400);
    });

    it('lets an admin change any user', async () => {
      const user = await registerAndLogin(t.api);
      const admin = await registerAdmin(t.api, promote);
      const res = await t.api
        .patch(`/users/${user.id}`)
        .set(admin.auth)
        .send({ fullName: 'Set by admin' })
        .expect(200);
      expect(res.body.fullName).toBe('Set by admin');
      expect(res.body.email).toBe(user.email);
    });

    it('locks a deactivated user out: login and existing tokens are 401', async () => {
      const user = await registerAndLogin(t.api);
      const admin = await registerAdmin(t.api, promote);
      await t.api.patch(`/users/${user.id}`).set(admin.auth).send({ isActive: false }).expect(200);
      await t.api.get('/auth/me').set(user.auth).expect(401);
      const login = await t.api
        .post('/auth/login')
        .send({ login: user.username, password: PASSWORD })
        .expect(401);
      expect(login.body.message).toBe('invalid login or password');
    });
  });

  describe('DELETE /users/:id', () => {
    it('deletes the caller and their profile, answering 204', async () => {
      const user = await registerAndLogin(t.api, { profile: { bio: 'gone soon' } });
      await t.api.delete(`/users/${user.id}`).set(user.auth).expect(204);
      await t.api.get(`/users/${user.id}`).expect(404);
      const profiles = await t.dataSource.query(
        `SELECT COUNT(*) AS n FROM ${t.dataSource.driver.escape('profiles')} WHERE ${t.dataSource.driver.escape('userId')} = '${user.id}'`,
      );
      expect(Number(profiles[0].n)).toBe(0);
    });

    it("makes the deleted user's token 401", async () => {
      const user = await registerAndLogin(t.api);
      await t.api.delete(`/users/${user.id}`).set(user.auth).expect(204);
      await t.api.get('/auth/me').set(user.auth).expect(401);
    });

    it('answers 403 for someone else, 404 for unknown, 401 without token', async () => {
      const user = await registerAndLogin(t.api);
      const other = await registerAndLogin(t.api);
      await t.api.delete(`/users/${user.id}`).set(other.auth).expect(403);
      await t.api.delete(`/users/${MISSING_UUID}`).set(other.auth).expect(404);
      await t.api.delete(`/users/${user.id}`).expect(401);
      await t.api.get(`/users/${user.id}`).expect(200);
    });

    it('lets an admin delete any user', async () => {
      const user = await registerAndLogin(t.api);
      const admin = await registerAdmin(t.api, promote);
      await t.api.delete(`/users/${user.id}`).set(admin.auth).expect(204);
    });
  });
});
