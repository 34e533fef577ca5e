import { expect, test } from '@playwright/test';
import { startAuthServer, TEST_PASSWORD, type AuthServer } from '../support/auth-server';

let server: AuthServer;
test.beforeAll(async () => {
  server = await startAuthServer();
});
test.afterAll(async () => {
  await server.stop();
});

test('logs in with the password through the form, sees the dashboard, and logs out', async ({
  page,
}) => {
  await page.goto(server.url);
  const form = page.getByTestId('login-form');
  await expect(form).toBeVisible();
  await expect(page.getByTestId('cluster-card-local')).toHaveCount(0);

  const secret = page.getByLabel('Access token or password');
  await secret.fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText(
    'That access token or password is not right.',
  );

  await secret.fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('cluster-card-local')).toBeVisible();
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'live');

  await page.reload();
  await expect(page.getByTestId('cluster-card-local')).toBeVisible();

  await page.getByTestId('logout').click();
  await expect(form).toBeVisible();
  expect((await page.request.get(`${server.url}/trpc/system.info`)).status()).toBe(401);
});

test('logs in with the access token printed at first start; a deep link survives', async ({
  page,
}) => {
  await page.goto(`${server.url}/queues`);
  await page.getByTestId('login-secret').fill(server.token);
  await page.getByTestId('login-submit').click();
  await expect(page.getByRole('link', { name: 'Queues' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('logout')).toBeVisible();
});

test('the session cookie is HttpOnly and SameSite=Strict, invisible to page scripts', async ({
  page,
  context,
}) => {
  await page.goto(server.url);
  await page.getByTestId('login-secret').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('cluster-card-local')).toBeVisible();
  const [cookie] = await context.cookies(server.url);
  expect(cookie).toMatchObject({
    name: 'scripthut_session',
    httpOnly: true,
    sameSite: 'Strict',
    secure: false,
  });
  expect(await page.evaluate(() => document.cookie)).not.toContain('scripthut_session');
});
