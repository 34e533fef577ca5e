import type { Client } from 'ssh2';
import type { ConnectionState } from '../domain/cluster';
import type { CommandResult, CommandRunner, RunOptions } from '../runtime/command-runner';
import { CoreError, isCoreError } from '../runtime/errors';
import { FIX_NEEDED_BACKOFF, NETWORK_BACKOFF, backoffDelayMs, type BackoffPolicy } from './backoff';
import { ChannelLimiter } from './channel-limiter';
import { commandDeadline, type CommandPhase } from './command-deadline';
import { connectClient } from './connect-client';
import { execCommand } from './exec-command';
import type { KeyCache } from './key-file';
import { SessionGate } from './session-gate';
import { StatusCell } from './status-cell';
import {
  closedError,
  fixNeededError,
  lostDuringCommandError,
  waitTimeoutError,
} from './unavailable-errors';
import {
  DEFAULT_MAX_CHANNELS,
  DEFAULT_MAX_OUTPUT_BYTES,
  describeTarget,
  type SshConnectionDeps,
  type SshStatus,
  type SshStatusListener,
  type SshTarget,
} from './ssh-target';

/** A connection that stayed up this long resets the backoff; shorter ones count as failures. */
const STABLE_AFTER_MS = 30_000;

/**
 * States in which a human must fix something (key, authorized_keys, known_hosts):
 * commands fail fast with CLUSTER_UNAVAILABLE instead of waiting, while
 * retries continue slowly in the background. In every other state commands
 * wait for the connection, up to their own timeout.
 */
const FIX_NEEDED: ReadonlySet<ConnectionState> = new Set([
  'auth_failed',
  'host_key_mismatch',
  'host_key_unknown',
]);

interface Session {
  client: Client;
  /** Set, synchronously, the moment the connection is lost. */
  lostReason: string | null;
}

/**
 * One persistent SSH connection to a cluster, reconnecting on its own.
 * Commands run on exec channels, at most `maxChannels` at once, the rest
 * waiting in FIFO order. Call `start()` (the factory does) and `close()`.
 */
export class SshConnection implements CommandRunner {
  private readonly limiter: ChannelLimiter;
  private readonly where: string;
  private readonly random: () => number;
  private readonly statusCell: StatusCell;
  private lastFailure: CoreError | null = null;
  private readonly gate = new SessionGate<Session>();
  private readonly closeController = new AbortController();
  private retryController: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private readonly keyCache: KeyCache = {};

  constructor(
    readonly target: SshTarget,
    private readonly deps: SshConnectionDeps,
  ) {
    this.limiter = new ChannelLimiter(target.maxChannels ?? DEFAULT_MAX_CHANNELS);
    this.where = describeTarget(target);
    this.random = deps.random ?? Math.random;
    const log = (message: string): void => deps.log?.(`[ssh ${this.where}] ${message}`);
    this.statusCell = new StatusCell(deps.clock, log);
    if (target.certPath) log('cert_path is not supported by this SSH client; using the plain key.');
  }

  get status(): SshStatus {
    return this.statusCell.current;
  }

  /** Called on every change of state or lastError; returns the unsubscribe function. */
  onStatus(listener: SshStatusListener): () => void {
    return this.statusCell.subscribe(listener);
  }

  /** Channel use, for health pages and tests. */
  get channels(): { max: number; active: number; waiting: number; peak: number } {
    const { max, active, waiting, peak } = this.limiter;
    return { max, active, waiting, peak };
  }

  /** Begin connecting; idempotent. */
  start(): void {
    this.loop ??= this.supervise();
  }

  /** Cut the current backoff short (e.g. after the user fixed known_hosts). */
  retryNow(): void {
    this.retryController?.abort();
  }

  async run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const startedAt = this.deps.clock.now().getTime();
    const unusable = this.unusableError();
    if (unusable) throw unusable;
    let phase: CommandPhase = 'queued';
    const deadline = commandDeadline(options, {
      clock: this.deps.clock,
      where: this.where,
      closeSignal: this.closeController.signal,
      phase: () => phase,
      unavailable: (waitedMs) =>
        this.gate.value
          ? null
          : waitTimeoutError(this.where, this.statusCell.current, this.lastFailure, waitedMs),
      closedError: () => closedError(this.where, phase === 'running'),
    });
    let release: (() => void) | null = null;
    let handedOff = false;
    try {
      for (;;) {
        release = await this.limiter.acquire(deadline.signal);
        phase = 'connecting';
        const session = await this.waitForSession(deadline.signal);
        phase = 'running';
        handedOff = true;
        try {
          const outcome = await execCommand(session.client, command, {
            ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
            maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
            signal: deadline.signal,
            onChannelClosed: release,
            connectionLost: () =>
              session.lostReason === null
                ? null
                : lostDuringCommandError(this.where, session.lostReason),
            where: this.where,
          });
          return { ...outcome, durationMs: this.deps.clock.now().getTime() - startedAt };
        } catch (error) {
          // A channel that never opened because the connection just dropped: the
          // command did not run, so it waits for the reconnect and tries again.
          const neverStarted = isCoreError(error) && error.details?.started === false;
          if (!neverStarted || session.lostReason === null || deadline.signal.aborted) throw error;
          handedOff = false;
          release = null;
          phase = 'queued';
        }
      }
    } finally {
      deadline.dispose();
      if (!handedOff) release?.();
    }
  }

  /** End the connection, retries and waiting commands promptly; leaves no timers behind. */
  async close(): Promise<void> {
    if (!this.closeController.signal.aborted) {
      this.closeController.abort();
      const client = this.gate.value?.client;
      client?.end();
      client?.destroy();
      this.gate.rejectAll(closedError(this.where, false));
      this.statusCell.set('disabled', null, null);
    }
    await this.loop;
  }

  private get closed(): boolean {
    return this.closeController.signal.aborted;
  }

  private async supervise(): Promise<void> {
    const streak: { policy: BackoffPolicy | null; failures: number } = {
      policy: null,
      failures: 0,
    };
    const backoff = (policy: BackoffPolicy): number => {
      if (streak.policy !== policy) streak.failures = 0;
      streak.policy = policy;
      streak.failures++;
      return backoffDelayMs(policy, streak.failures, this.random);
    };
    while (!this.closed) {
      let resolveLost!: (reason: string) => void;
      const lost = new Promise<string>((resolve) => (resolveLost = resolve));
      const holder: { session: Session | null; lostReason: string | null } = {
        session: null,
        lostReason: null,
      };
      const result = await connectClient(this.target, {
        signal: this.closeController.signal,
        keyCache: this.keyCache,
        onLost: (reason) => {
          // Synchronous, so channels closed by the same event already see the loss.
          holder.lostReason = reason;
          if (holder.session) {
            holder.session.lostReason = reason;
            this.gate.shut(holder.session);
          }
          resolveLost(reason);
        },
      });
      if (this.closed) {
        if (result.ok) result.client.destroy();
        break;
      }
      if (!result.ok) {
        const { state, error } = result.failure;
        this.lastFailure = error;
        this.statusCell.set(state, error.message, error.code);
        if (FIX_NEEDED.has(state)) this.gate.rejectAll(this.unusableError() ?? error);
        await this.pause(backoff(state === 'unreachable' ? NETWORK_BACKOFF : FIX_NEEDED_BACKOFF));
        continue;
      }
      const connectedAt = this.deps.clock.now().getTime();
      const session: Session = { client: result.client, lostReason: holder.lostReason };
      holder.session = session;
      this.lastFailure = null;
      this.statusCell.set('connected', null, null);
      if (session.lostReason === null) this.gate.open(session);
      const reason = await lost;
      if (this.closed) break;
      const message = `Connection to ${this.where} lost (${reason}); reconnecting.`;
      this.lastFailure = new CoreError('SSH_UNREACHABLE', message);
      this.statusCell.set('reconnecting', message, 'SSH_UNREACHABLE');
      if (this.deps.clock.now().getTime() - connectedAt >= STABLE_AFTER_MS) streak.failures = 0;
      else await this.pause(backoff(NETWORK_BACKOFF));
    }
  }

  private async pause(ms: number): Promise<void> {
    if (this.closed) return;
    const controller = new AbortController();
    this.retryController = controller;
    const onClose = (): void => controller.abort();
    this.closeController.signal.addEventListener('abort', onClose, { once: true });
    try {
      await this.deps.clock.sleep(ms, controller.signal);
    } catch {
      // Cut short by close() or retryNow().
    } finally {
      this.closeController.signal.removeEventListener('abort', onClose);
      this.retryController = null;
    }
  }

  private waitForSession(signal: AbortSignal): Promise<Session> {
    const unusable = this.gate.value ? null : this.unusableError();
    return unusable ? Promise.reject(unusable) : this.gate.wait(signal);
  }

  /** Non-null when commands must fail fast instead of waiting for the connection. */
  private unusableError(): CoreError | null {
    if (this.closed) return closedError(this.where, false);
    return FIX_NEEDED.has(this.statusCell.current.state)
      ? fixNeededError(this.where, this.statusCell.current, this.lastFailure)
      : null;
  }
}

/** Create a connection and start connecting in the background. */
export function createSshConnection(target: SshTarget, deps: SshConnectionDeps): SshConnection {
  const connection = new SshConnection(target, deps);
  connection.start();
  return connection;
}
