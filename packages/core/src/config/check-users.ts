import { closestMatch } from './closest-match';
import type { ScripthutConfig } from './schema';

interface Problem {
  path: (string | number)[];
  message: string;
}

type FileMustExist = (path: (string | number)[], value: string | null | undefined, what: string) => void;

/** Users are unique, identities name configured users, and OIDC has an address to come back to. */
export function checkUsers(config: ScripthutConfig, fileMustExist: FileMustExist): Problem[] {
  const problems: Problem[] = [];
  const auth = config.settings.auth;
  const seen = new Map<string, number>();
  auth.users.forEach((u, i) => {
    const first = seen.get(u.name);
    if (first !== undefined) {
      problems.push({ path: ['settings', 'auth', 'users', i, 'name'], message: `duplicate user "${u.name}" (also settings.auth.users[${first}])` });
    } else seen.set(u.name, i);
  });
  if (auth.oidc !== undefined && config.settings.public_url === undefined) {
    problems.push({
      path: ['settings', 'auth', 'oidc'],
      message: 'OIDC needs settings.public_url: the provider sends the browser back to <public_url>/auth/oidc/callback',
    });
  }
  if (auth.oidc !== undefined && auth.users.length === 0) {
    problems.push({ path: ['settings', 'auth', 'oidc'], message: 'OIDC logs in named users: list them in settings.auth.users' });
  }
  const names = auth.users.map((u) => u.name);
  config.clusters.forEach((c, i) => {
    if (c.type !== 'slurm') return;
    for (const [user, identity] of Object.entries(c.identities)) {
      if (!names.includes(user)) {
        const guess = closestMatch(user, names);
        const known = names.length ? `users: ${names.join(', ')}` : 'no users are configured in settings.auth.users';
        problems.push({
          path: ['clusters', i, 'identities', user],
          message: `no user named "${user}"${guess ? ` (did you mean "${guess}"?)` : ''}; ${known}`,
        });
      }
      if (identity.key_path !== undefined && identity.agent_socket !== undefined) {
        problems.push({ path: ['clusters', i, 'identities', user, 'agent_socket'], message: 'give either key_path or agent_socket, not both' });
      }
      fileMustExist(['clusters', i, 'identities', user, 'key_path'], identity.key_path, 'key file');
    }
  });
  return problems;
}
