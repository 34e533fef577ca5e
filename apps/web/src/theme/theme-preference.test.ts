import { describe, expect, it } from 'vitest';
import { nextThemePreference, parseThemePreference } from './theme-preference';

describe('theme preference', () => {
  it('reads only known values from storage, defaulting to the system theme', () => {
    expect(parseThemePreference('dark')).toBe('dark');
    expect(parseThemePreference('light')).toBe('light');
    expect(parseThemePreference(null)).toBe('system');
    expect(parseThemePreference('purple')).toBe('system');
  });

  it('cycles through every choice and back', () => {
    expect(nextThemePreference('system')).toBe('light');
    expect(nextThemePreference('light')).toBe('dark');
    expect(nextThemePreference('dark')).toBe('system');
  });
});
