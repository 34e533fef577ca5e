import { describe, expect, it } from 'vitest';
import { hostnameOf, isLoopbackAddress, originProblem, readCookie } from './request-checks';

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['app.localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.4', false],
    ['127.0.0.1.evil.example', false],
    ['localhost.evil.example', false],
    ['example.org', false],
  ])('%s → %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });
});

describe('hostnameOf', () => {
  it('strips the port, keeps IPv6 brackets', () => {
    expect(hostnameOf('Example.org:8000')).toBe('example.org');
    expect(hostnameOf('[::1]:8000')).toBe('[::1]');
    expect(hostnameOf('localhost')).toBe('localhost');
  });
});

describe('originProblem', () => {
  const host = '127.0.0.1:8000';
  it('accepts the same host by Origin or, without one, Referer', () => {
    expect(originProblem({ origin: 'http://127.0.0.1:8000' }, host, [])).toBeNull();
    expect(originProblem({ referer: 'http://127.0.0.1:8000/jobs?x=1' }, host, [])).toBeNull();
    expect(originProblem({ origin: 'https://hut.example.org' }, host, ['https://hut.example.org'])).toBeNull();
  });

  it('refuses other origins, "null", junk and missing headers, naming the fix', () => {
    expect(originProblem({}, host, [])).toMatch(/must carry an Origin or Referer header/);
    expect(originProblem({ origin: 'null' }, host, [])).toMatch(/comes from "null"/);
    expect(originProblem({ origin: 'http://127.0.0.1:9000' }, host, [])).toMatch(/settings\.allowed_origins/);
    expect(originProblem({ origin: 'not a url' }, host, [])).not.toBeNull();
    expect(originProblem({ origin: 'http://evil.example', referer: 'http://127.0.0.1:8000/' }, host, [])).not.toBeNull();
    expect(originProblem({ origin: 'http://127.0.0.1:8000' }, undefined, [])).not.toBeNull();
    expect(originProblem({ origin: `http://${'a'.repeat(500)}.example` }, host, [])!.length).toBeLessThan(400);
  });
});

describe('readCookie', () => {
  it('finds one cookie among several', () => {
    expect(readCookie('a=1; scripthut_session=abc; b=2', 'scripthut_session')).toBe('abc');
    expect(readCookie('xscripthut_session=abc', 'scripthut_session')).toBeUndefined();
    expect(readCookie(undefined, 'a')).toBeUndefined();
  });
});
