import type { ServiceId } from '../model/botocore-models';
import { serverError, throttlingError, type AwsError } from '../protocol/aws-error';
import { TokenBucket } from './token-bucket';

/** `service:Operation`, e.g. `batch:SubmitJob`; `service:*` matches every operation of it. */
export type OperationKey = `${ServiceId}:${string}`;

export interface FailNextOptions {
  operation: OperationKey;
  count?: number;
  /** HTTP status of the failure; default 500. */
  status?: number;
  /**
   * Fail only after the action took effect (the job IS submitted): the
   * hardest case for exactly-once, because the caller cannot tell.
   */
  afterEffect?: boolean;
  /** With `afterEffect`, destroy the connection instead of answering a 5xx. */
  dropConnection?: boolean;
}

interface Rule {
  operation: OperationKey;
  remaining: number;
  kind: 'throttle' | 'fail-before' | 'fail-after' | 'drop-after';
  status: number;
}

export type AfterEffect = { drop: true } | { error: AwsError } | null;

/** Per-operation faults: throttling (counted or a sustained TPS), 5xx, delays. */
export class OperationFaults {
  private rules: Rule[] = [];
  private delays = new Map<OperationKey, number>();
  private buckets = new Map<ServiceId, TokenBucket>();

  constructor(rateLimitTps: Partial<Record<ServiceId, number>> = {}) {
    this.setRateLimit(rateLimitTps);
  }

  throttleNext(operation: OperationKey, count = 1): void {
    this.rules.push({ operation, remaining: count, kind: 'throttle', status: 0 });
  }

  failNext(o: FailNextOptions): void {
    const kind = !o.afterEffect ? 'fail-before' : o.dropConnection ? 'drop-after' : 'fail-after';
    this.rules.push({
      operation: o.operation,
      remaining: o.count ?? 1,
      kind,
      status: o.status ?? 500,
    });
  }

  /** Sustained calls per second per service (burst = one second's worth); null removes it. */
  setRateLimit(tps: Partial<Record<ServiceId, number | null>>): void {
    for (const [service, rate] of Object.entries(tps) as [ServiceId, number | null][]) {
      if (rate === null) this.buckets.delete(service);
      else this.buckets.set(service, new TokenBucket(rate));
    }
  }

  setDelay(operation: OperationKey, delayMs: number): void {
    if (delayMs <= 0) this.delays.delete(operation);
    else this.delays.set(operation, delayMs);
  }

  clear(): void {
    this.rules = [];
    this.delays.clear();
    this.buckets.clear();
  }

  delayMs(service: ServiceId, operation: string): number {
    return this.delays.get(`${service}:${operation}`) ?? this.delays.get(`${service}:*`) ?? 0;
  }

  /** The error to answer instead of running the operation, if any. */
  before(service: ServiceId, operation: string): AwsError | null {
    const bucket = this.buckets.get(service);
    if (bucket && !bucket.take()) return throttlingError(service);
    const rule = this.take(service, operation, (k) => k === 'throttle' || k === 'fail-before');
    if (!rule) return null;
    if (rule.kind === 'throttle') return throttlingError(service);
    return serverError(service, 'Internal failure injected by aws-testbed', rule.status);
  }

  /** What to do with a successful answer, after the action took effect. */
  after(service: ServiceId, operation: string): AfterEffect {
    const rule = this.take(service, operation, (k) => k === 'fail-after' || k === 'drop-after');
    if (!rule) return null;
    if (rule.kind === 'drop-after') return { drop: true };
    return { error: serverError(service, 'Internal failure injected by aws-testbed', rule.status) };
  }

  private take(
    service: ServiceId,
    operation: string,
    kinds: (k: Rule['kind']) => boolean,
  ): Rule | null {
    const rule = this.rules.find(
      (r) =>
        kinds(r.kind) &&
        r.remaining > 0 &&
        (r.operation === `${service}:${operation}` || r.operation === `${service}:*`),
    );
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }
}
