import * as tf from '@tensorflow/tfjs-core';
import { type OperatorFunction, from, lastValueFrom } from 'rxjs';
import {
  type ArrayInput,
  type PartialResult,
  PartialFormatError,
  deserializePartial,
  disposePartial,
  mergePartials,
  partialValue,
  partials,
  serializePartial,
} from '../projects/npstreams-rx/src/public-api';
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

/** The partial result through bytes and back (the original is disposed): the bytes of the copy
 * are the bytes of the original, and the copy has the original's statistic. */
async function roundTrip(p: PartialResult): Promise<PartialResult> {
  const bytes = await serializePartial(p);
  const back = deserializePartial(bytes.slice().buffer);
  expect(back.statistic).toBe(p.statistic);
  expect(await serializePartial(back))
    .withContext('serialized again')
    .toEqual(bytes);
  disposePartial(p);
  return back;
}

describeOnBackends('partial results merged after random splits equal one pass (the three-way split through serializePartial)', (backend) => {
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
          const part = await lastValueFrom(from(items.slice(lo, hi)).pipe(partialFor(c, weights?.slice(lo, hi))!));
          results.push(parts === 3 ? await roundTrip(part) : part);
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

describeOnBackends('serializePartial / deserializePartial', () => {
  const frames = [
    [1.5, NaN, -Infinity, 3e38],
    [2.25, 1, -1, 3e38],
  ];

  it("round trips states holding NaN, infinities and float32 overflow; the merged value is NumPy's", async () => {
    const before = tf.memory().numTensors;
    const a = await lastValueFrom(from(frames.slice(0, 1)).pipe(partials.sum()));
    const b = await lastValueFrom(from(frames.slice(1)).pipe(partials.sum()));
    const a2 = deserializePartial(await serializePartial(a));
    const b2 = deserializePartial(await serializePartial(b));
    const merged = mergePartials(a2, b2);
    const value = partialValue(merged) as tf.Tensor;
    // np.sum(np.stack([...], -1), -1, dtype=float32): 3.75, nan, -inf, inf (float32 overflow)
    expect(Array.from(await value.data())).toEqual([3.75, NaN, -Infinity, Infinity]);
    value.dispose();
    [a, b, a2, b2, merged].forEach(disposePartial);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the counts and weight totals of a weighted variance (JS numbers) exactly', async () => {
    const before = tf.memory().numTensors;
    const xs = [
      [0.1, 7],
      [0.2, 8],
      [0.7, -3],
    ];
    const w = [1 / 3, 2, 0.1];
    const one = await lastValueFrom(from(xs).pipe(partials.averageAndVar({ weights: w, ddof: 0 })));
    const back = deserializePartial(await serializePartial(one));
    const { average, variance } = partialValue(back) as { average: tf.Tensor; variance: tf.Tensor };
    // np.average(x, weights=w, axis=-1); np.cov-style weighted variance with ddof=0
    const W = w.reduce((s, v) => s + v, 0);
    for (const [k, col] of [
      [0, xs.map((x) => x[0])],
      [1, xs.map((x) => x[1])],
    ] as const) {
      const m = col.reduce((s, x, i) => s + w[i] * x, 0) / W;
      const v = col.reduce((s, x, i) => s + w[i] * (x - m) ** 2, 0) / W;
      expect((await average.data())[k]).toBeCloseTo(m, 5);
      expect((await variance.data())[k]).toBeCloseTo(v, 4);
    }
    tf.dispose([average, variance]);
    [one, back].forEach(disposePartial);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("refuses a user ufunc's partial result: functions do not travel", async () => {
    const before = tf.memory().numTensors;
    const p = await lastValueFrom(from(frames).pipe(partials.ufunc({ fn: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b) })));
    await expectAsync(serializePartial(p)).toBeRejectedWithError(PartialFormatError, /user ufunc/);
    disposePartial(p);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bytes that are not a partial result, or that lie about their sizes, before making any tensor', async () => {
    const before = tf.memory().numTensors;
    const p = await lastValueFrom(from(frames).pipe(partials.var()));
    const good = await serializePartial(p);
    disposePartial(p);
    const headerLength = new DataView(good.buffer).getUint32(16, true);
    const header = JSON.parse(new TextDecoder().decode(good.subarray(20, 20 + headerLength)));
    const withHeader = (h: unknown) => {
      const text = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(24 + text.length + good.length);
      out.set(good.subarray(0, 16));
      new DataView(out.buffer).setUint32(16, text.length, true);
      out.set(text, 20);
      return out;
    };
    const huge = { ...header, tensors: header.tensors.map((e: object) => ({ ...e, shape: [1e6, 1e6], bytes: 4e12 })) };
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array([1, 2, 3]), /not a serialized partial result/],
      [new TextEncoder().encode('{"recipe": "sum"}' + ' '.repeat(40)), /not a serialized partial result/],
      [good.slice(0, good.length - 8), /does not fit/],
      [good.slice(0, 30), /header claims/],
      [withHeader(huge), /does not fit/],
      [withHeader({ ...header, tensors: [{ ...header.tensors[0], dtype: 'complex64' }] }), /dtype complex64/],
      [withHeader({ ...header, recipe: { kind: 'median', options: {} } }), /no statistic named 'median'/],
      [withHeader({ ...header, state: { mean: { $tensor: 99 } } }), /tensor 99/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => deserializePartial(bytes)).toThrowError(message);
      expect(tf.memory().numTensors).withContext(String(message)).toBe(before);
    }
  });
});
