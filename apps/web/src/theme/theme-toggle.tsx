import { useEffect } from 'react';
import { useStoredState } from '../ui/use-stored-state';
import {
  nextThemePreference,
  parseThemePreference,
  THEME_LABELS,
  THEME_STORAGE_KEY,
  type ThemePreference,
} from './theme-preference';

const ICONS = { system: '◐', light: '☀', dark: '☾' } as const satisfies Record<
  ThemePreference,
  string
>;

export function ThemeToggle() {
  const [pref, setPref] = useStoredState(THEME_STORAGE_KEY, parseThemePreference);

  useEffect(() => {
    const root = document.documentElement;
    if (pref === 'system') delete root.dataset.theme;
    else root.dataset.theme = pref;
  }, [pref]);

  const next = nextThemePreference(pref);
  return (
    <button
      type="button"
      className="icon-button"
      data-testid="theme-toggle"
      data-theme-preference={pref}
      aria-label={`${THEME_LABELS[pref]}. Switch to ${THEME_LABELS[next].replace('Theme: ', '')}`}
      title={`${THEME_LABELS[pref]} (click for ${THEME_LABELS[next].replace('Theme: ', '')})`}
      onClick={() => setPref(next)}
    >
      <span aria-hidden="true">{ICONS[pref]}</span>
    </button>
  );
}
