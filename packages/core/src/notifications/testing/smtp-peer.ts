import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A self-signed certificate for 127.0.0.1 and localhost, made by openssl now; `ca` is its PEM (it is its own CA). */
export function selfSignedCertificate(): { key: string; cert: string; certPath: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-smtp-cert-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ReceivedMail {
  parsed: ParsedMail;
  /** The envelope as the client sent it. */
  from: string;
  to: string[];
  user: string | undefined;
  secure: boolean;
}

export interface SmtpPeer {
  port: number;
  received: ReceivedMail[];
  /** Resolves with the next message received from now (or one already received beyond `after`). */
  nextMail(after?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (the nodemailer project's smtp-server):
 * STARTTLS with the given certificate, AUTH PLAIN/LOGIN only after STARTTLS,
 * one user. Recipients starting with `reject-` get 550, `later-` get 451.
 */
export async function startSmtpPeer(o: { key: string; cert: string; user: string; password: string }): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    key: o.key,
    cert: o.cert,
    secure: false,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === o.user && auth.password === o.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('reject-')) callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      else if (address.address.startsWith('later-')) callback(Object.assign(new Error('4.2.1 Mailbox busy, try later'), { responseCode: 451 }));
      else callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({
            parsed,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            secure: session.secure,
          });
          for (const w of waiters.splice(0)) w();
          callback();
        })
        .catch((e: unknown) => callback(e as Error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    async nextMail(after = received.length) {
      while (received.length <= after) await new Promise<void>((r) => waiters.push(r));
      return received[after]!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
