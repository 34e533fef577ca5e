import type { TaskDefinition } from '@aws-sdk/client-ecs';

export type LogPlace = { ok: true; group: string; prefix: string } | { ok: false; reason: string };

/** What ScriptHut needs from a task definition: the container commands run in, and where it logs. */
export interface DefinitionFacts {
  container: string;
  logs: LogPlace;
}

export interface FactOverrides {
  container?: string | undefined;
  logGroup?: string | undefined;
  logStreamPrefix?: string | undefined;
}

/**
 * The named container (config `container`), else the first essential one
 * (`essential` defaults to true); its awslogs `awslogs-group` and
 * `awslogs-stream-prefix`, each overridable. Throws when the named container
 * is not in the definition: no task could be run with it.
 */
export function definitionFacts(td: TaskDefinition, o: FactOverrides): DefinitionFacts {
  const containers = td.containerDefinitions ?? [];
  const label = td.family
    ? `${td.family}:${td.revision ?? '?'}`
    : (td.taskDefinitionArn ?? 'the task definition');
  const chosen =
    o.container !== undefined
      ? containers.find((c) => c.name === o.container)
      : (containers.find((c) => c.essential !== false) ?? containers[0]);
  if (chosen?.name === undefined) {
    const names = containers.map((c) => c.name).join(', ') || 'none';
    throw new Error(
      o.container !== undefined
        ? `container ${o.container} is not in task definition ${label} (its containers: ${names}); fix container in the config`
        : `task definition ${label} has no container`,
    );
  }
  const name = chosen.name;
  const driver = chosen.logConfiguration?.logDriver;
  const options = chosen.logConfiguration?.options ?? {};
  const group = o.logGroup ?? (driver === 'awslogs' ? options['awslogs-group'] : undefined);
  const prefix =
    o.logStreamPrefix ?? (driver === 'awslogs' ? options['awslogs-stream-prefix'] : undefined);
  if (group !== undefined && prefix !== undefined)
    return { container: name, logs: { ok: true, group, prefix } };
  let reason: string;
  if (driver !== 'awslogs' && (o.logGroup === undefined || o.logStreamPrefix === undefined)) {
    reason = `container ${name} of ${label} ${driver ? `logs with the ${driver} driver` : 'has no log configuration'}, not awslogs: ScriptHut reads logs from CloudWatch Logs only (or set log_group and log_stream_prefix in the config)`;
  } else if (prefix === undefined) {
    reason = `the awslogs options of container ${name} in ${label} have no awslogs-stream-prefix, so its streams are named after container ids: set awslogs-stream-prefix in the task definition or log_stream_prefix in the config`;
  } else {
    reason = `the awslogs options of container ${name} in ${label} have no awslogs-group: set it, or log_group in the config`;
  }
  return { container: name, logs: { ok: false, reason } };
}

/** `<group>:<prefix>/<container>/<task id>` (awslogs stream naming), or why there is none. */
export function logLocation(
  facts: DefinitionFacts,
  taskId: string,
): { ok: true; location: string } | { ok: false; reason: string } {
  if (!facts.logs.ok) return facts.logs;
  return {
    ok: true,
    location: `${facts.logs.group}:${facts.logs.prefix}/${facts.container}/${taskId}`,
  };
}
