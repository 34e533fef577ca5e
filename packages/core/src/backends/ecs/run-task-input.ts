import type { RunTaskCommandInput, Tag } from '@aws-sdk/client-ecs';
import { memoryMiB, timeLimitSeconds } from '../../domain/resources';
import type { SubmitSpec } from '../backend';
import { containerCommand } from './container-command';
import {
  clientTokenFor,
  NAME_ENV,
  startedByFor,
  TAG_ENV,
  TAG_KEY,
  TIME_LIMIT_TAG_KEY,
  USER_TAG_KEY,
} from './ecs-markers';
import { fargateSize } from './fargate-size';

/** What every RunTask of one cluster shares (from its config and task definition). */
export interface RunTaskSettings {
  cluster: string;
  taskDefinition: string;
  /** The container the command runs in. */
  container: string;
  launchType: 'FARGATE' | 'EC2' | null;
  capacityProviderStrategy:
    | readonly {
        capacity_provider: string;
        weight?: number | undefined;
        base?: number | undefined;
      }[]
    | null;
  network: {
    subnets: readonly string[];
    security_groups: readonly string[];
    assign_public_ip: boolean;
  } | null;
  /** Fargate sizes tasks by the task-level cpu/memory, which must be one of its sizes. */
  fargate: boolean;
  /** The ScriptHut user, recorded in startedBy and a tag. */
  user: string;
}

/** Tag values allow letters, digits, spaces and `_ . : / = + - @` (ECS model: TagValue). */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

export type RunTaskInputResult =
  { ok: true; input: RunTaskCommandInput } | { ok: false; error: string };

/**
 * One RunTask (count 1) for a spec: idempotent by `clientToken` (from the
 * tag), found again by `startedBy` and the tag. Container cpu is in CPU units
 * (1024 per vCPU) and memory in MiB; on Fargate the task-level size is the
 * smallest Fargate size that holds them.
 */
export function runTaskInput(spec: SubmitSpec, s: RunTaskSettings): RunTaskInputResult {
  const mib = memoryMiB(spec.memory);
  if (mib === null)
    return { ok: false, error: `memory ${spec.memory} is not a size such as 512M or 4G` };
  const limitSeconds = timeLimitSeconds(spec.timeLimit);
  if (Number.isNaN(limitSeconds))
    return { ok: false, error: `time limit ${spec.timeLimit} is not a duration such as 1:00:00` };
  let taskSize: { cpu: string; memory: string } | null = null;
  if (s.fargate) {
    const size = fargateSize(spec.cpus, mib);
    if (!size.ok) return { ok: false, error: size.message };
    taskSize = { cpu: String(size.cpuUnits), memory: String(size.memoryMiB) };
  }
  const tags: Tag[] = [{ key: TAG_KEY, value: spec.tag }];
  if (TAG_VALUE.test(s.user)) tags.push({ key: USER_TAG_KEY, value: s.user });
  if (limitSeconds !== null) tags.push({ key: TIME_LIMIT_TAG_KEY, value: String(limitSeconds) });
  return {
    ok: true,
    input: {
      cluster: s.cluster,
      taskDefinition: s.taskDefinition,
      count: 1,
      clientToken: clientTokenFor(spec.tag),
      startedBy: startedByFor(s.user),
      tags,
      ...(s.capacityProviderStrategy !== null
        ? {
            capacityProviderStrategy: s.capacityProviderStrategy.map((c) => ({
              capacityProvider: c.capacity_provider,
              ...(c.weight !== undefined ? { weight: c.weight } : {}),
              ...(c.base !== undefined ? { base: c.base } : {}),
            })),
          }
        : s.launchType !== null
          ? { launchType: s.launchType }
          : {}),
      ...(s.network !== null
        ? {
            networkConfiguration: {
              awsvpcConfiguration: {
                subnets: [...s.network.subnets],
                ...(s.network.security_groups.length > 0
                  ? { securityGroups: [...s.network.security_groups] }
                  : {}),
                assignPublicIp: s.network.assign_public_ip ? 'ENABLED' : 'DISABLED',
              },
            },
          }
        : {}),
      overrides: {
        containerOverrides: [
          {
            name: s.container,
            command: containerCommand(spec.command, spec.workingDir),
            environment: [
              { name: TAG_ENV, value: spec.tag },
              { name: NAME_ENV, value: spec.name },
            ],
            cpu: spec.cpus * 1024,
            memory: mib,
          },
        ],
        ...(taskSize ?? {}),
      },
    },
  };
}
