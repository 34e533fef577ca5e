/** `system` follows the OS; the others override it. Key and values are mirrored in public/theme-init.js. */
export type ThemePreference = 'system' | 'light' | 'dark';

export const THEME_STORAGE_KEY = 'scripthut.theme';

export const parseThemePreference = (value: string | null): ThemePreference =>
  value === 'light' || value === 'dark' ? value : 'system';

/** The toggle cycles system → light → dark → system. */
export function nextThemePreference(current: ThemePreference): ThemePreference {
  return current === 'system' ? 'light' : current === 'light' ? 'dark' : 'system';
}

export const THEME_LABELS = {
  system: 'Theme: follow system',
  light: 'Theme: light',
  dark: 'Theme: dark',
} as const satisfies Record<ThemePreference, string>;
