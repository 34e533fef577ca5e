import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { OidcConfig } from '@scripthut/core';
import { z } from 'zod';

/** One authorization request waiting for the provider to send the browser back. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  createdMs: number;
}

export class OidcError extends Error {}

export interface OidcLogin {
  readonly label: string;
  /** Where to send the browser, and what the callback must match. */
  begin(): Promise<{ url: string; pending: PendingLogin }>;
  /** Exchanges the code, checks the id_token and returns the user name its claim carries. */
  finish(code: string, pending: PendingLogin): Promise<string>;
}

export interface OidcLoginOptions {
  config: OidcConfig;
  /** `<public_url>/auth/oidc/callback`. */
  redirectUri: string;
  clientSecret: string | null;
  fetch?: typeof fetch;
  now?: () => number;
}

const Discovery = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
});
type Discovery = z.infer<typeof Discovery>;

const TokenResponse = z.looseObject({ id_token: z.string().min(1).max(16_384) });
const Jwks = z.looseObject({ keys: z.array(z.looseObject({ kid: z.string().optional(), kty: z.string() })) });

/** Signature algorithms accepted on an id_token, with what node:crypto needs to check each. */
const ALGORITHMS: Record<string, { hash: string; pss?: boolean; ecdsa?: boolean }> = {
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  PS256: { hash: 'sha256', pss: true },
  ES256: { hash: 'sha256', ecdsa: true },
  ES384: { hash: 'sha384', ecdsa: true },
};

/** Clock skew tolerated between this server and the provider. */
const SKEW_S = 60;

const b64url = (bytes: Buffer): string => bytes.toString('base64url');

/**
 * OpenID Connect authorization code flow with PKCE (S256), a state and a
 * nonce. Discovery and keys are fetched on first use and the keys again
 * when a token names a key id not seen yet (the provider rotated them).
 */
export function createOidcLogin(o: OidcLoginOptions): OidcLogin {
  const http = o.fetch ?? fetch;
  const now = o.now ?? Date.now;
  const issuer = o.config.issuer;
  let discovery: Promise<Discovery> | null = null;
  let keys: Map<string, { key: KeyObject; kid: string | undefined }[]> | null = null;

  const getJson = async (url: string, init?: RequestInit): Promise<unknown> => {
    const res = await http(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new OidcError(`${url} answered HTTP ${res.status}`);
    return res.json();
  };
  const discover = (): Promise<Discovery> => {
    discovery ??= (async () => {
      const doc = Discovery.parse(await getJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`));
      if (doc.issuer !== issuer) throw new OidcError(`the provider calls itself ${doc.issuer}, not ${issuer} (settings.auth.oidc.issuer)`);
      return doc;
    })();
    discovery.catch(() => (discovery = null));
    return discovery;
  };
  const loadKeys = async (): Promise<void> => {
    const set = Jwks.parse(await getJson((await discover()).jwks_uri));
    keys = new Map();
    for (const jwk of set.keys) {
      try {
        const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
        keys.set(jwk.kty, [...(keys.get(jwk.kty) ?? []), { key, kid: jwk.kid }]);
      } catch {
        // A key of a kind node cannot read is skipped; a token signed with it is refused.
      }
    }
  };
  const keyFor = async (kid: string | undefined, kty: string, reloaded = false): Promise<KeyObject> => {
    if (keys === null) await loadKeys();
    const match = (keys?.get(kty) ?? []).find((k) => kid === undefined || k.kid === kid);
    if (match) return match.key;
    if (!reloaded) {
      keys = null;
      return keyFor(kid, kty, true);
    }
    throw new OidcError(`the provider publishes no ${kty} key${kid ? ` with id ${kid}` : ''}`);
  };

  return {
    label: o.config.label,
    async begin() {
      const endpoint = (await discover()).authorization_endpoint;
      const pending: PendingLogin = {
        state: b64url(randomBytes(32)),
        nonce: b64url(randomBytes(32)),
        codeVerifier: b64url(randomBytes(32)),
        createdMs: now(),
      };
      const url = new URL(endpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: o.config.client_id,
        redirect_uri: o.redirectUri,
        scope: o.config.scopes.join(' '),
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: b64url(createHash('sha256').update(pending.codeVerifier).digest()),
        code_challenge_method: 'S256',
      }).toString();
      return { url: url.toString(), pending };
    },
    async finish(code, pending) {
      const { token_endpoint } = await discover();
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: o.redirectUri, code_verifier: pending.codeVerifier, client_id: o.config.client_id });
      if (o.clientSecret !== null) {
        const basic = `${encodeURIComponent(o.config.client_id)}:${encodeURIComponent(o.clientSecret)}`;
        headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
      }
      const { id_token } = TokenResponse.parse(await getJson(token_endpoint, { method: 'POST', headers, body: form.toString() }));
      const claims = await verifyIdToken(id_token, keyFor);
      checkClaims(claims, { issuer, clientId: o.config.client_id, nonce: pending.nonce, nowS: now() / 1000 });
      const name = claims[o.config.username_claim];
      if (typeof name !== 'string' || name === '') throw new OidcError(`the id_token carries no ${o.config.username_claim} claim (settings.auth.oidc.username_claim)`);
      return name;
    },
  };
}

type KeyLookup = (kid: string | undefined, kty: string) => Promise<KeyObject>;

async function verifyIdToken(token: string, keyFor: KeyLookup): Promise<Record<string, unknown>> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new OidcError('the id_token is not a signed JWT');
  const [head, body, signature] = parts as [string, string, string];
  const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
  const alg = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
  if (!alg) throw new OidcError(`the id_token is signed with ${String(header.alg)}; accepted: ${Object.keys(ALGORITHMS).join(', ')}`);
  const key = await keyFor(typeof header.kid === 'string' ? header.kid : undefined, alg.ecdsa ? 'EC' : 'RSA');
  const ok = verify(
    alg.hash,
    Buffer.from(`${head}.${body}`),
    { key, ...(alg.pss ? { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 } : {}), ...(alg.ecdsa ? { dsaEncoding: 'ieee-p1363' as const } : {}) },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) throw new OidcError('the id_token signature does not verify with the provider\'s keys');
  const claims: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  if (typeof claims !== 'object' || claims === null) throw new OidcError('the id_token carries no claims');
  return claims as Record<string, unknown>;
}

/** The checks of OpenID Connect Core 3.1.3.7 that apply to a confidential or PKCE client. */
export function checkClaims(claims: Record<string, unknown>, o: { issuer: string; clientId: string; nonce: string; nowS: number }): void {
  if (claims.iss !== o.issuer) throw new OidcError(`the id_token was issued by ${String(claims.iss)}, not ${o.issuer}`);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(o.clientId)) throw new OidcError(`the id_token is meant for ${aud.map(String).join(', ')}, not client ${o.clientId}`);
  if (aud.length > 1 && claims.azp !== o.clientId) throw new OidcError('the id_token has several audiences and another authorized party');
  if (typeof claims.exp !== 'number' || claims.exp + SKEW_S < o.nowS) throw new OidcError('the id_token has expired');
  if (typeof claims.iat === 'number' && claims.iat - SKEW_S > o.nowS) throw new OidcError('the id_token was issued in the future');
  if (claims.nonce !== o.nonce) throw new OidcError('the id_token does not answer this login (nonce mismatch)');
}
