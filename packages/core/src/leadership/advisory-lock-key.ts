import { createHash } from 'node:crypto';

/**
 * The PostgreSQL advisory-lock key of a cluster: the first 8 bytes of
 * SHA-256 over a namespaced name, as a signed 64-bit integer in decimal (the
 * type `pg_try_advisory_lock(bigint)` takes). The namespace keeps ScriptHut's
 * keys apart from other applications' locks on the same database.
 */
export function advisoryLockKey(cluster: string): string {
  const digest = createHash('sha256').update(`scripthut:cluster-leader:${cluster}`).digest();
  return digest.readBigInt64BE(0).toString();
}
