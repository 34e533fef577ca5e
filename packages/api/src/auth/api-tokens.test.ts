import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_TOKENS_FILE } from './api-token-file';
import { ApiTokenFileError, ApiTokenStore } from './api-tokens';

const dataDir = (): string => join(mkdtempSync(join(tmpdir(), 'scripthut-tokens-')), 'data');

describe('ApiTokenStore', () => {
  it('creates tokens of the form sht_<id>_<secret> that verify, each with its own id', async () => {
    const store = new ApiTokenStore(dataDir());
    const a = await store.create('ci');
    const b = await store.create('laptop', 'alice');
    expect(a.token).toMatch(/^sht_[0-9a-f]{12}_[\w-]{43}$/);
    expect(a.token.slice(4, 16)).toBe(a.record.id);
    expect(a.record.id).not.toBe(b.record.id);
    expect(await store.verify(a.token)).toEqual({ id: a.record.id, name: 'ci', user: null });
    expect(await store.verify(b.token)).toEqual({ id: b.record.id, name: 'laptop', user: 'alice' });
    expect(await store.verify(`sht_${a.record.id}_${b.token.slice(-43)}`)).toBeNull();
    expect(store.list().map((t) => t.name)).toEqual(['ci', 'laptop']);
  });

  it('lets a running server notice a revoke made by another process, on the next check', async () => {
    const dir = dataDir();
    const cli = new ApiTokenStore(dir);
    const server = new ApiTokenStore(dir);
    const { token, record } = await cli.create('ci');
    expect(await server.verify(token)).not.toBeNull();
    expect(await server.verify(token)).not.toBeNull();
    cli.revoke(record.id);
    expect(await server.verify(token)).toBeNull();
    expect(cli.list()[0]?.revoked_at).not.toBeNull();
  });

  it('refuses an unknown or already revoked id, and a bad name, saying what to do', async () => {
    const store = new ApiTokenStore(dataDir());
    const { record } = await store.create('ci');
    expect(() => store.revoke('0123456789ab')).toThrow(new ApiTokenFileError(`no token with id "0123456789ab" (live tokens: ${record.id}; see "scripthut token list")`, true));
    store.revoke(record.id);
    expect(() => store.revoke(record.id)).toThrow(/already revoked at 20/);
    await expect(store.create('my token')).rejects.toThrow(/use 1 to 64 letters, digits/);
    await expect(store.create('')).rejects.toThrow(ApiTokenFileError);
  });

  it('fails closed on a corrupted file: nothing verifies, and the commands say how to recover', async () => {
    const dir = dataDir();
    const store = new ApiTokenStore(dir);
    const { token } = await store.create('ci');
    writeFileSync(join(dir, API_TOKENS_FILE), '{"tokens": [');
    expect(await new ApiTokenStore(dir).verify(token)).toBeNull();
    expect(() => store.list()).toThrow(/is not a ScriptHut token file; move it away/);
  });
});
