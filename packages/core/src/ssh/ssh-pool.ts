import { createSshConnection, type SshConnection } from './ssh-connection';
import type { SshConnectionDeps, SshTarget } from './ssh-target';

/** One SSH connection per cluster name. */
export class SshPool {
  private readonly entries = new Map<string, { targetKey: string; connection: SshConnection }>();

  constructor(private readonly deps: SshConnectionDeps) {}

  /**
   * The connection for `clusterName`, created and started on first use. A
   * different target for the same name (config changed) closes the old
   * connection in the background and starts a new one.
   */
  get(clusterName: string, target: SshTarget): SshConnection {
    const targetKey = JSON.stringify(target, Object.keys(target).sort());
    const existing = this.entries.get(clusterName);
    if (existing?.targetKey === targetKey) return existing.connection;
    if (existing) void existing.connection.close();
    const connection = createSshConnection(target, this.deps);
    this.entries.set(clusterName, { targetKey, connection });
    return connection;
  }

  peek(clusterName: string): SshConnection | undefined {
    return this.entries.get(clusterName)?.connection;
  }

  async close(clusterName: string): Promise<void> {
    const entry = this.entries.get(clusterName);
    this.entries.delete(clusterName);
    await entry?.connection.close();
  }

  async closeAll(): Promise<void> {
    const connections = [...this.entries.values()].map((e) => e.connection);
    this.entries.clear();
    await Promise.all(connections.map((c) => c.close()));
  }
}
