import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * Test-only: a TCP forwarder in front of a server (the dashboard, a
 * database) that a test can cut like a network outage: `cut()` resets every
 * open connection (the page's live stream included) and every new one until
 * `restore()`. Browser offline emulation does not close an SSE stream that is
 * already open, so it cannot do this.
 */
export class TcpCutter {
  private readonly open = new Set<Socket>();
  private down = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private target: URL,
  ) {}

  static async start(target: URL): Promise<TcpCutter> {
    let cutter: TcpCutter | null = null;
    const server = createServer((client) => {
      if (cutter) cutter.accept(client);
      else client.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    cutter = new TcpCutter(server, `http://127.0.0.1:${address.port}`, target);
    return cutter;
  }

  /** New connections go to `target` from now on (a proxy sending clients to another server). */
  retarget(target: URL): void {
    this.target = target;
  }

  cut(): void {
    this.down = true;
    for (const socket of this.open) socket.resetAndDestroy();
    this.open.clear();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(this.target.port), this.target.hostname);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.open.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        this.open.delete(a);
        b.destroy();
      });
    }
  }
}
