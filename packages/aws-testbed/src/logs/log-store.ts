import { logsError } from '../protocol/aws-error';

export interface StoredLogEvent {
  /** Global arrival order; FilterLogEvents' eventId and tie-breaker. */
  id: number;
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export interface StoredLogStream {
  name: string;
  creationTime: number;
  events: StoredLogEvent[];
}

export interface StoredLogGroup {
  name: string;
  creationTime: number;
  streams: Map<string, StoredLogStream>;
}

/** CloudWatch Logs' data: groups of streams of events, each stream in arrival order. */
export class LogStore {
  readonly groups = new Map<string, StoredLogGroup>();
  private nextId = 0;

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  groupArn(group: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${group}`;
  }

  createGroup(name: string): StoredLogGroup {
    if (this.groups.has(name)) {
      throw logsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    }
    return this.ensureGroup(name);
  }

  ensureGroup(name: string): StoredLogGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, creationTime: Date.now(), streams: new Map() };
      this.groups.set(name, group);
    }
    return group;
  }

  createStream(groupName: string, name: string): StoredLogStream {
    const group = this.group(groupName);
    if (group.streams.has(name)) {
      throw logsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    }
    return this.ensureStream(groupName, name);
  }

  /** The awslogs driver's behaviour: the group is assumed, the stream created on first use. */
  ensureStream(groupName: string, name: string): StoredLogStream {
    const group = this.ensureGroup(groupName);
    let stream = group.streams.get(name);
    if (!stream) {
      stream = { name, creationTime: Date.now(), events: [] };
      group.streams.set(name, stream);
    }
    return stream;
  }

  append(groupName: string, streamName: string, message: string, timestamp: number): void {
    this.ensureStream(groupName, streamName).events.push({
      id: this.nextId++,
      timestamp,
      message,
      ingestionTime: Date.now(),
    });
  }

  group(name: string): StoredLogGroup {
    const group = this.groups.get(name);
    if (!group)
      throw logsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  stream(groupName: string, name: string): StoredLogStream {
    const stream = this.group(groupName).streams.get(name);
    if (!stream) {
      throw logsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    }
    return stream;
  }

  /** Group name from `logGroupName` or `logGroupIdentifier` (a name or an ARN), exactly one. */
  resolveGroupName(name: string | undefined, identifier: string | undefined): string {
    if (name !== undefined && identifier !== undefined) {
      throw logsError(
        'InvalidParameterException',
        'LogGroupName and LogGroupIdentifier cannot both be specified',
      );
    }
    const value = name ?? identifier;
    if (value === undefined) {
      throw logsError(
        'InvalidParameterException',
        'Either LogGroupName or LogGroupIdentifier must be specified',
      );
    }
    const arn = /^arn:aws[^:]*:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(value);
    return arn?.[1] ?? value;
  }
}
