import { closestMatch } from './closest-match';
import type { ScripthutConfig } from './schema';

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
  const unique = (section: 'clusters' | 'sources' | 'task_sources', names: string[]): void => {
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      const first = seen.get(name);
      if (first !== undefined) {
        problems.push({ path: [section, i, 'name'], message: `duplicate name "${name}" (also ${section}[${first}])` });
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
