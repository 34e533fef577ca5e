import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the provider does wrong on purpose, for the refusal tests. */
export interface ProviderFaults {
  /** Sign with a key the JWKS does not publish (a forged token). */
  foreignKey?: boolean;
  nonce?: string;
  audience?: string;
  expiresInS?: number;
}

export interface OidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the next authorization logs in as (the `preferred_username` claim). */
  user: string;
  faults: ProviderFaults;
  /** Token requests refused, with why (a wrong PKCE verifier, secret or redirect_uri). */
  refusals: string[];
  close(): Promise<void>;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/**
 * A minimal OpenID Connect provider on loopback, for tests: discovery, an
 * authorization endpoint that approves at once as `user`, a token endpoint
 * that checks the client secret (basic), redirect_uri and the PKCE verifier,
 * and a JWKS with one RS256 key.
 */
export async function startOidcProvider(): Promise<OidcProvider> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const kid = 'test-key-1';
  const codes = new Map<string, { challenge: string; redirectUri: string; nonce: string; user: string }>();
  const server: Server = createServer((req, res) => {
    handle(req).then(
      ({ status, headers, body }) => {
        res.writeHead(status, headers);
        res.end(body);
      },
      (e: unknown) => {
        res.writeHead(500).end(String(e));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider: OidcProvider = {
    issuer,
    clientId: 'scripthut-test',
    clientSecret: b64url(randomBytes(16)),
    user: 'alice',
    faults: {},
    refusals: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const json = (status: number, value: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

  async function handle(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
    if (url.pathname === '/authorize') {
      const p = url.searchParams;
      if (p.get('client_id') !== provider.clientId || p.get('code_challenge_method') !== 'S256' || p.get('response_type') !== 'code') {
        return { status: 400, headers: {}, body: 'bad authorization request' };
      }
      const code = b64url(randomBytes(16));
      codes.set(code, { challenge: p.get('code_challenge') ?? '', redirectUri: p.get('redirect_uri') ?? '', nonce: p.get('nonce') ?? '', user: provider.user });
      const back = new URL(p.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ code, state: p.get('state') ?? '' }).toString();
      return { status: 302, headers: { location: back.toString() }, body: '' };
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      const form = new URLSearchParams(text);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const basic = Buffer.from(`${provider.clientId}:${provider.clientSecret}`).toString('base64');
      const why =
        !grant ? 'unknown code'
        : req.headers.authorization !== `Basic ${basic}` ? 'wrong client secret'
        : form.get('redirect_uri') !== grant.redirectUri ? 'redirect_uri differs'
        : b64url(createHash('sha256').update(form.get('code_verifier') ?? '').digest()) !== grant.challenge ? 'PKCE verifier does not match'
        : null;
      if (why !== null || !grant) {
        provider.refusals.push(why ?? 'unknown code');
        return json(400, { error: 'invalid_grant', error_description: why });
      }
      const nowS = Math.floor(Date.now() / 1000);
      const f = provider.faults;
      const claims = {
        iss: issuer,
        sub: `sub-${grant.user}`,
        aud: f.audience ?? provider.clientId,
        iat: nowS,
        exp: nowS + (f.expiresInS ?? 300),
        nonce: f.nonce ?? grant.nonce,
        preferred_username: grant.user,
      };
      return json(200, { access_token: 'unused', token_type: 'Bearer', id_token: jwt(claims, f.foreignKey ? foreign : privateKey, kid) });
    }
    return { status: 404, headers: {}, body: 'not found' };
  }
  return provider;
}

function jwt(claims: object, key: KeyObject, kid: string): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${b64url(sign('sha256', Buffer.from(`${head}.${body}`), key))}`;
}
