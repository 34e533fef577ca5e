import { act } from 'react';
import { expect } from 'vitest';

/** Flushes React and pending fetches, round by round, until `done` holds (at most 50 rounds). */
export async function waitFor(done: () => boolean): Promise<void> {
  for (let round = 0; round < 50 && !done(); round++) {
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  }
  expect(done()).toBe(true);
}
