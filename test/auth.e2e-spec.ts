import { JwtService } from '@nestjs/jwt';
import { createHmac } from 'node:crypto';
import { UsersService } from '../src/users/users.service';
import { PASSWORD, registerAdmin, registerAndLogin, uniqueName } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const SECRET = process.env.JWT_SECRET!;

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signHs256(payload: object, secret: string): string {
  const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

describe('Auth (section 1)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('POST /auth/login', () => {
    it('logs in with the username, whatever its case, and answers a bearer token', async () => {
      const user = await registerAndLogin(t.api);
      const res = await t.api
        .post('/auth/login')
        .send({ login: user.username.toUpperCase(), password: PASSWORD })
        .expect(200);
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        tokenType: 'Bearer',
        expiresIn: 3600,
      });
      await t.api
        .get('/auth/me')
        .set('Authorization', `Bearer ${res.body.accessToken}`)
        .expect(200);
    });

    it('logs in with the email', async () => {
      const user = await registerAndLogin(t.api);
      await t.api
        .post('/auth/login')
        .send({ login: user.email.toUpperCase(), password: PASSWORD })
        .expect(200);
    });

    it('answers the same 401 for a wrong password and an unknown login', async () => {
      const user = await registerAndLogin(t.api);
      const wrongPassword = await t.api
        .post('/auth/login')
        .send({ login: user.username, password: 'not the password' })
        .expect(401);
      const unknown = await t.api
        .post('/auth/login')
        .send({ login: uniqueName('nobody'), password: PASSWORD })
        .expect(401);
      expect(wrongPassword.body).toEqual(unknown.body);
      expect(unknown.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'invalid login or password',
      });
    });

    it('rejects a missing or malformed body with 400 naming the fields', async () => {
      const res = await t.api.post('/auth/login').send({ login: 42 }).expect(400);
      expect(res.body.message.some((m: string) => m.startsWith('login'))).toBe(true);
      expect(res.body.message.some((m: string) => m.startsWith('password'))).toBe(true);
    });

    it('rejects unknown fields', async () => {
      await t.api
        .post('/auth/login')
        .send({ login: 'someone', password: PASSWORD, remember: true })
        .expect(400);
    });
  });

  describe('GET /auth/me', () => {
    it('answers the caller with their email and no password', async () => {
      const user = await registerAndLogin(t.api, { fullName: 'Me Myself' });
      const res = await t.api.get('/auth/me').set(user.auth).expect(200);
      expect(res.body).toMatchObject({
        id: user.id,
        username: user.username,
        email: user.email,
        fullName: 'Me Myself',
        role: 'user',
      });
      expect(JSON.stringify(res.body)).not.toMatch(/password|argon/i);
    });

    it('needs a token', async () => {
      const res = await t.api.get('/auth/me').expect(401);
      expect(res.body.statusCode).toBe(401);
    });

    it('rejects a header that is not "Bearer <token>"', async () => {
      const user = await registerAndLogin(t.api);
      await t.api.get('/auth/me').set('Authorization', user.token).expect(401);
      await t.api.get('/auth/me').set('Authorization', `Basic ${user.token}`).expect(401);
    });

    it('rejects a token signed with another secret', async () => {
      const user = await registerAndLogin(t.api);
      const forged = signHs256(
        { sub: user.id, exp: Math.floor(Date.now() / 1000) + 60 },
        'another-secret-another-secret-xx',
      );
      await t.api.get('/auth/me').set('Authorization', `Bearer ${forged}`).expect(401);
    });

    it('rejects an unsigned alg:none token', async () => {
      const user = await registerAndLogin(t.api);
      const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: user.id })}.`;
      await t.api.get('/auth/me').set('Authorization', `Bearer ${unsigned}`).expect(401);
    });

    it('rejects an expired token', async () => {
      const user = await registerAndLogin(t.api);
      const expired = signHs256({ sub: user.id, iat: 1_000_000, exp: 1_000_060 }, SECRET);
      await t.api.get('/auth/me').set('Authorization', `Bearer ${expired}`).expect(401);
    });

    it('rejects a valid signature over a payload without a user id', async () => {
      const token = await t.app.get(JwtService).signAsync({ foo: 'bar' });
      await t.api.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    });

    it('accepts a token without a version (issued before tokenVersion) until the password changes', async () => {
      const user = await registerAndLogin(t.api);
      const jwt = t.app.get(JwtService);
      const versionless = await jwt.signAsync({ sub: user.id });
      await t.api.get('/auth/me').set('Authorization', `Bearer ${versionless}`).expect(200);
      const forgedVersion = await jwt.signAsync({ sub: user.id, ver: 'zero' });
      await t.api.get('/auth/me').set('Authorization', `Bearer ${forgedVersion}`).expect(401);
      await t.api
        .patch(`/users/${user.id}`)
        .set(user.auth)
        .send({ password: 'a brand new password', currentPassword: PASSWORD })
        .expect(200);
      await t.api.get('/auth/me').set('Authorization', `Bearer ${versionless}`).expect(401);
    });

    it('sees a role change at once, without a new token', async () => {
      const user = await registerAndLogin(t.api);
      const admin = await registerAdmin(t.api, (name) =>
        t.app.get(UsersService).promoteToAdmin(name),
      );
      await t.api.patch(`/users/${user.id}`).set(admin.auth).send({ role: 'admin' }).expect(200);
      const me = await t.api.get('/auth/me').set(user.auth).expect(200);
      expect(me.body.role).toBe('admin');
    });
  });
});

describe('Login rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once a client exceeds LOGIN_RATE_LIMIT logins a minute, successful or not', async () => {
    const user = await registerAndLogin(t.api); // one successful login
    await t.api
      .post('/auth/login')
      .send({ login: user.username, password: 'wrong password' })
      .expect(401);
    await t.api.post('/auth/login').send({ login: user.username, password: PASSWORD }).expect(200);
    const limited = await t.api
      .post('/auth/login')
      .send({ login: user.username, password: PASSWORD })
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });

  it('limits only the login route', async () => {
    await t.api.get('/health').expect(200);
    await t.api
      .post('/users')
      .send({ email: `${uniqueName()}@example.com`, username: uniqueName(), password: PASSWORD })
      .expect(201);
  });
});
