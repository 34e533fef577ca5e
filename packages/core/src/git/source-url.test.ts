import { describe, expect, it } from 'vitest';
import { parseSourceUrl, singleQuote, transportUrl, uploadPackCommand } from './source-url';

describe('parseSourceUrl', () => {
  it.each([
    [
      'git@github.com:org/repo.git',
      { kind: 'ssh', user: 'git', host: 'github.com', port: 22, path: 'org/repo.git' },
    ],
    [
      'github.com:org/repo.git',
      { kind: 'ssh', user: 'me', host: 'github.com', port: 22, path: 'org/repo.git' },
    ],
    ['git@[::1]:repo.git', { kind: 'ssh', user: 'git', host: '::1', port: 22, path: 'repo.git' }],
    [
      'ssh://git@host:2222/srv/repo.git',
      { kind: 'ssh', user: 'git', host: 'host', port: 2222, path: '/srv/repo.git' },
    ],
    [
      'ssh://host/srv/repo.git',
      { kind: 'ssh', user: 'me', host: 'host', port: 22, path: '/srv/repo.git' },
    ],
    [
      'ssh://git@host/~/repo.git',
      { kind: 'ssh', user: 'git', host: 'host', port: 22, path: '~/repo.git' },
    ],
    [
      'ssh://git@host/~alice/repo.git',
      { kind: 'ssh', user: 'git', host: 'host', port: 22, path: '~alice/repo.git' },
    ],
    [
      'ssh://git@[::1]:2222/repo.git',
      { kind: 'ssh', user: 'git', host: '::1', port: 2222, path: '/repo.git' },
    ],
    [
      'git+ssh://git@host/r.git',
      { kind: 'ssh', user: 'git', host: 'host', port: 22, path: '/r.git' },
    ],
    ['https://github.com/org/repo.git', { kind: 'https', url: 'https://github.com/org/repo.git' }],
    ['http://127.0.0.1:8080/repo.git', { kind: 'https', url: 'http://127.0.0.1:8080/repo.git' }],
  ])('reads %s', (url, expected) => {
    expect(parseSourceUrl(url, 'me')).toEqual(expected);
  });

  it.each([
    ['/srv/repo.git', /local paths and other schemes are not supported/],
    ['./repo', /local paths/],
    ['file:///srv/repo.git', /local paths/],
    ['ftp://host/repo.git', /local paths/],
    ['ssh://host', /needs a host and a path/],
    ['ssh://git@host:99999/repo.git', /port 99999 is out of range/],
    ['git@host:', /repository path is empty/],
    ['ssh://git@host/', /repository path is empty/],
    ['git@-oProxyCommand=x:repo.git', /host name is empty or invalid/],
    ['git@host:repo\n.git', /control characters/],
  ])('refuses %j', (url, message) => {
    expect(() => parseSourceUrl(url, 'me')).toThrow(message);
  });

  it('raises a SourceError of kind unsupported_url', () => {
    try {
      parseSourceUrl('/local', 'me');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ kind: 'unsupported_url', code: 'CONFIG_INVALID' });
    }
  });
});

describe('git-shell quoting', () => {
  it.each([
    ['/srv/repo.git', `'/srv/repo.git'`],
    ["it's.git", `'it'\\''s.git'`],
    ['a b/$(id);`x`.git', `'a b/$(id);\`x\`.git'`],
    ['~/repo.git', `'~/repo.git'`],
    ['!bang', `'!bang'`],
  ])('quotes %j as one single-quoted word', (path, quoted) => {
    expect(singleQuote(path)).toBe(quoted);
    expect(uploadPackCommand(path)).toBe(`git-upload-pack ${quoted}`);
  });
});

describe('transportUrl', () => {
  it('gives SSH remotes an http:: URL that names the real location', () => {
    expect(transportUrl({ kind: 'ssh', user: 'git', host: 'h', port: 22, path: 'org/r.git' })).toBe(
      'http::ssh://git@h:22/~/org/r.git',
    );
    expect(
      transportUrl({ kind: 'ssh', user: 'git', host: '::1', port: 2222, path: '/r.git' }),
    ).toBe('http::ssh://git@[::1]:2222/r.git');
    expect(
      transportUrl({ kind: 'ssh', user: 'git', host: 'h', port: 22, path: '~bob/r.git' }),
    ).toBe('http::ssh://git@h:22/~bob/r.git');
    expect(transportUrl({ kind: 'https', url: 'https://h/r.git' })).toBe('https://h/r.git');
  });
});
