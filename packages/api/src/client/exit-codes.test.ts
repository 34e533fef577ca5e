import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { Connection } from './client-args';
import { ClientFailure, describeFailure, EXIT } from './exit-codes';

const noToken: Connection = { server: 'http://127.0.0.1:8000', token: null, tokenEnv: 'SCRIPTHUT_TOKEN' };
const withToken: Connection = { ...noToken, token: 'sht_x' };

/** A tRPC error as the client receives it from the server's error body. */
const trpcError = (code: string, httpStatus: number, coreCode: string | null = null, message = 'server says no') =>
  TRPCClientError.from({ error: { message, code: -32600, data: { code, httpStatus, coreCode } } });

const refused = (): Error => {
  const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
  return new TRPCClientError('fetch failed', { cause: new TypeError('fetch failed', { cause: socket }) });
};

describe('describeFailure', () => {
  it('maps an unreachable server to 3, naming the URL and how to fix it', () => {
    const f = describeFailure(refused(), noToken);
    expect(f.exit).toBe(EXIT.unreachable);
    expect(f.message).toBe('cannot reach the ScriptHut server at http://127.0.0.1:8000 (ECONNREFUSED). Start it with "scripthut" on that machine, or point the client at it with --server URL or SCRIPTHUT_SERVER');
  });

  it('maps any other network failure fetch reports to 3, with its reason', () => {
    const badPort = new TRPCClientError('fetch failed', { cause: new TypeError('fetch failed', { cause: new Error('bad port') }) });
    expect(describeFailure(badPort, noToken)).toMatchObject({ exit: EXIT.unreachable, message: expect.stringContaining('(bad port)') as unknown });
    const dns = new TRPCClientError('fetch failed', { cause: new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }) }) });
    expect(describeFailure(dns, noToken).message).toContain('(ENOTFOUND)');
  });

  it('maps a server that is not ScriptHut (HTML instead of JSON) to 3', () => {
    const f = describeFailure(new TRPCClientError('Unexpected token \'<\', "<!doctype "... is not valid JSON'), noToken);
    expect(f.exit).toBe(EXIT.unreachable);
    expect(f.message).toMatch(/answered, but not as a ScriptHut server/);
  });

  it('maps UNAUTHORIZED to 4, saying how to get a token or that the one given was refused', () => {
    const missing = describeFailure(trpcError('UNAUTHORIZED', 401), noToken);
    expect(missing.exit).toBe(EXIT.unauthorized);
    expect(missing.message).toMatch(/needs a token .*"scripthut token create NAME --config PATH" and export SCRIPTHUT_TOKEN=<the token>/);
    const wrong = describeFailure(trpcError('UNAUTHORIZED', 401), { ...withToken, tokenEnv: 'HUT_CI' });
    expect(wrong.message).toMatch(/refused the token in HUT_CI \(wrong or revoked\).*export HUT_CI=<the token>$/);
  });

  it('maps not found to 5, core refusals to 1, bad input to 2', () => {
    expect(describeFailure(trpcError('NOT_FOUND', 404), withToken)).toEqual({ exit: EXIT.notFound, message: 'server says no' });
    expect(describeFailure(trpcError('NOT_FOUND', 404, 'NOT_FOUND'), withToken).exit).toBe(EXIT.notFound);
    expect(describeFailure(trpcError('FORBIDDEN', 403, 'SCHEDULER_REFUSED'), withToken).exit).toBe(EXIT.failed);
    expect(describeFailure(trpcError('CONFLICT', 409, 'CONFLICT'), withToken).exit).toBe(EXIT.failed);
    expect(describeFailure(trpcError('FORBIDDEN', 403), noToken).exit).toBe(EXIT.unauthorized);
    expect(describeFailure(trpcError('TOO_MANY_REQUESTS', 429), withToken).exit).toBe(EXIT.unauthorized);
    expect(describeFailure(trpcError('TOO_MANY_REQUESTS', 429, 'RATE_LIMITED'), withToken).exit).toBe(EXIT.failed);
    expect(describeFailure(trpcError('BAD_REQUEST', 400), withToken).exit).toBe(EXIT.usage);
    expect(describeFailure(trpcError('BAD_REQUEST', 400, 'INVALID_INPUT'), withToken).exit).toBe(EXIT.failed);
    expect(describeFailure(trpcError('INTERNAL_SERVER_ERROR', 500), withToken).exit).toBe(EXIT.failed);
  });

  it('passes the client\'s own failures through with their code', () => {
    expect(describeFailure(new ClientFailure('job x ended failed'), noToken)).toEqual({ exit: 1, message: 'job x ended failed' });
    expect(describeFailure(new ClientFailure('gone', EXIT.notFound), noToken).exit).toBe(5);
  });
});
