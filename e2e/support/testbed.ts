import { existsSync, readFileSync } from 'node:fs';

/** Connection details the project's testbed writes (testbed/up.sh). */
export interface Testbed {
  host: string;
  port: number;
  knownHosts: string;
  keys: Record<string, string>;
}

export const TESTBED_ENV = process.env.SCRIPTHUT_TESTBED_ENV ?? '/var/tmp/scripthut-testbed/connection.env';

export function readTestbed(path = TESTBED_ENV): Testbed {
  if (!existsSync(path)) {
    throw new Error(`Testbed not running: ${path} is missing. Start it with: sudo bash testbed/up.sh`);
  }
  const vars = Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((l) => /^([A-Za-z0-9_]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, '')]),
  );
  const keys: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) if (k.startsWith('HUT_KEY_')) keys[k.slice(8)] = v;
  return { host: vars.HUT_SSH_HOST!, port: Number(vars.HUT_SSH_PORT), knownHosts: vars.HUT_SSH_KNOWN_HOSTS!, keys };
}
