import { batchClientError } from '../protocol/aws-error';

/** Offset pagination for Batch's describe calls (default and maximum page: 100). */
export function paginate<T>(
  items: T[],
  maxResults: number | undefined,
  token: string | undefined,
): { items: T[]; nextToken?: string } {
  const size = maxResults ?? 100;
  if (size < 1 || size > 100) throw batchClientError('maxResults must be between 1 and 100');
  const offset = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw batchClientError('Invalid nextToken');
  const page = items.slice(offset, offset + size);
  const next =
    offset + size < items.length
      ? Buffer.from(String(offset + size)).toString('base64url')
      : undefined;
  return { items: page, ...(next ? { nextToken: next } : {}) };
}
