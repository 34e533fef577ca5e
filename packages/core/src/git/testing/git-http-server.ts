import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export interface GitHttpServerOptions {
  /** When set, every request must carry HTTP Basic credentials whose password is this token. */
  token?: string;
}

/**
 * git's own smart-HTTP server (`git http-backend`, a CGI program) behind a
 * minimal Node HTTP server on 127.0.0.1 and a free port: a real git server for
 * the HTTPS transport, with no protocol mocked.
 */
export class GitHttpServer {
  readonly requests: { method: string; url: string; authorization: string | null }[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(
    projectRoot: string,
    options: GitHttpServerOptions = {},
  ): Promise<GitHttpServer> {
    let instance: GitHttpServer | null = null;
    const server = createServer((req, res) => {
      instance?.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization ?? null,
      });
      if (options.token !== undefined && !authorized(req, options.token)) {
        res
          .writeHead(401, { 'www-authenticate': 'Basic realm="git"' })
          .end('authentication required\n');
        return;
      }
      serveCgi(projectRoot, req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    instance = new GitHttpServer(server, address.port);
    return instance;
  }

  /** URL of a repository under the project root, e.g. `url('small.git')`. */
  url(repo: string): string {
    return `http://127.0.0.1:${this.port}/${repo}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function authorized(req: IncomingMessage, token: string): boolean {
  const match = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) === token;
}

function serveCgi(projectRoot: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    REMOTE_USER: '',
    // The CGI runs as this process's user; repositories may belong to another (the git account).
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
  };
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
  const protocol = req.headers['git-protocol'];
  if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;
  const cgi = spawn(HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(cgi.stdin);
  cgi.stderr.resume();
  let head = Buffer.alloc(0);
  let headersDone = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf('\r\n\r\n');
    const lf = head.indexOf('\n\n');
    const end = crlf >= 0 ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
    if (end < 0) return;
    headersDone = true;
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') res.statusCode = Number(value.split(' ')[0]);
      else res.setHeader(name, value);
    }
    res.write(head.subarray(end));
  });
  cgi.on('close', () => {
    if (!headersDone) res.statusCode = 502;
    res.end();
  });
  cgi.on('error', () => {
    res.statusCode = 502;
    res.end();
  });
}
