import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatDateTimeWithZone,
  formatDurationMs,
  formatRelative,
  formatUtc,
  formatWaitSeconds,
} from './time';

const NOW = Date.parse('2026-03-10T12:00:00.000Z');

describe('formatDateTime', () => {
  it('shows the time in the given zone, not UTC', () => {
    expect(formatDateTime('2026-03-10T12:34:56Z', { timeZone: 'Europe/Paris' })).toBe(
      '2026-03-10 13:34',
    );
    expect(
      formatDateTime('2026-03-10T12:34:56Z', { timeZone: 'America/New_York', seconds: true }),
    ).toBe('2026-03-10 08:34:56');
  });

  it('rolls the date over when the zone is a day ahead', () => {
    expect(formatDateTime('2026-03-10T23:30:00Z', { timeZone: 'Asia/Tokyo' })).toBe(
      '2026-03-11 08:30',
    );
  });

  it('shows midnight as 00, not 24', () => {
    expect(formatDateTime('2026-03-10T00:05:00Z', { timeZone: 'UTC' })).toBe('2026-03-10 00:05');
  });

  it('renders missing or invalid times as a dash', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });
});

describe('formatDateTimeWithZone and formatUtc', () => {
  it('names the zone so a tooltip is unambiguous', () => {
    expect(formatDateTimeWithZone('2026-03-10T12:00:00Z', { timeZone: 'UTC' })).toBe(
      '2026-03-10 12:00:00 UTC',
    );
    expect(formatDateTimeWithZone('2026-03-10T12:00:00Z', { timeZone: 'Asia/Kolkata' })).toBe(
      '2026-03-10 17:30:00 GMT+5:30',
    );
  });

  it('formats UTC independently of the zone', () => {
    expect(formatUtc('2026-03-10T12:34:56.789Z')).toBe('2026-03-10 12:34:56 UTC');
    expect(formatUtc(undefined)).toBe('—');
  });
});

describe('formatRelative', () => {
  it('describes the past with the largest fitting unit', () => {
    expect(formatRelative('2026-03-10T11:59:59.500Z', NOW)).toBe('just now');
    expect(formatRelative('2026-03-10T11:59:48Z', NOW)).toBe('12s ago');
    expect(formatRelative('2026-03-10T11:55:00Z', NOW)).toBe('5m ago');
    expect(formatRelative('2026-03-10T09:00:00Z', NOW)).toBe('3h ago');
    expect(formatRelative('2026-03-07T12:00:00Z', NOW)).toBe('3d ago');
  });

  it('describes the future with "in"', () => {
    expect(formatRelative('2026-03-10T12:00:40Z', NOW)).toBe('in 40s');
    expect(formatRelative('2026-03-10T12:02:00Z', NOW)).toBe('in 2m');
  });

  it('renders a missing time as a dash', () => {
    expect(formatRelative(null, NOW)).toBe('—');
  });
});

describe('formatDurationMs', () => {
  it.each([
    [42, '42 ms'],
    [1_234, '1.2 s'],
    [9_999, '9.9 s'],
    [42_000, '42 s'],
    [125_000, '2m 05s'],
    [3_720_000, '1h 02m'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });

  it('renders an unknown duration as a dash', () => {
    expect(formatDurationMs(null)).toBe('—');
    expect(formatDurationMs(-5)).toBe('—');
  });
});

describe('formatWaitSeconds', () => {
  it('rounds up and never says zero', () => {
    expect(formatWaitSeconds(4_100)).toBe('5s');
    expect(formatWaitSeconds(10)).toBe('1s');
  });
});
