import { expect, test } from '@playwright/test';
import {
  startMailServer,
  SMTP_USER,
  WRONG_SMTP_PASSWORD,
  type MailServer,
} from '../support/mail-server';

// The bell lives in the header of every page and is fed by the page's one event stream.
test('the bell shows a queue finishing, live, and marks it read in this browser', async ({
  page,
}) => {
  await page.goto('/queues');
  const bell = page.getByTestId('notification-bell');
  await expect(bell).toBeVisible();
  const before = Number(await bell.getAttribute('data-unread'));
  await page.getByTestId('run-source-e2e-local').click();
  await expect(page).toHaveURL(/\/queues\/[^/]+$/);
  const queueId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  await expect(page.getByTestId('queue-status')).toHaveText('Failed', { timeout: 45_000 });

  await bell.click();
  const panel = page.getByTestId('notification-panel');
  const finished = panel
    .locator('[data-type="queue.finished"]')
    .filter({ hasText: 'Queue e2e-local on local failed' })
    .first();
  await expect(finished).toBeVisible();
  await expect(finished).toContainText('3 completed, 1 failed');
  await expect(finished).toHaveAttribute('data-unread', 'true');
  await expect(
    panel.locator('[data-type="job.failed"]').filter({ hasText: 'Exits with 2' }).first(),
  ).toBeVisible();
  await expect(bell).not.toHaveAttribute('data-unread', String(before));

  await page.getByTestId('notification-mark-read').click();
  await expect(bell).toHaveAttribute('data-unread', '0');
  await expect(page.getByTestId('notification-unread-count')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(bell).toBeFocused();

  await page.reload();
  await expect(page.getByTestId('notification-bell')).toHaveAttribute('data-unread', '0');
  await page.getByTestId('notification-bell').click();
  await page
    .getByTestId('notification-panel')
    .locator('[data-type="queue.finished"]')
    .first()
    .getByRole('link')
    .click();
  await expect(page).toHaveURL(new RegExp(`/queues/${queueId}$`));
});

test('the Notifications page lists the implicit browser channel and says no rule sends anything', async ({
  page,
}) => {
  await page.goto('/');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Notifications' })
    .click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByTestId('channel-browser')).toContainText('browser');
  await expect(page.getByTestId('notification-no-rules')).toBeVisible();
  await expect(page.getByTestId('desktop-state')).toHaveAttribute('data-state', /off|denied|on/);
});

test.describe('with e-mail channels to a real SMTP server', () => {
  let mail: MailServer;
  test.beforeAll(async () => {
    mail = await startMailServer();
  });
  test.afterAll(async () => {
    await mail.stop();
  });

  test('Send test reaches the SMTP server over STARTTLS with AUTH, and the delivery log shows it', async ({
    page,
  }) => {
    await page.goto(`${mail.url}/notifications`);
    const channel = page.getByTestId('channel-team-mail');
    await expect(channel).toContainText(`(STARTTLS, as ${SMTP_USER}) → alice@example.org`);
    await expect(page.getByTestId('delivery-log-empty')).toBeVisible();

    const arrived = mail.smtp.nextMail();
    await channel.getByTestId('send-test-team-mail').click();
    await expect(page.getByTestId('send-test-result-team-mail')).toHaveText(/^Sent: SMTP 250 /);

    const message = await arrived;
    expect(message).toMatchObject({
      secure: true,
      user: SMTP_USER,
      from: 'scripthut@example.org',
      to: ['alice@example.org'],
    });
    expect(message.parsed.subject).toBe('[ScriptHut] Test message to team-mail');
    expect(message.parsed.from?.text).toBe('scripthut@example.org');
    const id = message.parsed.headers.get('x-scripthut-message') as string;
    expect(id).toMatch(/^msg_/);
    expect(message.parsed.messageId).toBe(`<${id}@scripthut>`);
    expect(message.parsed.text).toContain(
      `If you can read this, ScriptHut can reach 127.0.0.1:${mail.smtp.port} (STARTTLS, as ${SMTP_USER})`,
    );
    const link = /Open in ScriptHut: (\S+)/.exec(message.parsed.text ?? '')?.[1];
    expect(link).toBe(`${mail.url}/notifications`);

    const row = page.getByTestId(`delivery-${id}`);
    await expect(row).toHaveAttribute('data-state', 'sent');
    await expect(row).toContainText('team-mail');
    await expect(row).toContainText('test message');
    await expect(row.locator('.delivery-answer')).toHaveText(/^SMTP 250 /);

    await page.goto(link!);
    await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
  });

  test("a wrong SMTP password shows the server's 535 on the button and in the delivery log, without the password", async ({
    page,
  }) => {
    await page.goto(`${mail.url}/notifications`);
    const before = mail.smtp.received.length;
    await page.getByTestId('send-test-bad-login').click();
    const result = page.getByTestId('send-test-result-bad-login');
    await expect(result).toHaveText(/^Not sent: SMTP 535 /);
    await expect(result).not.toContainText(WRONG_SMTP_PASSWORD);
    const row = page
      .locator('[data-testid^="delivery-"][data-state="failed"]')
      .filter({ hasText: 'bad-login' });
    await expect(row).toHaveCount(1);
    await expect(row.locator('.delivery-answer')).toHaveText(/^SMTP 535 /);
    expect(mail.smtp.received.length).toBe(before);
  });
});
