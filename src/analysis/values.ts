// Small readings of evaluated values that several rules share.
import type { Value } from '../python/evaluate';

/** The size of the last axis a `normalized_shape` names: `64` or `[…, 64]`. */
export function lastAxisSize(value: Value): number | undefined {
  if (value.kind === 'int') return value.value;
  if (value.kind === 'sequence') {
    const last = value.items[value.items.length - 1];
    return last?.kind === 'int' ? last.value : undefined;
  }
  return undefined;
}

/** The number of axes a `normalized_shape` covers: 1 for an int, the length of a sequence. */
export function normalizedAxisCount(value: Value): number | undefined {
  if (value.kind === 'int') return 1;
  if (value.kind === 'sequence') return value.items.length;
  return undefined;
}
