import { closestMatch } from './closest-match';
import type { ScripthutConfig } from './schema';
import { checkUsers } from './check-users';

export interface ReferenceProblem {
  path: (string | number)[];
  message: string;
}

interface Deps {
  fileExists: (path: string) => boolean;
  resolvePath: (path: string) => string;
}

/** Checks the schema cannot express: unique names, references between sections, files that must exist. */
export function checkReferences(config: ScripthutConfig, deps: Deps): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const unique = (section: 'clusters' | 'sources' | 'task_sources' | 'notifications', names: string[], sub?: 'channels' | 'rules'): void => {
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      const first = seen.get(name);
      if (first !== undefined) {
        const where = sub === undefined ? [section, i, 'name'] : [section, sub, i, 'name'];
        const also = sub === undefined ? `${section}[${first}]` : `${section}.${sub}[${first}]`;
        problems.push({ path: where, message: `duplicate name "${name}" (also ${also})` });
      } else seen.set(name, i);
    });
  };
  unique('clusters', config.clusters.map((c) => c.name));
  unique('sources', config.sources.map((s) => s.name));
  unique('task_sources', config.task_sources.map((t) => t.name));

  const fileMustExist = (path: (string | number)[], value: string | null | undefined, what: string): void => {
    if (value === null || value === undefined) return;
    const resolved = deps.resolvePath(value);
    if (!deps.fileExists(resolved)) problems.push({ path, message: `${what} not found: ${resolved}` });
  };
  config.clusters.forEach((c, i) => {
    if (c.type !== 'slurm') return;
    fileMustExist(['clusters', i, 'ssh', 'key_path'], c.ssh.key_path, 'key file');
    fileMustExist(['clusters', i, 'ssh', 'cert_path'], c.ssh.cert_path, 'certificate file');
    fileMustExist(['clusters', i, 'ssh', 'known_hosts'], c.ssh.known_hosts, 'known_hosts file');
  });
  config.clusters.forEach((c, i) => {
    if (c.type !== 'ecs') return;
    if (c.launch_type !== undefined && c.capacity_provider_strategy !== undefined) {
      problems.push({ path: ['clusters', i, 'capacity_provider_strategy'], message: 'give either launch_type or capacity_provider_strategy, not both (RunTask refuses both)' });
    }
    if (c.launch_type === 'FARGATE' && c.network === undefined) {
      problems.push({
        path: ['clusters', i, 'launch_type'],
        message: 'launch_type FARGATE needs a network section (network.subnets, and usually network.security_groups): Fargate tasks use awsvpc networking',
      });
    }
  });
  config.sources.forEach((s, i) => fileMustExist(['sources', i, 'deploy_key'], s.deploy_key, 'deploy key'));

  problems.push(...checkNotifications(config, deps, unique, fileMustExist));
  problems.push(...checkUsers(config, fileMustExist));

  const clusterNames = config.clusters.map((c) => c.name);
  const sourceNames = config.sources.map((s) => s.name);
  config.task_sources.forEach((t, i) => {
    if (!clusterNames.includes(t.cluster)) {
      const guess = closestMatch(t.cluster, clusterNames);
      const known = clusterNames.length ? `configured clusters: ${clusterNames.join(', ')}` : 'no clusters are configured';
      problems.push({
        path: ['task_sources', i, 'cluster'],
        message: `no cluster named "${t.cluster}"${guess ? ` (did you mean "${guess}"?)` : ''}; ${known}`,
      });
    }
    if (t.source !== undefined && !sourceNames.includes(t.source)) {
      const guess = closestMatch(t.source, sourceNames);
      problems.push({
        path: ['task_sources', i, 'source'],
        message: `no git source named "${t.source}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
      });
    }
  });
  return problems;
}

type Unique = (section: 'notifications', names: string[], sub: 'channels' | 'rules') => void;
type FileMustExist = (path: (string | number)[], value: string | null | undefined, what: string) => void;

function checkNotifications(config: ScripthutConfig, _deps: Deps, unique: Unique, fileMustExist: FileMustExist): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const { channels, rules } = config.notifications;
  unique('notifications', channels.map((c) => c.name), 'channels');
  unique('notifications', rules.map((r) => r.name), 'rules');
  channels.forEach((c, i) => {
    if (c.type === 'email') fileMustExist(['notifications', 'channels', i, 'ca_file'], c.ca_file, 'CA file');
    if (c.type === 'email' && c.user !== undefined && c.password_env === undefined) {
      problems.push({ path: ['notifications', 'channels', i, 'password_env'], message: 'required when user is set: the variable holding the SMTP password' });
    }
  });
  const channelNames = channels.map((c) => c.name);
  // The browser channel exists without configuration.
  const known = channels.some((c) => c.type === 'browser') ? channelNames : [...channelNames, 'browser'];
  const clusterNames = config.clusters.map((c) => c.name);
  const sourceNames = config.task_sources.map((t) => t.name);
  rules.forEach((r, i) => {
    r.channels.forEach((name, j) => {
      if (known.includes(name)) return;
      const guess = closestMatch(name, known);
      problems.push({
        path: ['notifications', 'rules', i, 'channels', j],
        message: `no channel named "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; channels: ${known.join(', ')}`,
      });
    });
    const unknown = (what: string, name: string, names: string[]): string => {
      const guess = closestMatch(name, names);
      return `no ${what} named "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
    };
    r.clusters.forEach((name, j) => {
      if (!clusterNames.includes(name)) problems.push({ path: ['notifications', 'rules', i, 'clusters', j], message: unknown('cluster', name, clusterNames) });
    });
    r.task_sources.forEach((name, j) => {
      if (!sourceNames.includes(name)) problems.push({ path: ['notifications', 'rules', i, 'task_sources', j], message: unknown('task source', name, sourceNames) });
    });
  });
  return problems;
}
