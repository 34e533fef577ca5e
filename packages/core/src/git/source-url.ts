import { SourceError } from './source-error';

/** Where a source's repository lives, parsed from its configured URL. */
export type SourceRemote =
  | { kind: 'https'; url: string }
  | {
      kind: 'ssh';
      host: string;
      port: number;
      user: string;
      /** As upload-pack receives it: absolute, `~/…`/`~user/…`, or relative to the account's home. */
      path: string;
    };

const SSH_SCHEMES = ['ssh://', 'git+ssh://', 'ssh+git://'];

/**
 * Parse a source URL with git's rules: `https://…`/`http://…`,
 * `ssh://[user@]host[:port]/path` (where `/~/x` means `~/x`), and the
 * scp-like `[user@]host:path` (a relative path is relative to the account's
 * home). `defaultUser` stands in for a missing user, as with OpenSSH.
 * Throws SourceError(unsupported_url) for anything else.
 */
export function parseSourceUrl(url: string, defaultUser: string): SourceRemote {
  const text = url.trim();
  if (/^https?:\/\//i.test(text)) return { kind: 'https', url: text };
  const scheme = SSH_SCHEMES.find((s) => text.toLowerCase().startsWith(s));
  if (scheme) return parseSshUrl(url, text.slice(scheme.length), defaultUser);
  const scp = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? null : parseScpLike(text, defaultUser);
  if (scp) return checked(url, scp);
  throw unsupported(
    url,
    'use an https:// URL, ssh://[user@]host[:port]/path or the scp-like form user@host:path ' +
      '(local paths and other schemes are not supported)',
  );
}

function parseSshUrl(url: string, rest: string, defaultUser: string): SourceRemote {
  const slash = rest.indexOf('/');
  if (slash <= 0)
    throw unsupported(
      url,
      'an ssh:// URL needs a host and a path, like ssh://git@host/org/repo.git',
    );
  const authority = rest.slice(0, slash);
  let path = rest.slice(slash);
  // Git's rule: ssh://host/~/x and ssh://host/~user/x name paths under a home directory.
  if (path.startsWith('/~')) path = path.slice(1);
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? authority.slice(0, at) : defaultUser;
  const hostPort = authority.slice(at + 1);
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d*))?$/.exec(hostPort);
  if (!match) throw unsupported(url, `cannot read host and port from "${hostPort}"`);
  const host = match[1] ?? match[2] ?? '';
  const port = match[3] ? Number(match[3]) : 22;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw unsupported(url, `port ${match[3]} is out of range`);
  return checked(url, { kind: 'ssh', host, port, user, path });
}

/** `[user@]host:path` when no `/` comes before the first `:` (git treats the rest as local paths). */
function parseScpLike(text: string, defaultUser: string): SourceRemote | null {
  const bracketed = /^(?:([^@/]+)@)?\[([^\]]+)\]:(.+)$/.exec(text);
  if (bracketed) {
    return {
      kind: 'ssh',
      user: bracketed[1] ?? defaultUser,
      host: bracketed[2] ?? '',
      port: 22,
      path: bracketed[3] ?? '',
    };
  }
  const colon = text.indexOf(':');
  if (colon <= 0 || text.slice(0, colon).includes('/')) return null;
  const authority = text.slice(0, colon);
  const at = authority.lastIndexOf('@');
  return {
    kind: 'ssh',
    user: at >= 0 ? authority.slice(0, at) : defaultUser,
    host: authority.slice(at + 1),
    port: 22,
    path: text.slice(colon + 1),
  };
}

function checked(url: string, remote: SourceRemote): SourceRemote {
  if (remote.kind === 'https') return remote;
  if (!remote.user || /[\s@]/.test(remote.user))
    throw unsupported(url, 'the user name is empty or invalid');
  if (!remote.host || /[\s/]/.test(remote.host) || remote.host.startsWith('-'))
    throw unsupported(url, 'the host name is empty or invalid');
  if (!remote.path || remote.path === '/') throw unsupported(url, 'the repository path is empty');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f]/.test(remote.path))
    throw unsupported(url, 'the path contains control characters');
  return remote;
}

function unsupported(url: string, why: string): SourceError {
  return new SourceError('unsupported_url', `Cannot use source URL "${url}": ${why}.`);
}

/**
 * One shell word for git-shell, which accepts only a single-quoted argument
 * (embedded quotes as `'\''`); unquoted or double-quoted paths are refused.
 */
export function singleQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function uploadPackCommand(path: string): string {
  return `git-upload-pack ${singleQuote(path)}`;
}

/**
 * The URL isomorphic-git is given for a remote. Its clone and fetch accept
 * only http(s) transports, so an SSH remote is written with the `http::`
 * transport prefix; the SSH transport never reads it. It ends up in
 * .git/config as remote.origin.url, so it must not carry secrets.
 */
export function transportUrl(remote: SourceRemote): string {
  if (remote.kind === 'https') return remote.url;
  const host = remote.host.includes(':') ? `[${remote.host}]` : remote.host;
  const path = remote.path.startsWith('/')
    ? remote.path
    : remote.path.startsWith('~')
      ? `/${remote.path}`
      : `/~/${remote.path}`;
  return `http::ssh://${remote.user}@${host}:${remote.port}${path}`;
}

/** `user@host:port` or the https origin, for messages. */
export function describeRemote(remote: SourceRemote): string {
  if (remote.kind === 'https') return remote.url.replace(/\/\/[^/@]*@/, '//');
  return `${remote.user}@${remote.host}:${remote.port}`;
}
