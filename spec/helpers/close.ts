import type { Snapshot } from './streams';

/**
 * The one float32 tolerance of the specs: |actual - expected| <= ATOL + RTOL * |expected|,
 * elementwise against NumPy's float64 values; NaN must match NaN; int32 and bool results are exact.
 * RTOL = 1e-5 is ~170 float32 ulps (u = 2^-24 ~ 6e-8): loose enough for the rounding of a
 * few float32 operations, far tighter than any wrong formula.
 */
export const RTOL = 1e-5;
export const ATOL = 1e-6;

export interface Expected {
  shape: number[];
  dtype: string;
  /** null for NaN, 'Infinity'/'-Infinity' for ±inf */
  values: (number | string | null)[];
}

/** Compares an emission (a tensor or an object of tensors) with its expected value(s). */
export function expectEmission(actual: Snapshot | Record<string, Snapshot>, expected: Expected | Record<string, Expected>, context: string): void {
  if ('values' in expected) return expectClose(actual as Snapshot, expected as Expected, context);
  expect(Object.keys(actual).sort()).withContext(`${context}: fields`).toEqual(Object.keys(expected).sort());
  for (const key of Object.keys(expected)) expectClose((actual as Record<string, Snapshot>)[key], (expected as Record<string, Expected>)[key], `${context}.${key}`);
}

export function expectClose(actual: Snapshot, expected: Expected, context: string): void {
  expect(actual.shape).withContext(`${context}: shape`).toEqual(expected.shape);
  expect(actual.dtype).withContext(`${context}: dtype`).toBe(expected.dtype);
  const bad: string[] = [];
  expected.values.forEach((given, i) => {
    const e = typeof given === 'string' ? Number(given) : given;
    const a = actual.values[i];
    const ok = e === null ? Number.isNaN(a) : expected.dtype !== 'float32' ? a === e : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= ATOL + RTOL * Math.abs(e);
    if (!ok) bad.push(`[${i}] ${a} vs ${e === null ? 'NaN' : e}`);
  });
  expect(bad).withContext(`${context}: elements outside rtol ${RTOL} / atol ${ATOL} (actual vs NumPy)`).toEqual([]);
}
