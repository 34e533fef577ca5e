import { mkdtempSync, readFileSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateToken, hashSecret, isSecretHash, verifySecret } from './secret-hash';
import { ensureAccessToken, TOKEN_HASH_FILE } from './token-store';

describe('secret hashing', () => {
  it('stores a salted scrypt hash that verifies only the same secret', async () => {
    const a = await hashSecret('correct horse battery staple');
    const b = await hashSecret('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct');
    expect(await verifySecret('correct horse battery staple', a)).toBe(true);
    expect(await verifySecret('correct horse battery stapl', a)).toBe(false);
    expect(isSecretHash(a)).toBe(true);
  });

  it('refuses malformed or tampered hashes instead of throwing', async () => {
    for (const stored of ['', 'plain-text-token', 'scrypt$0$8$1$abc$def', 'scrypt$99999999$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      expect(await verifySecret('x', stored)).toBe(false);
    }
  });

  it('generates 256-bit URL-safe tokens', () => {
    const t = generateToken();
    expect(t).toMatch(/^[\w-]{43}$/);
    expect(generateToken()).not.toBe(t);
  });
});

describe('ensureAccessToken', () => {
  it('creates a token once, keeps only its hash with mode 600, and rotates on reset', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'scripthut-token-')), 'data');
    const first = await ensureAccessToken(dir, false);
    expect(first.created).not.toBeNull();
    const file = join(dir, TOKEN_HASH_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(first.created!);
    expect(await verifySecret(first.created!, readFileSync(file, 'utf8'))).toBe(true);

    const again = await ensureAccessToken(dir, false);
    expect(again.created).toBeNull();
    expect(again.hash).toBe(first.hash);

    const rotated = await ensureAccessToken(dir, true);
    expect(rotated.created).not.toBe(first.created);
    expect(await verifySecret(first.created!, rotated.hash)).toBe(false);
    expect(await verifySecret(rotated.created!, rotated.hash)).toBe(true);
  });

  it('narrows a widened file back to 600 and refuses a file that is not a hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripthut-token-'));
    await ensureAccessToken(dir, false);
    const file = join(dir, TOKEN_HASH_FILE);
    chmodSync(file, 0o644);
    await ensureAccessToken(dir, false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'my-token-in-clear\n');
    await expect(ensureAccessToken(dir, false)).rejects.toThrow(/does not hold an access token hash; start with --reset-token/);
  });
});
