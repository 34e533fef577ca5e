import type { Clock } from '../../runtime/clock';
import type { ConnectionTracker } from '../aws';
import type { EcsApi } from './ecs-api';
import { definitionFacts, type DefinitionFacts, type FactOverrides } from './task-definition-facts';

/** A definition that could not be read is asked again after this long. */
const RETRY_FAILED_MS = 5 * 60_000;
const MAX_ENTRIES = 1_000;

type Entry = { facts: DefinitionFacts } | { failedAtMs: number };

/**
 * Task definition facts (container, awslogs place), read with
 * DescribeTaskDefinition. A revision never changes, so facts by revision
 * ARN are kept for good; the configured definition (possibly a family
 * without revision, "latest ACTIVE") is read once per process. The config's
 * `container`, `log_group` and `log_stream_prefix` apply to the configured
 * family only; anyone else's tasks use their definition's own options.
 */
export class DefinitionCache {
  private readonly byArn = new Map<string, Entry>();
  private configuredFacts: Promise<DefinitionFacts> | null = null;

  constructor(
    private readonly o: {
      api: EcsApi;
      tracker: ConnectionTracker;
      clock: Clock;
      taskDefinition: string | null;
      overrides: FactOverrides;
    },
  ) {}

  /** For submits: rejects (and is asked again next time) when the definition cannot be read or has no such container. */
  configured(signal?: AbortSignal): Promise<DefinitionFacts> {
    const name = this.o.taskDefinition;
    if (name === null) return Promise.reject(new Error('no task_definition is configured'));
    this.configuredFacts ??= this.read(name, signal).catch((e: unknown) => {
      this.configuredFacts = null;
      throw e;
    });
    return this.configuredFacts;
  }

  /** Facts already known for a task's definition: undefined when not asked yet, null when unreadable. */
  known(arn: string): DefinitionFacts | null | undefined {
    const e = this.byArn.get(arn);
    if (e === undefined) return undefined;
    if ('facts' in e) return e.facts;
    return this.o.clock.now().getTime() - e.failedAtMs < RETRY_FAILED_MS ? null : undefined;
  }

  /** Reads a task definition's facts into the cache; never rejects (an unreadable one is null for a while). */
  async learn(arn: string, signal?: AbortSignal): Promise<DefinitionFacts | null> {
    try {
      const facts = await this.read(arn, signal);
      this.remember(arn, { facts });
      return facts;
    } catch {
      this.remember(arn, { failedAtMs: this.o.clock.now().getTime() });
      return null;
    }
  }

  private async read(name: string, signal?: AbortSignal): Promise<DefinitionFacts> {
    const out = await this.o.tracker.call('ecs:DescribeTaskDefinition', () =>
      this.o.api.describeTaskDefinition({ taskDefinition: name }, signal),
    );
    if (out.taskDefinition === undefined)
      throw new Error(`task definition ${name} was not returned`);
    const ours =
      this.o.taskDefinition !== null &&
      familyOf(out.taskDefinition.taskDefinitionArn ?? name) === familyOf(this.o.taskDefinition);
    return definitionFacts(out.taskDefinition, ours ? this.o.overrides : {});
  }

  private remember(arn: string, entry: Entry): void {
    if (this.byArn.size >= MAX_ENTRIES) this.byArn.clear();
    this.byArn.set(arn, entry);
  }
}

/** `worker`, `worker:7` and `arn:…:task-definition/worker:7` -> `worker`. */
export function familyOf(definition: string): string {
  return definition.slice(definition.lastIndexOf('/') + 1).split(':')[0]!;
}
