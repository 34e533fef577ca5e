import { describe, expect, it } from 'vitest';
import { configIssues } from './testing';
import { parseConfig } from './load-config';

const env = { cwd: '/work', homeDir: '/home/r', fileExists: (p: string) => p === '/home/r/.ssh/alice' };

const issuesOf = (text: string): string[] => configIssues(text, env);

const cluster = (identities: string) =>
  `clusters:\n  - name: hpc\n    type: slurm\n    ssh: { host: login.example.org, user: svc }\n${identities}`;

describe('users and cluster identities', () => {
  it('loads a file without users as before: no users, no identities, no OIDC', () => {
    const config = parseConfig(cluster(''), 'scripthut.yaml', env);
    expect(config.settings.auth.users).toEqual([]);
    expect(config.settings.auth.oidc).toBeUndefined();
    expect(config.clusters[0]).toMatchObject({ identities: {} });
  });

  it('takes named users, admins, and per-user logins on a cluster', () => {
    const config = parseConfig(
      `${cluster('    identities:\n      alice: { user: alice, key_path: ~/.ssh/alice }\n      bob: { user: bob2, agent_socket: /run/bob.sock }\n')}settings:\n  auth:\n    users:\n      - { name: alice, password_env: ALICE_PASSWORD }\n      - { name: bob, admin: true }\n`,
      'scripthut.yaml',
      env,
    );
    expect(config.settings.auth.users).toEqual([
      { name: 'alice', password_env: 'ALICE_PASSWORD', admin: false },
      { name: 'bob', admin: true },
    ]);
    expect(config.clusters[0]).toMatchObject({
      identities: { alice: { user: 'alice', key_path: '~/.ssh/alice' }, bob: { user: 'bob2', agent_socket: '/run/bob.sock' } },
    });
  });

  it('names an identity of an unknown user at its line, with a guess', () => {
    expect(
      issuesOf(`${cluster('    identities:\n      alcie: { user: alice, key_path: ~/.ssh/alice }\n')}settings:\n  auth:\n    users: [{ name: alice }]\n`),
    ).toEqual(['scripthut.yaml:6:14: clusters[0].identities.alcie: no user named "alcie" (did you mean "alice"?); users: alice']);
  });

  it('refuses duplicate users, a missing key file and a typo in an identity', () => {
    expect(
      issuesOf(
        `${cluster('    identities:\n      alice: { user: alice, key_path: ~/.ssh/nope }\n      bob: { user: bob, keypath: x }\n')}settings:\n  auth:\n    users: [{ name: alice }, { name: bob }, { name: alice }]\n`,
      ),
    ).toEqual([
      'scripthut.yaml:7:25: clusters[0].identities.bob.keypath: unknown key "keypath" (did you mean "key_path"?)',
    ]);
    expect(
      issuesOf(`${cluster('    identities:\n      alice: { user: alice, key_path: ~/.ssh/nope }\n')}settings:\n  auth:\n    users: [{ name: alice }, { name: alice }]\n`),
    ).toEqual([
      'scripthut.yaml:6:39: clusters[0].identities.alice.key_path: key file not found: /home/r/.ssh/nope',
      'scripthut.yaml:9:38: settings.auth.users[1].name: duplicate user "alice" (also settings.auth.users[0])',
    ]);
  });

  it('wants public_url and named users for OIDC, and an https issuer', () => {
    expect(issuesOf('settings:\n  auth:\n    oidc: { issuer: https://login.example.org, client_id: hut }\n')).toEqual([
      'scripthut.yaml:3:11: settings.auth.oidc: OIDC needs settings.public_url: the provider sends the browser back to <public_url>/auth/oidc/callback',
      'scripthut.yaml:3:11: settings.auth.oidc: OIDC logs in named users: list them in settings.auth.users',
    ]);
    expect(issuesOf('settings:\n  auth:\n    oidc: { issuer: http://login.example.org, client_id: hut }\n')).toEqual([
      'scripthut.yaml:3:21: settings.auth.oidc.issuer: an https URL such as https://login.example.org/realms/lab (http only for 127.0.0.1)',
    ]);
  });
});
