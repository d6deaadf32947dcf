import { OptionError } from './errors';

/** How a reduction runs, resolved from the `axis` option and the first item's rank. */
export type AxisPlan =
  /** Reduce along the stream axis: one state element per item element. */
  | { kind: 'stream' }
  /** Reduce over everything: a scalar state. */
  | { kind: 'all'; axes: number[] }
  /** Reduce each item along its axis `axis`, then stack the results along a new last axis. */
  | { kind: 'item'; axis: number };

/** Checks the type of an `axis` option when the operator is created. */
export function validateAxisOption(operator: string, axis: unknown): void {
  if (axis === undefined || axis === null) return;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new OptionError(`${operator}: axis must be an integer, null (all axes) or omitted (the stream axis); received ${String(axis)}`);
  }
}

/**
 * npstreams' convention, on the virtual array `np.stack(stream, axis=-1)` of rank ndim + 1:
 * omitted or -1 = the stream axis; null = all axes; 0..ndim-1 = an axis of each item;
 * >= ndim = the stream axis; other negative values count from the end of the stacked array.
 */
export function resolveAxis(operator: string, axis: number | null | undefined, ndim: number): AxisPlan {
  if (axis === null) return { kind: 'all', axes: Array.from({ length: ndim }, (_, i) => i) };
  if (axis === undefined || axis === -1 || axis >= ndim) return { kind: 'stream' };
  const k = axis < 0 ? axis + ndim + 1 : axis;
  if (k < 0) {
    throw new OptionError(`${operator}: axis ${axis} is out of range for items of rank ${ndim} (stacked rank ${ndim + 1})`);
  }
  return k === ndim ? { kind: 'stream' } : { kind: 'item', axis: k };
}
