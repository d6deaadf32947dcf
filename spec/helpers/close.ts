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
  values: (number | null)[];
}

export function expectClose(actual: Snapshot, expected: Expected, context: string): void {
  expect(actual.shape).withContext(`${context}: shape`).toEqual(expected.shape);
  expect(actual.dtype).withContext(`${context}: dtype`).toBe(expected.dtype);
  const bad: string[] = [];
  expected.values.forEach((e, i) => {
    const a = actual.values[i];
    const ok =
      e === null
        ? Number.isNaN(a)
        : expected.dtype !== 'float32'
          ? a === e
          : Math.abs(a - e) <= ATOL + RTOL * Math.abs(e);
    if (!ok) bad.push(`[${i}] ${a} vs ${e === null ? 'NaN' : e}`);
  });
  expect(bad).withContext(`${context}: elements outside rtol ${RTOL} / atol ${ATOL} (actual vs NumPy)`).toEqual([]);
}
