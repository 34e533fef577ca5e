import { describe, expect, it } from 'vitest';
import {
  cancelledByOf,
  cancelStopReason,
  clientTokenFor,
  formatDurationSeconds,
  isTimeLimitStop,
  startedByFor,
  taskIdOf,
  timeLimitStopReason,
  userOfStartedBy,
} from './ecs-markers';

const TOKEN = /^[\x21-\x7e]{1,64}$/;

describe('clientTokenFor', () => {
  it("is the tag itself for ScriptHut's tags", () => {
    expect(clientTokenFor('sh-1a2b3c4d-17-0badcafe')).toBe('sh-1a2b3c4d-17-0badcafe');
  });

  it.each([
    ['a tag over 64 characters', `sh-${'x'.repeat(80)}`],
    ['a tag with a space', 'sh-a b'],
    ['a tag with non-ASCII', 'sh-é'],
  ])('is a digest of %s, within 64 printable ASCII characters', (_what, tag) => {
    const token = clientTokenFor(tag);
    expect(token).toMatch(TOKEN);
    expect(token).not.toBe(tag);
    expect(clientTokenFor(tag)).toBe(token);
  });

  it('differs for different tags', () => {
    expect(clientTokenFor(`a${'x'.repeat(80)}`)).not.toBe(clientTokenFor(`b${'x'.repeat(80)}`));
  });
});

describe('startedByFor', () => {
  const STARTED_BY = /^[A-Za-z0-9/_-]{1,128}$/;

  it.each([
    ['ana', 'scripthut/ana'],
    ['ana.lopez', 'scripthut/ana_lopez'],
    ['x'.repeat(200), `scripthut/${'x'.repeat(118)}`],
    ['', 'scripthut/_'],
  ])('writes %s within the startedBy alphabet', (user, expected) => {
    expect(startedByFor(user)).toBe(expected);
    expect(startedByFor(user)).toMatch(STARTED_BY);
  });

  it("reads the user back from ScriptHut's value only", () => {
    expect(userOfStartedBy('scripthut/ana')).toBe('ana');
    expect(userOfStartedBy('ecs-svc/1234567890123456789')).toBeNull();
    expect(userOfStartedBy(undefined)).toBeNull();
  });
});

describe('stop reasons', () => {
  it.each([
    [600, 'ScriptHut: time limit 0:10:00 exceeded'],
    [3_661, 'ScriptHut: time limit 1:01:01 exceeded'],
    [90_061, 'ScriptHut: time limit 1-01:01:01 exceeded'],
  ])('writes the time limit %i s as %s and recognises it', (seconds, reason) => {
    expect(timeLimitStopReason(seconds)).toBe(reason);
    expect(isTimeLimitStop(reason)).toBe(true);
  });

  it('does not take other reasons for a time limit', () => {
    expect(isTimeLimitStop('Task stopped by user')).toBe(false);
    expect(isTimeLimitStop(undefined)).toBe(false);
  });

  it('names who cancelled', () => {
    expect(cancelStopReason('ana')).toBe('Cancelled from ScriptHut by ana');
    expect(cancelledByOf(cancelStopReason('ana'))).toBe('ana');
    expect(cancelledByOf('Task stopped by user')).toBeNull();
  });
});

describe('formatDurationSeconds and taskIdOf', () => {
  it('formats like Slurm', () => {
    expect(formatDurationSeconds(0)).toBe('0:00:00');
    expect(formatDurationSeconds(59.9)).toBe('0:00:59');
    expect(formatDurationSeconds(86_400)).toBe('1-00:00:00');
  });

  it('takes the id from new and old task ARNs and from an id', () => {
    expect(taskIdOf('arn:aws:ecs:us-east-1:123456789012:task/jobs/abc')).toBe('abc');
    expect(taskIdOf('arn:aws:ecs:us-east-1:123456789012:task/abc')).toBe('abc');
    expect(taskIdOf('abc')).toBe('abc');
  });
});
