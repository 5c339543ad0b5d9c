// The multi-map step every layer groups with: one list per key, in arrival order.
import { describe, expect, it } from 'vitest';
import { appendTo } from '../../src/domain';

describe('appendTo', () => {
  it('starts a list for a new key and appends to it after, keeping arrival order', () => {
    const byDevice = new Map<string, number[]>();
    appendTo(byDevice, 'a', 1);
    appendTo(byDevice, 'b', 2);
    const list = appendTo(byDevice, 'a', 3);
    expect(list).toBe(byDevice.get('a'));
    expect([...byDevice]).toEqual([['a', [1, 3]], ['b', [2]]]);
  });
});
