import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freeLoopbackPort } from '@scripthut/core/testing';
import {
  selfSignedCertificate,
  startSmtpPeer,
  type SmtpPeer,
} from '@scripthut/core/testing/notifications';
import { listeningUrl, startOwnServer } from './own-server';

/** Known test secrets (./test-all greps everything the suite produced for them). */
const SECRETS = readFileSync(
  resolve(import.meta.dirname, '../../packages/api/test/test-secrets.txt'),
  'utf8',
).split('\n');
/** The SMTP login the peer accepts; the server reads the password from SCRIPTHUT_E2E_SMTP_PASSWORD. */
export const SMTP_USER = 'hut';
const SMTP_PASSWORD = SECRETS[6]!;
/** A password the peer refuses (the test list's wrong passphrase). */
export const WRONG_SMTP_PASSWORD = SECRETS[3]!;

export interface MailServer {
  /** The ScriptHut server, also its `public_url`. */
  url: string;
  smtp: SmtpPeer;
  stop: () => Promise<void>;
}

/**
 * A real SMTP server on a loopback port (STARTTLS with a certificate made
 * now, AUTH required) and a ScriptHut server of its own with two e-mail
 * channels to it: `team-mail` with the right password, `bad-login` with a
 * wrong one. Both passwords come from environment variables.
 */
export async function startMailServer(): Promise<MailServer> {
  const cert = selfSignedCertificate();
  const smtp = await startSmtpPeer({
    key: cert.key,
    cert: cert.cert,
    user: SMTP_USER,
    password: SMTP_PASSWORD,
  });
  const port = await freeLoopbackPort();
  const channel = (name: string, passwordEnv: string) => ({
    name,
    type: 'email',
    host: '127.0.0.1',
    port: smtp.port,
    tls: 'starttls',
    ca_file: cert.certPath,
    user: SMTP_USER,
    password_env: passwordEnv,
    from: 'scripthut@example.org',
    to: ['alice@example.org'],
  });
  const server = await startOwnServer({
    prefix: 'scripthut-e2e-mail-',
    port,
    configFor: (dir) => ({
      clusters: [{ name: 'local', type: 'local', max_concurrent: 1, log_dir: join(dir, 'logs') }],
      settings: { data_dir: join(dir, 'data'), public_url: `http://127.0.0.1:${port}` },
      notifications: {
        channels: [
          channel('team-mail', 'SCRIPTHUT_E2E_SMTP_PASSWORD'),
          channel('bad-login', 'SCRIPTHUT_E2E_SMTP_WRONG'),
        ],
      },
    }),
    env: {
      SCRIPTHUT_E2E_SMTP_PASSWORD: SMTP_PASSWORD,
      SCRIPTHUT_E2E_SMTP_WRONG: WRONG_SMTP_PASSWORD,
    },
    ready: listeningUrl,
  });
  return {
    url: server.started,
    smtp,
    stop: async () => {
      await server.stop();
      await smtp.close();
      cert.remove();
    },
  };
}
