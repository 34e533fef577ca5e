/**
 * A CloudWatch log location as backends store it in ObservedJob.stdoutPath:
 * `<log group>:<log stream>`. Neither name can contain `:` (the group
 * pattern is `[.\-_/#A-Za-z0-9]+`, stream names exclude `:` and `*`), so the
 * first `:` separates them.
 */
export interface LogLocation {
  group: string;
  stream: string;
}

export const formatLogLocation = (l: LogLocation): string => `${l.group}:${l.stream}`;

export function parseLogLocation(location: string | null): LogLocation | null {
  if (location === null) return null;
  const i = location.indexOf(':');
  if (i <= 0 || i === location.length - 1) return null;
  return { group: location.slice(0, i), stream: location.slice(i + 1) };
}
