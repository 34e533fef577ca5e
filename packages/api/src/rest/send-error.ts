import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { isCoreError } from '@scripthut/core';
import type { Response } from 'express';
import { ZodError } from 'zod';
import { toTrpcCode } from '../trpc';

/** HTTP status of a core error, from the same table the tRPC routers use. */
export function httpStatus(error: unknown): number {
  if (isCoreError(error)) return getHTTPStatusCodeFromError(new TRPCError({ code: toTrpcCode(error.code) }));
  if (error instanceof ZodError) return 400;
  return 500;
}

/** JSON error body `{error, code, details}`; `code` is the core code the web reads, never the message. */
export function sendError(res: Response, error: unknown): void {
  const status = httpStatus(error);
  if (isCoreError(error)) {
    res.status(status).json({ error: error.message, code: error.code, details: error.details ?? null });
  } else if (error instanceof ZodError) {
    const issue = error.issues[0];
    res.status(status).json({ error: `Invalid ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`, code: 'INVALID_INPUT', details: null });
  } else {
    res.status(500).json({ error: 'Internal error', code: null, details: null });
  }
}
