import { describe, expect, it } from 'vitest';
import { configIssues } from './testing';
import { findConfigFile, parseConfig } from './load-config';

const env = (files: string[] = []) => ({
  cwd: '/work',
  homeDir: '/home/r',
  fileExists: (p: string) => files.includes(p),
});

const issuesOf = (text: string, files: string[] = []): string[] => configIssues(text, env(files));

const seedExample = `# scripthut.yaml
clusters:
  # Slurm cluster
  - name: hpc-cluster
    type: slurm
    ssh:
      host: slurm-login.cluster.edu
      port: 22
      user: researcher
      key_path: ~/.ssh/id_rsa

  # ECS cluster (coming soon)
  - name: production-ecs
    type: ecs
    aws:
      profile: my-aws-profile
      region: us-east-1
      cluster_name: my-ecs-cluster

sources:
  - name: ml-jobs
    url: git@github.com:org/ml-pipelines.git
    branch: main
    deploy_key: ~/.ssh/ml-jobs-deploy-key

task_sources:
  - name: my-batch-jobs
    cluster: hpc-cluster
    command: "python ~/scripts/generate_tasks.py"
    max_concurrent: 10
    description: "Run my batch processing jobs"

settings:
  poll_interval: 60
  server_host: 127.0.0.1
  server_port: 8000
  sources_cache_dir: ~/.cache/scripthut/sources
`;

describe('parseConfig', () => {
  it('loads the original ScriptHut example unchanged, with defaults filled in', () => {
    const config = parseConfig(seedExample, 'scripthut.yaml', env(['/home/r/.ssh/id_rsa', '/home/r/.ssh/ml-jobs-deploy-key']));
    expect(config.clusters.map((c) => [c.name, c.type])).toEqual([
      ['hpc-cluster', 'slurm'],
      ['production-ecs', 'ecs'],
    ]);
    expect(config.task_sources[0]).toMatchObject({ cluster: 'hpc-cluster', max_concurrent: 10 });
    expect(config.settings).toMatchObject({ poll_interval: 60, server_port: 8000, history_retention_days: 7 });
    expect(config.sources[0]?.branch).toBe('main');
  });

  it('gives defaults for an empty file', () => {
    const config = parseConfig('', 'scripthut.yaml', env());
    expect(config.clusters).toEqual([]);
    expect(config.settings).toMatchObject({ poll_interval: 60, server_host: '127.0.0.1', server_port: 8000 });
  });

  it('points at the line of a typo and suggests the closest key', () => {
    const text = 'clusters:\n  - name: a\n    type: slurm\n    ssh:\n      host: h\n      user: u\n      prot: 22\n';
    expect(issuesOf(text)).toEqual(['scripthut.yaml:7:7: clusters[0].ssh.prot: unknown key "prot" (did you mean "port"?)']);
  });

  it('names the file, line, field and expectation for a wrong type', () => {
    const text = 'settings:\n  poll_interval: soon\n';
    expect(issuesOf(text)).toEqual(['scripthut.yaml:2:18: settings.poll_interval: expected number']);
  });

  it('rejects a poll interval under 5 seconds', () => {
    expect(issuesOf('settings:\n  poll_interval: 2\n')).toEqual([
      'scripthut.yaml:2:18: settings.poll_interval: at least 5 seconds',
    ]);
  });

  it('reports a missing required field at its parent', () => {
    const text = 'clusters:\n  - name: a\n    type: slurm\n    ssh:\n      host: h\n';
    expect(issuesOf(text)).toEqual(['scripthut.yaml:5:7: clusters[0].ssh.user: required, expected string']);
  });

  it('suggests the cluster type when misspelled', () => {
    const text = 'clusters:\n  - name: a\n    type: slurmm\n';
    expect(issuesOf(text)).toEqual([
      'scripthut.yaml:3:11: clusters[0].type: must be one of "slurm", "ecs", "batch", "local" (did you mean "slurm"?)',
    ]);
  });

  it('rejects duplicate cluster names', () => {
    const text = 'clusters:\n  - {name: a, type: local}\n  - {name: a, type: local}\n';
    expect(issuesOf(text)).toEqual(['scripthut.yaml:3:12: clusters[1].name: duplicate name "a" (also clusters[0])']);
  });

  it('rejects a task source naming a cluster that does not exist', () => {
    const text =
      'clusters:\n  - {name: hpc, type: local}\ntask_sources:\n  - name: t\n    cluster: hcp\n    command: echo []\n';
    expect(issuesOf(text)).toEqual([
      'scripthut.yaml:5:14: task_sources[0].cluster: no cluster named "hcp" (did you mean "hpc"?); configured clusters: hpc',
    ]);
  });

  it('rejects a key file that does not exist, with the expanded path', () => {
    const text = 'clusters:\n  - name: a\n    type: slurm\n    ssh: {host: h, user: u, key_path: ~/.ssh/nope}\n';
    expect(issuesOf(text)).toEqual([
      'scripthut.yaml:4:39: clusters[0].ssh.key_path: key file not found: /home/r/.ssh/nope',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const [issue] = issuesOf('clusters:\n  - name: a\n   type: [\n');
    expect(issue).toMatch(/^scripthut\.yaml:\d+:\d+: YAML syntax: /);
  });

  it('reports duplicate YAML keys', () => {
    expect(issuesOf('settings:\n  server_port: 1\n  server_port: 2\n')[0]).toMatch(/^scripthut\.yaml:3:3: YAML syntax: .*unique/i);
  });
});

describe('parseConfig: notifications', () => {
  const base = 'clusters:\n  - name: hpc\n    type: local\n';

  it('points at the line of a channel URL that is not http(s) and of an unknown event type', () => {
    const text = `${base}notifications:
  channels:
    - name: hook
      type: webhook
      url: ftp://hooks.example.org/x
  rules:
    - name: failures
      events: [job.failed, job.exploded]
      channels: [hook]
`;
    const issues = issuesOf(text);
    expect(issues[0]).toBe(
      'scripthut.yaml:8:12: notifications.channels[0].url: an http(s) URL without user:password',
    );
    expect(issues[1]).toMatch(
      /^scripthut\.yaml:11:28: notifications\.rules\[0\]\.events\[1\]: Invalid option: expected one of "queue\.finished"/,
    );
    expect(issues).toHaveLength(2);
  });

  it('names what a rule or channel refers to that does not exist, with the closest name', () => {
    const text = `${base}notifications:
  channels:
    - name: mail
      type: email
      host: smtp.example.org
      user: hut
      from: hut@example.org
      to: [alice@example.org]
  rules:
    - name: failures
      events: [job.failed]
      channels: [mial]
      clusters: [hcp]
`;
    expect(issuesOf(text)).toEqual([
      'scripthut.yaml:6:7: notifications.channels[0].password_env: required when user is set: the variable holding the SMTP password',
      'scripthut.yaml:15:18: notifications.rules[0].channels[0]: no channel named "mial" (did you mean "mail"?); channels: mail, browser',
      'scripthut.yaml:16:18: notifications.rules[0].clusters[0]: no cluster named "hcp" (did you mean "hpc"?)',
    ]);
  });
});

describe('findConfigFile', () => {
  it('prefers --config, then scripthut.yaml, then scripthut.yml', () => {
    expect(findConfigFile('x.yaml', env(['/work/x.yaml', '/work/scripthut.yaml']))).toBe('/work/x.yaml');
    expect(findConfigFile(undefined, env(['/work/scripthut.yaml', '/work/scripthut.yml']))).toBe('/work/scripthut.yaml');
    expect(findConfigFile(undefined, env(['/work/scripthut.yml']))).toBe('/work/scripthut.yml');
    expect(findConfigFile(undefined, env())).toBeNull();
  });

  it('fails clearly when --config names a missing file', () => {
    expect(() => findConfigFile('~/nope.yaml', env())).toThrow(/\/home\/r\/nope\.yaml: file not found/);
  });
});
