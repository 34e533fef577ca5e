/**
 * Splits a process's stdout and stderr into lines, each stamped when read.
 * Empty lines are dropped (CloudWatch rejects empty messages; the awslogs
 * driver skips them too). A trailing partial line is emitted on flush.
 */
export class LineSplitter {
  private partial = { out: '', err: '' };

  constructor(private readonly onLine: (message: string, atMs: number) => void) {}

  push(stream: 'out' | 'err', chunk: Buffer): void {
    const text = this.partial[stream] + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    const atMs = Date.now();
    for (const line of parts) this.emit(line, atMs);
  }

  flush(): void {
    const atMs = Date.now();
    for (const stream of ['out', 'err'] as const) {
      this.emit(this.partial[stream], atMs);
      this.partial[stream] = '';
    }
  }

  private emit(line: string, atMs: number): void {
    const message = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (message.length > 0) this.onLine(message, atMs);
  }
}
