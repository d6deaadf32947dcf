import * as tf from '@tensorflow/tfjs-core';
import { type OperatorFunction, from, lastValueFrom } from 'rxjs';
import { type ArrayInput, type PartialResult, disposePartial, mergePartials, partialValue, partials } from '../projects/npstreams-rx/src/public-api';
import { describeOnBackends } from './helpers/backends';
import { type Expected, expectEmission } from './helpers/close';
import { CASES, type ReductionCase, asInput, isIntSum } from './helpers/fixtures';
import { type Emitted, snapshotAll } from './helpers/streams';

/** Splits [0, n) at `parts - 1` seeded random points into non-empty chunks. */
function randomChunks(n: number, parts: number, seed: number): [number, number][] {
  let s = seed;
  const cuts = new Set<number>();
  while (cuts.size < Math.min(parts - 1, n - 1)) {
    s = (s * 1103515245 + 12345) % 2147483648;
    cuts.add(1 + (s % (n - 1)));
  }
  const edges = [0, ...[...cuts].sort((a, b) => a - b), n];
  return edges.slice(1).map((e, i) => [edges[i], e]);
}

type Partial = OperatorFunction<ArrayInput, PartialResult>;
const UFUNC_OF: Record<string, string> = { sum: 'add', prod: 'multiply', max: 'maximum', min: 'minimum', all: 'logicalAnd', any: 'logicalOr' };

/** The partial operator that matches a fixture case, or null where the case has no mergeable state. */
function partialFor(c: ReductionCase, weights: unknown[] | undefined): Partial | null {
  const o = { ...c.options, weights } as never;
  if (c.options.axis !== undefined && c.options.axis !== null && c.options.axis !== -1) return null;
  if (c.op === 'histogram') return partials.histogram(c.bins!, o) as Partial;
  // scanMax({ ignoreNaN }) is fmax (npstreams' imax); the ufunc maximum has no identity for NaN
  if ((c.op === 'max' || c.op === 'min') && c.options.ignoreNaN) return partials.ufunc(c.op === 'max' ? 'fmax' : 'fmin', { ...c.options, ignoreNaN: undefined }) as Partial;
  if (c.op in UFUNC_OF) return partials.ufunc(UFUNC_OF[c.op], o) as Partial;
  if (c.op.startsWith('ufunc:') && !['subtract', 'divide', 'power', 'atan2', 'mod'].includes(c.op.slice(6))) {
    return partials.ufunc(c.op.slice(6), o) as Partial;
  }
  const byName: Record<string, (o: never) => Partial> = {
    mean: partials.mean as never,
    average: partials.average as never,
    var: partials.var as never,
    std: partials.std as never,
    sem: partials.sem as never,
    averageAndVar: partials.averageAndVar as never,
  };
  return byName[c.op]?.(o) ?? null;
}


describeOnBackends('partial results merged after random splits equal one pass', (backend) => {
  // webgpu refuses int32 sums (spec/exact.spec.ts)
  for (const c of CASES.filter((c) => c.items.length >= 3 && partialFor(c, undefined) !== null && !(backend === 'webgpu' && isIntSum(c)))) {
    it(c.name, async () => {
      const before = tf.memory().numTensors;
      const made: tf.Tensor[] = [];
      const items = c.items.map((v, i) => asInput(v, c.form, i === c.mixedInt ? 'int32' : c.itemDtype, made));
      const weights = c.weights?.map((w) => (typeof w === 'number' ? w : asInput(w, c.form === 'number' ? 'nested' : c.form, 'float32', made)));
      for (const [k, parts] of [2, 3].entries()) {
        const chunks = randomChunks(items.length, parts, 11 + k);
        const results: PartialResult[] = [];
        for (const [lo, hi] of chunks) {
          results.push(await lastValueFrom(from(items.slice(lo, hi)).pipe(partialFor(c, weights?.slice(lo, hi))!)));
        }
        let merged = results[0];
        for (const r of results.slice(1)) {
          const next = mergePartials(merged, r);
          if (merged !== results[0]) disposePartial(merged);
          merged = next;
        }
        const out = partialValue(merged) as Emitted;
        expectEmission(await snapshotAll(out), c.expected[c.expected.length - 1] as Expected, `split into ${chunks.map(([a, b]) => b - a)}`);
        tf.dispose(out as tf.TensorContainer);
        if (merged !== results[0]) disposePartial(merged);
        results.forEach(disposePartial);
      }
      made.forEach((t) => t.dispose());
      expect(tf.memory().numTensors).withContext('tensors after disposing the partial results').toBe(before);
    });
  }
});
