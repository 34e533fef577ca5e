import { describe, expect, it } from 'vitest';
import { arrayTaskId } from './array-task-id';

describe('arrayTaskId', () => {
  it.each([
    ['123_7', { arrayJobId: '123', tasks: 1 }],
    ['123_[5-20%4]', { arrayJobId: '123', tasks: 16 }],
    ['123_[4,6%4]', { arrayJobId: '123', tasks: 2 }],
    ['123_[1-3,5,7-9]', { arrayJobId: '123', tasks: 7 }],
    ['123_[1-9:2]', { arrayJobId: '123', tasks: 5 }],
  ])('reads %s', (id, expected) => {
    expect(arrayTaskId(id)).toEqual(expected);
  });

  it.each([['123'], ['123+1'], ['123_[9-1]'], ['123_[x]'], ['123_'], ['']])(
    'sees no array task in %j',
    (id) => {
      expect(arrayTaskId(id)).toBeNull();
    },
  );
});
