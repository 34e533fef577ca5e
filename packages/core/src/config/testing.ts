import { ConfigError } from './config-error';
import { parseConfig, type ConfigEnvironment } from './load-config';

/** Test helper: the problem lines of a config that must be rejected (as `scripthut.yaml`), without the heading. */
export function configIssues(text: string, env: ConfigEnvironment): string[] {
  try {
    parseConfig(text, 'scripthut.yaml', env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n').slice(1).map((l) => l.trim());
    throw e;
  }
  throw new Error('expected the config to be rejected');
}
