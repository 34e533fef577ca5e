import type { Actor, UserConfig } from '@scripthut/core';
import type { UserDirectory } from './http-security';
import { hashSecret, verifySecret } from './secret-hash';

export const MIN_PASSWORD_CHARS = 12;

/** Hashes every named user's password (from the variable their password_env names), or says which is missing or short. */
export async function buildUserDirectory(
  users: readonly UserConfig[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ ok: true; directory: UserDirectory } | { ok: false; message: string }> {
  const hashes = new Map<string, string>();
  for (const u of users) {
    if (u.password_env === undefined) continue;
    const password = env[u.password_env];
    if (password === undefined || password === '') {
      return { ok: false, message: `settings.auth.users: ${u.name}'s password_env names ${u.password_env}, but that environment variable is not set or empty; set it, or remove password_env` };
    }
    if ([...password].length < MIN_PASSWORD_CHARS) {
      return { ok: false, message: `the password in ${u.password_env} (user ${u.name}) is shorter than ${MIN_PASSWORD_CHARS} characters; choose a longer one` };
    }
    hashes.set(u.name, await hashSecret(password));
  }
  const byName = new Map(users.map((u) => [u.name, u]));
  // A decoy hash, so an unknown name costs the same scrypt as a wrong password.
  const decoy = await hashSecret('decoy password, never valid');
  const actorOf = (name: string): Actor | null => {
    const u = byName.get(name);
    return u ? { user: u.name, admin: u.admin } : null;
  };
  return {
    ok: true,
    directory: {
      passwordUsers: [...hashes.keys()],
      actorOf,
      async verifyPassword(name, secret) {
        const hash = hashes.get(name);
        const ok = await verifySecret(secret, hash ?? decoy);
        return ok && hash !== undefined ? actorOf(name) : null;
      },
    },
  };
}
