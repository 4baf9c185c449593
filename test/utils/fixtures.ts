import { randomBytes } from 'node:crypto';
import TestAgent from 'supertest/lib/agent';

export const PASSWORD = 'correct horse battery staple';

export interface RegisteredUser {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
  auth: { Authorization: string };
}

export function uniqueName(prefix = 'user'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Registers a fresh user through the API and logs them in. */
export async function registerAndLogin(
  api: TestAgent,
  overrides: Record<string, unknown> = {},
): Promise<RegisteredUser> {
  const username = (overrides.username as string) ?? uniqueName();
  const email = (overrides.email as string) ?? `${username.toLowerCase()}@example.com`;
  const registered = await api
    .post('/users')
    .send({ email, username, password: PASSWORD, ...overrides })
    .expect(201);
  const login = await api
    .post('/auth/login')
    .send({ login: username, password: PASSWORD })
    .expect(200);
  const token = login.body.accessToken as string;
  return {
    id: registered.body.id,
    username,
    email: registered.body.email,
    password: PASSWORD,
    token,
    auth: { Authorization: `Bearer ${token}` },
  };
}

/** Registers a user and makes them admin directly in the database (as `user:promote` does). */
export async function registerAdmin(
  api: TestAgent,
  promote: (username: string) => Promise<boolean>,
): Promise<RegisteredUser> {
  const admin = await registerAndLogin(api, { username: uniqueName('admin') });
  await promote(admin.username);
  return admin;
}

export const MISSING_UUID = '00000000-0000-4000-8000-000000000000';
