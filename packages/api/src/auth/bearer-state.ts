import type { Request } from 'express';
import type { VerifiedToken } from './api-tokens';

/** Per request: the verified token, null for a refused one; absent without an Authorization header. */
const bearers = new WeakMap<Request, VerifiedToken | null>();

/** undefined: no bearer token was sent; null: one was sent and refused. */
export const bearerOf = (req: Request): VerifiedToken | null | undefined => bearers.get(req);

export const setBearer = (req: Request, token: VerifiedToken | null): void => {
  bearers.set(req, token);
};

/** Requests refused unchecked because their client sent too many wrong tokens lately: seconds to wait. */
const limited = new WeakMap<Request, number>();
export const bearerRetryAfterS = (req: Request): number | undefined => limited.get(req);
export const setBearerLimited = (req: Request, retryAfterS: number): void => {
  bearers.set(req, null);
  limited.set(req, retryAfterS);
};
