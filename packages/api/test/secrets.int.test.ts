import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeLoopbackPort } from '@scripthut/core/testing';
import { describe, expect, it } from 'vitest';
import { hashSecret } from '../src/auth/secret-hash';
import { TOKEN_HASH_FILE } from '../src/auth/token-store';
import { readTestSecrets, refusedRun, startServer } from './secret-run';

const S = readTestSecrets();
const WEB_DIST = resolve(import.meta.dirname, '../../../apps/web/dist');

/** Every (label, text) produced: HTTP exchanges, server output, built files. */
const captured: [string, string][] = [];
const record = (label: string, text: string): void => {
  captured.push([label, text]);
};

async function exchange(label: string, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    signal: init.signal ?? AbortSignal.timeout(15_000),
  }).catch((e: unknown) => {
    throw new Error(`${label}: ${String(e)}`);
  });
  const body = await res
    .clone()
    .text()
    .catch((e: unknown) => `(body unreadable: ${String(e)})`);
  record(`${label} ${res.status}`, `${JSON.stringify([...res.headers])}\n${body}`);
  return res;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-secrets-'));
  const key = join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    S.passphrase!,
    '-C',
    'scripthut-secret-test',
    '-f',
    key,
  ]);
  const keyLines = readFileSync(key, 'utf8')
    .split('\n')
    .filter((l) => l.length >= 20 && !l.startsWith('-----'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, '');
  return { dir, key, keyLines, knownHosts };
}

describe('no secret leaves the server', () => {
  it('keeps token, password, passphrases, key, git token and notification secrets out of responses, logs, errors and the SPA bundle', async () => {
    const { dir, key, keyLines, knownHosts } = setup();
    const closedPort = await freeLoopbackPort();
    // A git host that refuses every request, so the HTTPS token is offered and rejected.
    const gitHost = createServer((_req, res) =>
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end('denied'),
    );
    await new Promise<void>((r) => gitHost.listen(0, '127.0.0.1', r));
    // Slack and webhook receivers that refuse, so their answers travel back into the delivery log.
    const hookHost = createServer((req, res) => {
      req.resume();
      res.writeHead(req.url?.startsWith('/services/') ? 404 : 500).end(req.url?.startsWith('/services/') ? 'channel_not_found' : 'down');
    });
    await new Promise<void>((r) => hookHost.listen(0, '127.0.0.1', r));
    const hookBase = `http://127.0.0.1:${(hookHost.address() as AddressInfo).port}`;
    const ssh = (passphraseEnv: string) => ({
      host: '127.0.0.1',
      port: closedPort,
      user: 'alice',
      key_path: key,
      passphrase_env: passphraseEnv,
      known_hosts: knownHosts,
    });
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    writeFileSync(join(dataDir, TOKEN_HASH_FILE), `${await hashSecret(S.token!)}\n`, {
      mode: 0o600,
    });
    const config = join(dir, 'scripthut.yaml');
    // JSON is YAML, and the api package has no YAML writer.
    writeFileSync(
      config,
      JSON.stringify({
        clusters: [
          { name: 'hpc', type: 'slurm', ssh: ssh('HUT_TEST_PASSPHRASE') },
          { name: 'wrongpass', type: 'slurm', ssh: ssh('HUT_TEST_WRONG_PASSPHRASE') },
        ],
        sources: [
          {
            name: 'repo',
            url: `http://127.0.0.1:${(gitHost.address() as AddressInfo).port}/org/repo.git`,
            token_env: 'HUT_TEST_GIT_TOKEN',
          },
        ],
        task_sources: [{ name: 'jobs', cluster: 'hpc', command: 'cat tasks.json', source: 'repo' }],
        notifications: {
          channels: [
            { name: 'mail', type: 'email', host: '127.0.0.1', port: closedPort, user: 'hut', password_env: 'HUT_TEST_SMTP_PASSWORD', from: 'hut@example.org', to: ['a@example.org'] },
            { name: 'chat', type: 'slack', webhook_url_env: 'HUT_TEST_SLACK_URL', allow_private: true },
            { name: 'hook', type: 'webhook', url: `${hookBase}/hook`, secret_env: 'HUT_TEST_WEBHOOK_SECRET', allow_private: true },
          ],
          rules: [{ name: 'all', events: ['job.failed', 'cluster.unreachable'], channels: ['mail', 'chat', 'hook'] }],
        },
        settings: {
          data_dir: dataDir,
          poll_interval: 5,
          auth: { token: true, password_env: 'HUT_TEST_PASSWORD' },
        },
      }),
    );
    const env = {
      HUT_TEST_PASSWORD: S.password!,
      HUT_TEST_PASSPHRASE: S.passphrase!,
      HUT_TEST_WRONG_PASSPHRASE: S.wrongPassphrase!,
      HUT_TEST_GIT_TOKEN: S.gitToken!,
      HUT_TEST_SMTP_PASSWORD: S.smtpPassword!,
      HUT_TEST_SLACK_URL: `${hookBase}/services/${S.slackPath!}`,
      HUT_TEST_WEBHOOK_SECRET: S.webhookSecret!,
    };
    const server = await startServer(['--config', config, '--port', '0'], env, dir);
    const base = server.url;
    const origin = { origin: base };
    const json = { 'content-type': 'application/json', ...origin };
    try {
      await exchange('health', `${base}/health`);
      await exchange('login wrong', `${base}/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ secret: `${S.token!}x` }),
      });
      await exchange('trpc without session', `${base}/trpc/clusters.list`);
      const byToken = await exchange('login token', `${base}/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ secret: S.token }),
      });
      const cookie = (byToken.headers.get('set-cookie') ?? '').split(';')[0]!;
      await exchange('login password', `${base}/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ secret: S.password }),
      });
      const authed = { cookie, ...origin };
      await exchange('refresh', `${base}/trpc/clusters.refresh`, {
        method: 'POST',
        headers: { ...authed, 'content-type': 'application/json' },
        body: '{}',
      });
      await exchange('sync', `${base}/trpc/sources.sync`, {
        method: 'POST',
        headers: { ...authed, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'repo' }),
      });
      await exchange('rest sync', `${base}/sources/repo/sync`, { method: 'POST', headers: authed });
      for (const channel of ['mail', 'chat', 'hook']) {
        await exchange(`send test ${channel}`, `${base}/trpc/notifications.sendTest`, {
          method: 'POST',
          headers: { ...authed, 'content-type': 'application/json' },
          body: JSON.stringify({ channel }),
        });
      }
      await new Promise((r) => setTimeout(r, 3_000)); // a poll of both clusters fails meanwhile
      for (const path of [
        'system.info',
        'system.health',
        'clusters.list',
        'jobs.list',
        'sources.list',
        'taskSources.list',
        'queues.list',
        'notifications.channels',
        'notifications.rules',
        'notifications.deliveries',
        'notifications.recent',
      ]) {
        await exchange(path, `${base}/trpc/${path}`, { headers: authed });
      }
      await exchange('bad input', `${base}/trpc/jobs.get?input=${encodeURIComponent('{"id":5}')}`, {
        headers: authed,
      });
      await exchange('cross-site', `${base}/trpc/jobs.cancel`, {
        method: 'POST',
        headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
        body: '{"id":"hpc:1"}',
      });
      for (const path of ['/health', '/task-sources', '/sources', '/queues/list', '/nope']) {
        await exchange(`rest ${path}`, `${base}${path}`, {
          headers: { ...authed, accept: 'application/json' },
        });
      }
      await exchange('stream', `${base}/trpc/events.stream?input=%7B%7D`, {
        headers: { ...authed, accept: 'text/event-stream' },
        signal: AbortSignal.timeout(1_500),
      }).catch(() => null);
      await exchange('logout', `${base}/auth/logout`, { method: 'POST', headers: authed });
    } finally {
      // Exit code not asserted: with an SSH cluster refusing connections, shutdown currently hits its 5 s limit (exit 1), a core issue of its own.
      await server.stop();
      gitHost.close();
      hookHost.close();
    }
    record('server output', server.output());

    const refusals = [
      refusedRun(
        ['--config', config, '--host', '0.0.0.0', '--port', '0'],
        { ...env, HUT_TEST_PASSWORD: S.shortPassword! },
        dir,
      ),
      (() => {
        const withPassword = join(dir, 'typo.yaml');
        writeFileSync(
          withPassword,
          `settings:\n  auth:\n    password: ${S.password!}\n  server_port: "${S.token!}"\n`,
        );
        return refusedRun(['--config', withPassword], env, dir);
      })(),
    ];
    expect(refusals.map((r) => r.status)).toEqual([2, 2]);
    refusals.forEach((r, i) => record(`refused start ${i}`, r.output));
    expect(refusals[0]!.output).toContain('shorter than 12 characters');

    for (const file of filesUnder(WEB_DIST))
      record(`web bundle ${file}`, readFileSync(file, 'latin1'));
    expect(captured.length).toBeGreaterThan(30);

    const secrets: [string, string][] = [
      ...Object.entries(S),
      ...keyLines.map((l, i): [string, string] => [`key line ${i}`, l]),
    ];
    const leaks = captured.flatMap(([label, text]) =>
      secrets.filter(([, value]) => text.includes(value)).map(([name]) => `${name} in ${label}`),
    );
    // Names only: a failing assertion must not print the secret itself.
    expect(leaks).toEqual([]);
  }, 90_000);
});
