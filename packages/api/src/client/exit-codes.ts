import type { Connection } from './client-args';

/** The client's exit codes (README "Command-line client", `--help`). */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  unreachable: 3,
  unauthorized: 4,
  notFound: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface Failure {
  exit: ExitCode;
  message: string;
}

/** A failure the client itself decided on (a refused cancel, a job that ended failed). */
export class ClientFailure extends Error {
  constructor(
    message: string,
    readonly exit: ExitCode = EXIT.failed,
  ) {
    super(message);
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/**
 * Why the request never got an answer, or null when it did: a socket error
 * code along the cause chain, or the reason fetch itself gave up (fetch
 * throws `TypeError: fetch failed` for every network error; "bad port" for
 * ports it refuses to use).
 */
function networkProblem(e: unknown): string | null {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 6; cur = cur.cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    if (cur instanceof TypeError && cur.message === 'fetch failed') {
      const cause = cur.cause;
      const causeCode = (cause as { code?: unknown } | undefined)?.code;
      return typeof causeCode === 'string' ? causeCode : cause instanceof Error ? cause.message : 'network error';
    }
  }
  return null;
}

interface TrpcErrorData {
  code?: string;
  httpStatus?: number;
  coreCode?: string | null;
}

const dataOf = (e: unknown): TrpcErrorData | null => {
  const data = (e as { data?: unknown } | null)?.data;
  return typeof data === 'object' && data !== null ? data : null;
};

const tokenHint = (c: Connection): string =>
  `On the server machine run "scripthut token create NAME --config PATH" and export ${c.tokenEnv}=<the token>${c.tokenEnv === 'SCRIPTHUT_TOKEN' ? ' (or name another variable with --token-env)' : ''}`;

/** What to print and which code to exit with, for any error a command threw. */
export function describeFailure(e: unknown, c: Connection): Failure {
  if (e instanceof ClientFailure) return { exit: e.exit, message: e.message };
  const code = networkProblem(e);
  if (code !== null) {
    return {
      exit: EXIT.unreachable,
      message: `cannot reach the ScriptHut server at ${c.server} (${code}). Start it with "scripthut" on that machine, or point the client at it with --server URL or SCRIPTHUT_SERVER`,
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  const data = dataOf(e);
  if (data === null) {
    // No tRPC error body: something answered that is not a ScriptHut API (a proxy page, another service).
    if (/JSON|Unexpected token|Unable to transform response/i.test(message)) {
      return { exit: EXIT.unreachable, message: `${c.server} answered, but not as a ScriptHut server (${message.slice(0, 200)}); check --server` };
    }
    return { exit: EXIT.failed, message };
  }
  if (data.code === 'UNAUTHORIZED') {
    return c.token === null
      ? { exit: EXIT.unauthorized, message: `the server at ${c.server} needs a token (a login is configured there). ${tokenHint(c)}` }
      : { exit: EXIT.unauthorized, message: `the server at ${c.server} refused the token in ${c.tokenEnv} (wrong or revoked). ${tokenHint(c)}` };
  }
  if (data.code === 'TOO_MANY_REQUESTS' && !data.coreCode) return { exit: EXIT.unauthorized, message };
  if (data.code === 'FORBIDDEN' && !data.coreCode) return { exit: EXIT.unauthorized, message };
  if (data.code === 'NOT_FOUND' || data.coreCode === 'NOT_FOUND') return { exit: EXIT.notFound, message };
  if (data.code === 'BAD_REQUEST' && !data.coreCode) return { exit: EXIT.usage, message };
  return { exit: EXIT.failed, message };
}
