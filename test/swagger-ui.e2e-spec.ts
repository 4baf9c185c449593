import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { registerAndLogin, RegisteredUser, uniqueName } from './utils/fixtures';
import { ARTIFACTS_DIR } from './utils/secrets-watch';
import { createTestApp, TestApp } from './utils/test-app';

/** Debian's Chromium: Playwright's own browser download is not reachable here. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = join(ARTIFACTS_DIR, 'swagger-ui');

function describeWithChromium(name: string, suite: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, suite);
    return;
  }
  const reason = `${CHROMIUM} does not exist (install Debian's chromium package)`;
  console.log(`skipping "${name}": ${reason}`);
  describe.skip(`${name} [skipped: ${reason}]`, suite);
}

/** One operation block of Swagger UI, e.g. `POST /posts`, by its tag and operationId. */
function operation(page: Page, tag: string, operationId: string): Locator {
  return page.locator(`#operations-${tag}-${operationId}`);
}

/**
 * Expands the operation, clicks "Try it out", fills in the body if given, and clicks "Execute":
 * the parameters as the page fills them in (defaults, and examples where the document gives
 * them), as a person who changes nothing would send them.
 */
async function tryItOut(block: Locator, body?: object): Promise<void> {
  await block.locator('.opblock-summary').click();
  await block.getByRole('button', { name: 'Try it out' }).click();
  if (body) await block.locator('textarea.body-param__text').fill(JSON.stringify(body, null, 2));
  await block.getByRole('button', { name: 'Execute' }).click();
}

/** The status code and the response body as the page shows them after "Execute". */
async function shownResponse(block: Locator): Promise<{ status: string; body: string }> {
  const response = block.locator('.live-responses-table tr.response');
  await response.waitFor();
  return {
    status: (await response.locator('.response-col_status').innerText()).trim(),
    body: await response.locator('.response-col_description pre').first().innerText(),
  };
}

/** Pastes a token into the Authorize dialog, as a person would. */
async function authorize(page: Page, token: string): Promise<void> {
  await page.locator('.auth-wrapper').getByRole('button', { name: 'Authorize' }).click();
  const dialog = page.locator('.modal-ux');
  await dialog.locator('input').fill(token);
  await dialog.getByRole('button', { name: 'Apply credentials' }).click(); // "Authorize"
  await dialog.getByText('Authorized', { exact: true }).waitFor();
  await dialog.getByRole('button', { name: 'Close' }).click();
}

describeWithChromium('Swagger UI in a real browser (headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let user: RegisteredUser;
  /** What the page reported as broken: script errors, and resources the CSP refused. */
  let pageErrors: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    user = await registerAndLogin(t.api);
    // Playwright starts Chromium on a fresh, temporary user-data directory of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  // A context per test: Swagger UI keeps the pasted token in local storage (persistAuthorization).
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // Chromium reports every 4xx fetch; an API route's 404 or 401 after "Execute" is an answer
      // the test checks, not a broken page. Swagger UI's own files must all load.
      const { url } = message.location();
      const isApiAnswer = /Failed to load resource/.test(message.text()) && !/\/docs/.test(url);
      if (!isApiAnswer) pageErrors.push(`${message.text()} ${url}`);
    });
    await page.goto(`${await t.app.getUrl()}/docs`);
    await operation(page, 'auth', 'authLogin').waitFor();
  });
  afterEach(async () => {
    await context.close();
    // The security headers (src/common/security-headers.ts) leave Swagger UI whole.
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('logs in with "Try it out", authorizes with the token, creates a post and lists it', async () => {
    const login = operation(page, 'auth', 'authLogin');
    await tryItOut(login, { login: user.username, password: user.password });
    const loggedIn = await shownResponse(login);
    expect(loggedIn.status).toBe('200');
    const { accessToken, tokenType } = JSON.parse(loggedIn.body);
    expect(tokenType).toBe('Bearer');

    await authorize(page, accessToken);

    const title = `Written in Swagger UI ${uniqueName()}`;
    const create = operation(page, 'posts', 'postsCreate');
    await tryItOut(create, {
      title,
      content: 'From a real browser.',
      published: true,
      tags: ['UI'],
    });
    const created = await shownResponse(create);
    expect(created.status).toBe('201');
    expect(JSON.parse(created.body)).toMatchObject({
      title,
      author: { id: user.id, username: user.username },
      tags: [{ name: 'ui' }],
    });
    await expect(create.locator('.curlboxy, .curl-command').first().innerText()).resolves.toContain(
      'Authorization: Bearer',
    );

    const list = operation(page, 'posts', 'postsList');
    await tryItOut(list);
    const listed = await shownResponse(list);
    expect(listed.status).toBe('200');
    expect(listed.body).toContain(title);
    await expect(list.locator('.request-url').innerText()).resolves.toContain(
      '/posts?limit=20&skip=0&sort=-createdAt',
    );

    mkdirSync(SCREENSHOTS, { recursive: true });
    await list.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'swagger-ui-posts.png'), fullPage: true });
    await list.screenshot({ path: join(SCREENSHOTS, 'swagger-ui-list-posts.png') });

    // And the API agrees: the post exists, written by the user whose token was pasted.
    const page1 = await t.api.get(`/posts?authorId=${user.id}`).expect(200);
    expect(page1.body.items.map((post: { title: string }) => post.title)).toEqual([title]);
  }, 90_000);

  it('answers every GET route tried as the page fills it in: 200, or 404 for the example id of a path', async () => {
    const doc = (await t.api.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
    };
    const routes = Object.entries(doc.paths)
      .filter(([, item]) => item.get)
      .map(([path, item]) => ({ path, ...item.get }));
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/users', '/posts', '/tags', '/users/stats/top-authors', '/health']),
    );

    await authorize(page, user.token);
    const answers: [string, string][] = [];
    for (const route of routes) {
      const block = operation(page, route.tags[0], route.operationId);
      await tryItOut(block);
      answers.push([route.path, (await shownResponse(block)).status]);
      await block.locator('.opblock-summary').click(); // collapses it again
    }
    const expected = (path: string) => (path.includes('{') ? /^(200|404)$/ : /^200$/);
    for (const [path, status] of answers)
      expect([path, status]).toEqual([path, expect.stringMatching(expected(path))]);
    console.log(
      `Swagger UI: ${answers.length} GET routes executed as pre-filled: ${JSON.stringify(answers)}`,
    );
  }, 120_000);
});
