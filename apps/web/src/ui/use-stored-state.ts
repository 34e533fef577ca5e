import { useCallback, useState } from 'react';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * A string preference kept in localStorage. Storage failures (disabled,
 * quota) are ignored: the choice then lasts for the page's lifetime only.
 */
export function useStoredState<T extends string>(
  key: string,
  parse: (raw: string | null) => T,
): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => parse(read(key)));
  const set = useCallback(
    (next: T) => {
      setValue(next);
      try {
        localStorage.setItem(key, next);
      } catch {
        // See above: not persisted.
      }
    },
    [key],
  );
  return [value, set];
}
