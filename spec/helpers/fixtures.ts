import * as tf from '@tensorflow/tfjs-core';
import type { ArrayInput, NestedNumbers } from '../../projects/npstreams-rx/src/public-api';
import data from '../fixtures/reductions.json';
import type { Expected } from './close';

type Nested = number | boolean | null | Nested[];

/** One case of spec/fixtures/reductions.json (made by spec/fixtures/generate.py). */
export interface ReductionCase {
  name: string;
  /** 'sum', 'mean', 'average', 'prod', 'max', 'min', 'all', 'any', 'sub' or 'ufunc:<name>' */
  op: string;
  options: {
    axis?: number | null;
    ignoreNaN?: boolean;
    dtype?: 'float32' | 'int32';
    ddof?: number;
    axes?: number | [number[], number[]];
    subscripts?: string;
  };
  form: 'nested' | 'dataShape' | 'tensor' | 'number' | 'typed';
  itemDtype: 'float32' | 'int32' | 'bool';
  items: Nested[];
  weights?: Nested[];
  expected: (Expected | Record<string, Expected>)[];
  mixedInt?: number;
  /** histogram edges */
  bins?: number[];
}

export const CASES = (data as { cases: ReductionCase[] }).cases;

const toNumbers = (v: Nested): NestedNumbers | number => (v === null ? NaN : Array.isArray(v) ? v.map(toNumbers) : Number(v));

function shapeOf(v: Nested): number[] {
  return Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : [];
}

function flat(v: Nested): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v === null ? NaN : Number(v)];
}

/**
 * A fixture array in one of the input forms a stream item can take. Tensors made here belong
 * to the spec (`made` collects them for disposal after the stream).
 */
export function asInput(v: Nested, form: ReductionCase['form'], dtype: ReductionCase['itemDtype'], made: tf.Tensor[]): ArrayInput {
  const values = flat(v);
  const typed = dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  switch (form) {
    case 'nested':
      return toNumbers(v);
    case 'number':
      return values[0];
    case 'typed':
      return typed;
    case 'dataShape':
      return { data: typed, shape: shapeOf(v) };
    case 'tensor': {
      const t = tf.tensor(typed, shapeOf(v), dtype);
      made.push(t);
      return t;
    }
  }
}

/** Whether a case accumulates an int32 sum or product, which webgpu refuses (the overflow check
 * needs a synchronous read; see spec/exact.spec.ts). */
export function isIntSum(c: ReductionCase): boolean {
  const last = c.expected[c.expected.length - 1] as Expected;
  return (['sum', 'ufunc:add', 'prod', 'ufunc:multiply'].includes(c.op) && last.dtype === 'int32') || (['mean', 'average'].includes(c.op) && c.options.dtype === 'int32');
}
