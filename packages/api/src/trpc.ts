import { initTRPC, TRPCError } from '@trpc/server';
import { isCoreError, type Actor, type CoreErrorCode, type ScripthutCore } from '@scripthut/core';
import { describeInputError } from './input-errors';

export interface Context {
  core: ScripthutCore;
  /** Who calls: the session's or bearer token's user; the shared account without a login. */
  actor: Actor;
}

type TrpcCode = ConstructorParameters<typeof TRPCError>[0]['code'];

/** The one table from core error codes to tRPC (and so HTTP) codes. */
const CODE_MAP = {
  CONFIG_INVALID: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  CLUSTER_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  SSH_AUTH_FAILED: 'SERVICE_UNAVAILABLE',
  SSH_HOST_KEY_UNKNOWN: 'SERVICE_UNAVAILABLE',
  SSH_HOST_KEY_MISMATCH: 'SERVICE_UNAVAILABLE',
  SSH_UNREACHABLE: 'SERVICE_UNAVAILABLE',
  SSH_KEY_UNREADABLE: 'SERVICE_UNAVAILABLE',
  COMMAND_TIMEOUT: 'TIMEOUT',
  COMMAND_ABORTED: 'CLIENT_CLOSED_REQUEST',
  OUTPUT_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  COMMAND_TOO_LONG: 'UNPROCESSABLE_CONTENT',
  SCHEDULER_ERROR: 'BAD_GATEWAY',
  SCHEDULER_REFUSED: 'FORBIDDEN',
  TASK_SOURCE_INVALID: 'UNPROCESSABLE_CONTENT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  CONFLICT: 'CONFLICT',
  STORE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  GIT_ERROR: 'BAD_GATEWAY',
  INVALID_INPUT: 'BAD_REQUEST',
  PATH_REFUSED: 'FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
} as const satisfies Record<CoreErrorCode, TrpcCode>;

export const toTrpcCode = (code: CoreErrorCode): TrpcCode => CODE_MAP[code];

const t = initTRPC.context<Context>().create({
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    // Bad input: say which fields and why, in one line (`data.fields` for programs).
    const input = error.code === 'BAD_REQUEST' ? describeInputError(cause) : null;
    return {
      ...shape,
      message: input?.message ?? shape.message,
      data: {
        fields: input?.fields ?? null,
        ...shape.data,
        stack: undefined,
        coreCode: isCoreError(cause) ? cause.code : null,
        details: isCoreError(cause) ? (cause.details ?? null) : null,
      },
    };
  },
});

/** Core errors become tRPC errors with the mapped code and the core code in `data.coreCode`. */
const mapCoreErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isCoreError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: toTrpcCode(cause.code), message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapCoreErrors);
export const createCallerFactory = t.createCallerFactory;
