import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './load-config';

const env = { cwd: '/work', homeDir: '/home/r', fileExists: () => true };

/** The issue lines of the ConfigError `text` is rejected with; fails the test on any other outcome. */
function rejection(text: string): string[] {
  try {
    parseConfig(text, 'scripthut.yaml', env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(e)}`);
    return e.message
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
  }
  throw new Error('expected the config to be rejected');
}

const laughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'
    .split('')
    .map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  'settings:',
  '  data_dir: *i',
].join('\n');

/** [what, file text, the exact issues expected]. Each must be a ConfigError located at file:line:column. */
const CORPUS: [string, string, unknown[]][] = [
  [
    'billion laughs (alias bomb)',
    laughs,
    [
      'scripthut.yaml:2:8: YAML aliases expand to too much data (more than 100 alias uses); a config needs at most a few',
    ],
  ],
  [
    'alias to an undefined anchor',
    'settings:\n  data_dir: *nowhere\n',
    ['scripthut.yaml:2:13: YAML alias *nowhere refers to no anchor defined before it'],
  ],
  [
    'duplicate keys',
    'settings:\n  poll_interval: 5\n  poll_interval: 6\n',
    ['scripthut.yaml:3:3: YAML syntax: Map keys must be unique'],
  ],
  [
    'unclosed flow sequence',
    'clusters: [\n',
    [
      'scripthut.yaml:2:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  ],
  [
    'tab indentation',
    'settings:\n\tpoll_interval: 5\n',
    ['scripthut.yaml:2:1: YAML syntax: Tabs are not allowed as indentation'],
  ],
  [
    'nesting 5000 levels deep',
    `settings: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    [
      expect.stringMatching(
        /^scripthut\.yaml:1:\d+: YAML syntax: nested too deeply$/,
      ),
    ],
  ],
  [
    'a scalar document',
    '42\n',
    ['scripthut.yaml:1:1: expected a mapping with clusters, sources, task_sources, settings'],
  ],
  [
    'a list document',
    '- a\n- b\n',
    ['scripthut.yaml:1:1: expected a mapping with clusters, sources, task_sources, settings'],
  ],
  ['clusters as a string', 'clusters: "nope"\n', ['scripthut.yaml:1:11: clusters: expected array']],
  [
    'a number too large for a double',
    'settings:\n  server_port: 1e400\n',
    ['scripthut.yaml:2:16: settings.server_port: expected a finite number; the value is too large'],
  ],
  [
    'a huge integer',
    'settings:\n  poll_interval: 99999999999999999999999999\n',
    [
      'scripthut.yaml:2:18: settings.poll_interval: Too big: expected int to be <=9007199254740991',
      'scripthut.yaml:2:18: settings.poll_interval: Too big: expected number to be <=86400',
    ],
  ],
  [
    'a negative port',
    'settings:\n  server_port: -1\n',
    ['scripthut.yaml:2:16: settings.server_port: Too small: expected number to be >=0'],
  ],
  [
    'a string where a number belongs',
    'settings:\n  poll_interval: "60; rm -rf ~"\n',
    ['scripthut.yaml:2:18: settings.poll_interval: expected number'],
  ],
  [
    'a bell character in a cluster name',
    'clusters:\n  - name: "a\\u0007b"\n    type: local\n',
    ['scripthut.yaml:2:11: clusters[0].name: contains the control character U+0007; remove it'],
  ],
  [
    'a NUL byte in a path',
    'settings:\n  data_dir: "/tmp/a\\0b"\n',
    ['scripthut.yaml:2:13: settings.data_dir: contains the control character U+0000; remove it'],
  ],
  [
    'an ANSI escape in a description',
    'task_sources:\n  - name: t\n    cluster: c\n    command: x\n    description: "\\e[31mred"\n',
    [
      'scripthut.yaml:5:18: task_sources[0].description: contains the control character U+001B; remove it',
    ],
  ],
  [
    'a bidi override in a command',
    'task_sources:\n  - name: t\n    cluster: c\n    command: "echo \\u202Eevil"\n',
    [
      'scripthut.yaml:4:14: task_sources[0].command: contains the control character U+202E; remove it',
    ],
  ],
  [
    'a newline in a key',
    '"settings\\n": {}\n',
    [
      'scripthut.yaml:1:1: ["settings\\n"]: contains the control character U+000A in the key; remove it',
    ],
  ],
  [
    'unicode letters in a name',
    'clusters:\n  - name: "clüster"\n    type: local\n',
    [
      'scripthut.yaml:2:11: clusters[0].name: letters, digits, ".", "_" or "-", starting with a letter or digit',
    ],
  ],
  [
    'a shell injection in a name',
    'clusters:\n  - name: "a;rm -rf ~"\n    type: local\n',
    [
      'scripthut.yaml:2:11: clusters[0].name: letters, digits, ".", "_" or "-", starting with a letter or digit',
    ],
  ],
  [
    'a 100,000-character name',
    `clusters:\n  - name: ${'a'.repeat(100_000)}\n    type: local\n`,
    ['scripthut.yaml:2:11: clusters[0].name: Too big: expected string to have <=64 characters'],
  ],
  [
    '__proto__ at the top',
    '__proto__:\n  polluted: true\n',
    [
      'scripthut.yaml:1:1: __proto__: unknown key "__proto__" (allowed: clusters, sources, task_sources, settings, notifications)',
    ],
  ],
  [
    'a YAML merge key',
    'settings:\n  <<: {poll_interval: 5}\n',
    [
      'scripthut.yaml:2:3: settings["<<"]: unknown key "<<" (allowed: poll_interval, server_host, server_port, sources_cache_dir, filter_user, history_retention_days, data_dir, database, instance_name, database_password_env, auth, allowed_origins, trust_proxy, public_url)',
    ],
  ],
  [
    'a binary tag where a string belongs',
    'settings:\n  data_dir: !!binary aGVsbG8=\n',
    ['scripthut.yaml:2:22: settings.data_dir: expected string'],
  ],
  [
    'a password written into the file',
    'settings:\n  auth:\n    password: hunter2hunter2\n',
    [
      'scripthut.yaml:3:5: settings.auth.password: unknown key "password" (allowed: token, password_env, secure_cookies, session_idle_hours, users, oidc)',
    ],
  ],
  [
    'an env var name that is not one',
    'settings:\n  auth:\n    password_env: "$(id)"\n',
    [
      'scripthut.yaml:3:19: settings.auth.password_env: an environment variable name such as SCRIPTHUT_PASSWORD',
    ],
  ],
  [
    'an origin with a path',
    'settings:\n  allowed_origins: ["https://a.example/x"]\n',
    [
      'scripthut.yaml:2:21: settings.allowed_origins[0]: an origin such as https://scripthut.example.org (scheme, host and port only, no trailing slash)',
    ],
  ],
];

describe('config fuzz corpus', () => {
  it.each(CORPUS)('rejects %s with a located ConfigError', (_what, text, expected) => {
    expect(rejection(text)).toEqual(expected);
  });

  it('accepts a few aliases, as a hand-written config may use them', () => {
    const text = 'x-ssh: &ssh {host: h, user: u}\n';
    expect(rejection(text)).toEqual([
      'scripthut.yaml:1:1: x-ssh: unknown key "x-ssh" (allowed: clusters, sources, task_sources, settings, notifications)',
    ]);
    const ok =
      'clusters:\n  - name: a\n    type: slurm\n    ssh: &ssh {host: h, user: u}\n  - name: b\n    type: slurm\n    ssh: *ssh\n';
    expect(parseConfig(ok, 'scripthut.yaml', env).clusters).toHaveLength(2);
  });
});

describe('loadConfig limits', () => {
  it('refuses a config file over 1 MB before parsing it', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadConfig } = await import('./load-config');
    const file = join(mkdtempSync(join(tmpdir(), 'scripthut-config-')), 'big.yaml');
    writeFileSync(file, `# ${'x'.repeat(1024 * 1024)}\n`);
    expect(() => loadConfig(file, { cwd: '/', homeDir: '/' })).toThrow(
      `${file}: larger than 1048576 bytes; a config file is a few KB`,
    );
  });
});
