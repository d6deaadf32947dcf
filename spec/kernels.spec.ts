import * as tf from '@tensorflow/tfjs-core';
import { extremaUpdate, fusedKernels, histogramUpdate, momentsUpdate, setKernelImplementation, sumAdd, sumInit, sumValue } from '../projects/npstreams-rx/src/public-api';
import {
  type BackendKernels,
  type ExtremumOp,
  registerBackendKernels,
  type MomentsValue,
  colorize,
  momentsMerge,
  momentsValue,
  momentsZero,
  meanAll,
  pool2d,
} from '../projects/npstreams-rx/src/lib/kernels/accumulators';
import { toPackedImage } from '../projects/npstreams-rx/src/lib/preview/to-image';
import { frameByFrame } from '../projects/npstreams-rx/src/lib/core/reduction';
import { from, lastValueFrom } from 'rxjs';
import * as api from '../projects/npstreams-rx/src/public-api';
import { IN_BROWSER, describeOnBackends } from './helpers/backends';
import { runStream, streamError } from './helpers/streams';
import { prng } from './helpers/random';
import * as loops from '../projects/npstreams-rx/src/lib/kernels/shared/loops';
import { colorizeLoop } from '../projects/npstreams-rx/src/lib/kernels/shared/colorize';

// Every fused kernel against its tfjs-op reference (kernels/reference/), on the same inputs:
// random data with NaN and ±inf at random places, per-element weights, n = 37 elements (not a
// multiple of 4: the wasm kernels' JS tail runs too), and long streams.
// Tolerance: where the reference is finite, |fused - reference| <= 2e-6·scale, scale being the
// largest |value| the statistic is made of (Σ|x| for sums, the data's magnitude for means and
// variances); NaN and ±inf must be at the same places. Extrema and int32 counts: exact.

const N = 37;

type Mode = 'fused' | 'reference';

/** Runs `fn` with the fused kernels, then with the reference, and returns both results. */
async function both<T>(fn: () => Promise<T>): Promise<Record<Mode, T>> {
  const out = {} as Record<Mode, T>;
  try {
    for (const mode of ['fused', 'reference'] as Mode[]) {
      setKernelImplementation(mode);
      out[mode] = await fn();
    }
  } finally {
    setKernelImplementation('fused');
  }
  return out;
}

/** Frames of U(-1, 1) data where a fraction `special` of the values is NaN, inf or -inf. */
function frames(count: number, seed: number, special = 0.02): Float32Array[] {
  const next = prng(seed);
  return Array.from({ length: count }, () =>
    Float32Array.from({ length: N }, () => {
      const u = next();
      if (u < special / 3) return NaN;
      if (u < (2 * special) / 3) return Infinity;
      if (u < special) return -Infinity;
      return 2 * next() - 1;
    }),
  );
}

/** One step of a kernel that may update its accumulator in place (its temporaries tidied, as
 * the operators' core does). */
function step(acc: tf.Tensor, kernel: () => tf.Tensor): tf.Tensor {
  const next = tf.tidy(kernel);
  if (next !== acc) acc.dispose();
  return next;
}

function expectAgree(r: Record<Mode, Float32Array | Int32Array>, scale: number, what: string): void {
  const bad: string[] = [];
  r.reference.forEach((ref, i) => {
    const f = r.fused[i];
    const ok = Number.isNaN(ref) ? Number.isNaN(f) : !Number.isFinite(ref) ? f === ref : Math.abs(f - ref) <= 2e-6 * scale;
    if (!ok) bad.push(`[${i}] fused ${f} vs reference ${ref}`);
  });
  expect(bad).withContext(`${what}: elements where the fused kernel and the reference disagree`).toEqual([]);
}

/** The values of a kernel's result, read (asynchronously: webgpu has no reliable synchronous
 * read) and disposed; its temporaries tidied. */
const read = async (kernel: () => tf.Tensor): Promise<Float32Array> => {
  const t = tf.tidy(kernel);
  const v = Float32Array.from(await t.data());
  t.dispose();
  return v;
};
const readInt = async (t: tf.Tensor): Promise<number[]> => Array.from(await t.data());

describe('kernel registration is typed, and checked when it runs', () => {
  it('a wrong signature does not compile; a kernel that was never declared is refused by name', () => {
    // each @ts-expect-error fails the specs' type check (npm run typecheck, npm test) if its line compiles
    const wrong: BackendKernels[] = [
      // @ts-expect-error sumAdd takes tensors, not a string
      { sumAdd: (_s: string) => tf.scalar(0) },
      // @ts-expect-error sumAddFrame returns a tensor or null, not a number
      { sumAddFrame: (_acc: tf.Tensor, _frame: Float32Array) => 1 },
      // @ts-expect-error no kernel has that name
      { sumAddd: () => null },
    ];
    // what the types cannot see (a name made at run time) the registry refuses
    expect(() => registerBackendKernels('spec-only', wrong[2])).toThrowError(/^registerKernelImpl: no kernel named 'sumAddd'; known: sumAdd, /);
  });
});

describeOnBackends('fused kernels agree with the tfjs-op reference', (backend) => {
  let before = 0;
  beforeEach(() => (before = tf.memory().numTensors));
  afterEach(() => expect(tf.memory().numTensors).withContext('tensors left by the spec').toBe(before));

  it('this backend has fused kernels registered', () => {
    const common = ['sumAdd', 'sumValue', 'momentsUpdate', 'momentsValue', 'extremaUpdate'];
    // webgl counts histograms with tfjs's own ops; webgpu adds the BitwiseAnd that tfjs lacks
    // there; wasm folds frames given as JS data chunk by chunk (the frame kernels)
    const expected = {
      webgl: common,
      webgpu: [...common, 'histogramUpdate', 'bitwiseAnd'],
      wasm: [...common, 'momentsMerge', 'histogramUpdate', 'sumAddFrame', 'momentsUpdateFrame', 'momentsUpdateFrames', 'extremaUpdateFrame', 'colorize', 'pool2d', 'meanAll'],
      cpu: [...common, 'momentsMerge', 'momentsUpdateFrames', 'histogramUpdate', 'colorize', 'pool2d', 'meanAll'],
    }[backend as string]!;
    expect(fusedKernels(backend)).toEqual(jasmine.arrayWithExactContents(expected));
  });

  it('sumAdd and sumValue: 300 frames with NaN and ±inf, and the mean (divisor)', async () => {
    const fs = frames(300, 1);
    const r = await both(async () => {
      let acc = tf.tidy(() => sumInit(tf.tensor(fs[0])));
      for (const f of fs.slice(1)) {
        const x = tf.tensor(f);
        acc = step(acc, () => sumAdd(acc, x));
        x.dispose();
      }
      const out = { sum: await read(() => sumValue(acc)), mean: await read(() => sumValue(acc, fs.length)) };
      acc.dispose();
      return out;
    });
    expectAgree({ fused: r.fused.sum, reference: r.reference.sum }, fs.length, 'sum');
    expectAgree({ fused: r.fused.mean, reference: r.reference.mean }, 1, 'mean');
  });

  // webgpu refuses int32 sums (no reliable synchronous read for the overflow check): spec/exact.spec.ts
  (backend === 'webgpu' ? xit : it)('sumAdd of int32: exact, equal to the reference', async () => {
    const next = prng(5);
    const ints = Array.from({ length: 50 }, () => Int32Array.from({ length: N }, () => Math.floor((next() - 0.5) * 2e5)));
    const r = await both(async () => {
      let acc = tf.tidy(() => sumInit(tf.tensor(ints[0], [N], 'int32')));
      for (const f of ints.slice(1)) {
        const x = tf.tensor(f, [N], 'int32');
        acc = step(acc, () => sumAdd(acc, x));
        x.dispose();
      }
      const v = await readInt(acc);
      acc.dispose();
      return v;
    });
    expect(r.fused).toEqual(r.reference);
  });

  for (const [label, perElement, ignoreNaN] of [
    ['scalar weights', false, false],
    ['per-element weights', true, false],
    ['per-element weights and ignoreNaN', true, true],
  ] as const) {
    it(`momentsUpdate and momentsValue: ${label}, 200 frames with NaN and ±inf`, async () => {
      const fs = frames(200, 2, ignoreNaN ? 0.05 : 0.01);
      const next = prng(3);
      const ws = fs.map(() => Float32Array.from({ length: N }, () => (next() < 0.1 ? 0 : 2 * next())));
      const scalarW = fs.map(() => 0.5 + next());
      const r = await both(async () => {
        let acc = momentsZero([N], perElement);
        let W = 0;
        fs.forEach((f, k) => {
          const x = tf.tensor(f);
          const w = perElement ? tf.tensor(ws[k]) : scalarW[k];
          W += perElement ? 0 : scalarW[k];
          acc = step(acc, () => momentsUpdate(acc, x, w, W, ignoreNaN));
          x.dispose();
          if (typeof w !== 'number') w.dispose();
        });
        const total = perElement ? null : W;
        const out: Record<string, Float32Array> = {};
        for (const what of ['mean', 'var', 'std', 'sem'] as MomentsValue[]) out[what] = await read(() => momentsValue(acc, total, 1, what));
        acc.dispose();
        return out;
      });
      for (const what of ['mean', 'var', 'std', 'sem']) expectAgree({ fused: r.fused[what], reference: r.reference[what] }, 1, what);
    });
  }

  it('meanAll: the mean of every element against tfjs Mean and closed forms; NaN and inf as NumPy', async () => {
    // 4M + 3 values (a vector part and a tail): U(-1, 1) with a mean of 0.25 added
    const n = 4 * 2 ** 20 + 3;
    const next = prng(45);
    const data = Float32Array.from({ length: n }, () => 0.25 + (2 * next() - 1));
    const exact = data.reduce((a, v) => a + v, 0) / n;
    const r = await both(async () => {
      const x = tf.tensor(data);
      const v = await read(() => meanAll(x));
      x.dispose();
      return v;
    });
    // the fused kernels sum in float64: the float64 mean, rounded once; tfjs Mean (float32) within 1e-5
    if (backend === 'wasm' || backend === 'cpu') expect(r.fused[0]).toBe(Math.fround(exact));
    expect(Math.abs(r.fused[0] - exact)).toBeLessThan(1e-5);
    expect(Math.abs(r.reference[0] - exact)).toBeLessThan(1e-5);
    // int32 in, closed form; specials as NumPy's mean
    const ints = tf.tensor([1, 2, 3, 4, 5], [5], 'int32');
    expect(Array.from(await read(() => meanAll(ints)))).toEqual([3]);
    ints.dispose();
    for (const [values, want] of [
      [[1, NaN, 3, 4, 5], NaN],
      [[1, Infinity, 3, 4, 5], Infinity],
      [[1, Infinity, -Infinity, 4, 5], NaN],
    ] as [number[], number][]) {
      const x = tf.tensor(values);
      expect(Array.from(await read(() => meanAll(x))))
        .withContext(String(values))
        .toEqual([want]);
      x.dispose();
    }
  });

  it('pool2d: block means and maxima of [h, w] images (h, w not multiples of f) against tfjs pooling, and closed forms', async () => {
    const [h, w] = [37, 23];
    const next = prng(43);
    const image = Float32Array.from({ length: h * w }, () => 2 * next() - 1);
    for (const f of [1, 2, 3, 5, 23]) {
      for (const op of ['mean', 'max'] as const) {
        const r = await both(async () => {
          const x = tf.tensor2d(image, [h, w]);
          const v = await read(() => pool2d(x, f, op));
          x.dispose();
          return v;
        });
        expect(r.fused.length)
          .withContext(`f ${f}: floor(h / f) x floor(w / f) values`)
          .toBe(Math.floor(h / f) * Math.floor(w / f));
        if (op === 'max') expect(Array.from(r.fused)).withContext(`max, f ${f}`).toEqual(Array.from(r.reference));
        else expectAgree(r, 1, `mean, f ${f}`);
      }
    }
    // closed forms: a ramp v = 100 y + x, its 3 x 3 blocks' means 100 (3 oy + 1) + 3 ox + 1 and
    // maxima 100 (3 oy + 2) + 3 ox + 2 (the last row and column of a 7 x 8 image left out)
    const ramp = tf.tensor2d(
      Float32Array.from({ length: 7 * 8 }, (_, i) => 100 * Math.floor(i / 8) + (i % 8)),
      [7, 8],
    );
    const blocks = (d: number) => [0, 1].flatMap((oy) => [0, 1].map((ox) => 100 * (3 * oy + d) + 3 * ox + d));
    expect(Array.from(await read(() => pool2d(ramp, 3, 'mean')))).toEqual(blocks(1));
    expect(Array.from(await read(() => pool2d(ramp, 3, 'max')))).toEqual(blocks(2));
    ramp.dispose();
  });

  if (backend === 'wasm' || backend === 'cpu') {
    it('pool2d on wasm and cpu (the library loop): NaN propagates, inf stays inf, inf - inf is NaN; the same bits as the JS loop', async () => {
      const x = tf.tensor2d([NaN, 1, Infinity, 1, 2, 3, 4, 5, Infinity, -Infinity, 1, 2, 6, 7, 8, 9], [4, 4]);
      expect(Array.from(await read(() => pool2d(x, 2, 'mean')))).toEqual([NaN, Infinity, NaN, 5]);
      expect(Array.from(await read(() => pool2d(x, 2, 'max')))).toEqual([NaN, Infinity, Infinity, 9]);
      x.dispose();
      const next = prng(44);
      const [h, w, f] = [61, 45, 4];
      const image = Float32Array.from({ length: h * w }, () => (next() - 0.5) * 10 ** (8 * next() - 4));
      const t = tf.tensor2d(image, [h, w]);
      for (const max of [false, true]) {
        const want = new Float32Array(Math.floor(h / f) * Math.floor(w / f));
        loops.pool2dLoop(image, want, h, w, f, max);
        expect(Array.from(await read(() => pool2d(t, f, max ? 'max' : 'mean')))).toEqual(Array.from(want));
      }
      t.dispose();
    });
  }

  if (backend === 'wasm' || backend === 'cpu') {
    it('momentsValue with a scalar total: the same bits as the JS loop (float64, rounded once), specials and an empty total included', async () => {
      // wasm runs a float64x2 SIMD pass; cpu the JS loop itself: both must give its bits
      const n = 1 + 4 * 64 + 3; // a vector part and a tail
      const next = prng(41);
      const planes = Float32Array.from({ length: 4 * n }, (_, i) => {
        const u = next();
        if (u < 0.02) return [NaN, Infinity, -Infinity][i % 3];
        // hi planes of any size, lo planes below their hi's half ulp
        return i % (2 * n) < n ? (2 * next() - 1) * 10 ** (6 * next() - 3) : (next() - 0.5) * 1e-9;
      });
      for (const [W, ddof] of [
        [7.5, 1],
        [3, 0],
        [1, 1],
        [0, 0],
        [0.25, 1],
      ]) {
        for (const what of ['mean', 'var', 'std', 'sem'] as MomentsValue[]) {
          const acc = tf.tensor(planes, [4, n]);
          const got = await read(() => momentsValue(acc, W, ddof, what));
          acc.dispose();
          const want = new Float32Array(n);
          loops.momentsValue(planes, want, n, 4, W, ddof, loops.MOMENTS_VALUES[what]);
          const differ = Array.from(want).flatMap((v, i) => (Object.is(v, got[i]) || (Number.isNaN(v) && Number.isNaN(got[i])) ? [] : [`[${i}] ${got[i]} vs ${v}`]));
          expect(differ).withContext(`${what}, W ${W}, ddof ${ddof}`).toEqual([]);
        }
      }
    });
  }

  for (const [label, pa, pb] of [
    ['scalar totals', false, false],
    ['per-element totals', true, true],
    ['a scalar total and per-element ones', false, true],
  ] as const) {
    it(`momentsMerge (Chan et al.): ${label}, states with NaN and ±inf, then the statistics`, async () => {
      /** A moments state of `count` frames: per element weights (P = 6) or a scalar total. */
      const state = (count: number, seed: number, perElement: boolean) => {
        const next = prng(seed); // the same weights for the fused and the reference run
        const fs = frames(count, seed, 0.02);
        let acc = momentsZero([N], perElement);
        let W = 0;
        for (const f of fs) {
          const x = tf.tensor(f);
          const w = perElement ? tf.tensor(Float32Array.from({ length: N }, () => (next() < 0.1 ? 0 : next()))) : 0.5 + next();
          W += typeof w === 'number' ? w : 0;
          acc = step(acc, () => momentsUpdate(acc, x, w, W, false));
          tf.dispose([x, ...(typeof w === 'number' ? [] : [w])]);
        }
        return { acc, W: perElement ? null : W };
      };
      const r = await both(async () => {
        const a = state(30, 21, pa);
        const b = state(45, 22, pb);
        const merged = tf.tidy(() => momentsMerge(a.acc, a.W, b.acc, b.W));
        const W = a.W !== null && b.W !== null ? a.W + b.W : null;
        const out: Record<string, Float32Array> = {};
        for (const what of ['mean', 'var'] as MomentsValue[]) out[what] = await read(() => momentsValue(merged, W, 1, what));
        tf.dispose([a.acc, b.acc, merged]);
        return out;
      });
      for (const what of ['mean', 'var']) expectAgree({ fused: r.fused[what], reference: r.reference[what] }, 1, what);
    });
  }

  it('FrameBatch: var and averageAndVar of batches equal the same frames one by one (within one float32 rounding; NaN and inf where they are); the frames are left as they were', async () => {
    const n = 20011; // several blocks and chunks, and a tail that is not a multiple of 4
    const next = prng(17);
    const fs = Array.from({ length: 11 }, (_, k) => Float32Array.from({ length: n }, (_, i) => (i % 97 === 0 ? (k % 2 ? Infinity : NaN) : 1000 + 10 * next() + k)));
    const copies = fs.map((f) => f.slice());
    const shape = [n];
    const batches = [new api.FrameBatch(fs.slice(0, 1), shape), new api.FrameBatch(fs.slice(1, 6), shape), new api.FrameBatch([], shape), new api.FrameBatch(fs.slice(6), shape)];
    const one = (await lastValueFrom(from(fs.map((data) => ({ data, shape }))).pipe(api.reduceVar({ ddof: 1 })))) as tf.Tensor;
    const batched = (await lastValueFrom(from(batches).pipe(api.reduceVar({ ddof: 1 })))) as tf.Tensor;
    // the batch is folded in float64 between its frames (cpu), not rounded to the planes after each
    const same = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
      const bad = Array.from(a).flatMap((v, i) => (Object.is(v, b[i]) || Math.abs(v - b[i]) <= 2 ** -23 * Math.abs(b[i]) ? [] : [`[${i}] ${v} vs ${b[i]}`]));
      expect(bad.slice(0, 5)).withContext(what).toEqual([]);
    };
    same(await batched.data(), await one.data(), 'var');
    const both2 = (await lastValueFrom(from(batches).pipe(api.reduceAverageAndVar()))) as api.AverageAndVar;
    const single = (await lastValueFrom(from(fs.map((data) => ({ data, shape }))).pipe(api.reduceAverageAndVar()))) as api.AverageAndVar;
    same(await both2.average.data(), await single.average.data(), 'average');
    same(await both2.variance.data(), await single.variance.data(), 'variance');
    tf.dispose([one, batched, both2.average, both2.variance, single.average, single.variance]);
    fs.forEach((f, k) => expect(f).withContext(`frame ${k}`).toEqual(copies[k]));
  });

  it("FrameBatch: mean, sum and max of batches are the frames' own (float64 closed forms within float32 rounding); the states between frames are released", async () => {
    const before = tf.memory().numTensors;
    const shape = [3, 5];
    const fs = Array.from({ length: 9 }, (_, k) => Float32Array.from({ length: 15 }, (_, i) => Math.fround(((i * 7 + k * 13) % 11) - 4.25 + k / 8)));
    const batches = [new api.FrameBatch(fs.slice(0, 4), shape), new api.FrameBatch(fs.slice(4), shape)];
    const at = (i: number) => fs.map((f) => f[i]);
    const expected = {
      mean: Array.from({ length: 15 }, (_, i) => at(i).reduce((a, b) => a + b, 0) / fs.length),
      sum: Array.from({ length: 15 }, (_, i) => at(i).reduce((a, b) => a + b, 0)),
      max: Array.from({ length: 15 }, (_, i) => Math.max(...at(i))),
    };
    const got = {
      mean: (await lastValueFrom(from(batches).pipe(api.reduceMean()))) as tf.Tensor,
      sum: (await lastValueFrom(from(batches).pipe(api.reduceSum()))) as tf.Tensor,
      max: (await lastValueFrom(from(batches).pipe(api.reduceMax()))) as tf.Tensor,
    };
    for (const what of ['mean', 'sum', 'max'] as const) {
      const values = Array.from(await got[what].data());
      values.forEach((v, i) =>
        expect(Math.abs(v - expected[what][i]))
          .withContext(`${what}[${i}]`)
          .toBeLessThanOrEqual(2 ** -22 * Math.max(1, Math.abs(expected[what][i]))),
      );
      expect(got[what].shape).toEqual(shape);
    }
    tf.dispose(Object.values(got));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frameByFrame (the frames path one frame at a time) releases each state between frames as it goes, and refuses only before folding', () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const step = frameByFrame<{ acc: tf.Tensor }>((state, frame) => {
      counts.push(tf.memory().numTensors);
      return { acc: tf.tidy(() => tf.add(state.acc, tf.tensor1d(Float32Array.from(frame)))) };
    });
    const start = { acc: tf.zeros([2]) };
    const end = step(start, [new Float32Array([1, 2]), new Float32Array([3, 4]), new Float32Array([5, 6]), new Float32Array([7, 8])], 1)!;
    expect(Array.from(end.acc.dataSync())).toEqual([16, 20]);
    // the state given and the latest one: each state between is released once the next is made
    expect(counts).toEqual([before + 1, before + 2, before + 2, before + 2]);
    expect(start.acc.isDisposed).withContext("the state given stays the caller's").toBeFalse();
    const refusing = frameByFrame<{ acc: tf.Tensor }>(() => null);
    expect(refusing(start, [new Float32Array(2)], 1)).toBeNull();
    tf.dispose([start.acc, end.acc]);
  });

  it('FrameBatch: a frame of the wrong size is named by its stream index', async () => {
    const shape = [4];
    const batch = new api.FrameBatch([new Float32Array(4), new Float32Array(4), new Float32Array(3)], shape);
    const err = await lastValueFrom(from([{ data: new Float32Array(4), shape }, batch]).pipe(api.reduceVar())).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^reduceVar: item 3 has 3 data values for shape \[4\]/);
  });

  (backend === 'cpu' || backend === 'wasm' ? it : xit)(
    'colorize (JS over the buffer) against the image made with tfjs ops: the same colormap entry within 1, NaN transparent, the same range',
    async () => {
      const next = prng(23);
      const data = Float32Array.from({ length: 40 * 37 }, (_, i) => (i % 211 === 0 ? NaN : i % 307 === 0 ? (i % 2 ? Infinity : -Infinity) : 1000 * next() - 200));
      const x = tf.tensor2d(data, [40, 37]);
      const lut = api.colormapTable('magma');
      const packed = Int32Array.from({ length: 256 }, (_, k) => lut[3 * k] | (lut[3 * k + 1] << 8) | (lut[3 * k + 2] << 16) | (255 << 24));
      const entry = new Map(Array.from(packed, (v, k) => [v, k]));
      for (const range of [[0, 500], 'auto', { percentiles: [5, 95] }] as const) {
        const fused = colorize(x, packed, (Array.isArray(range) ? range : range === 'auto' ? 'auto' : { fractions: [0.05, 0.95] }) as never)!;
        const { image, lo, hi } = toPackedImage(x, { colormap: 'magma', range: range as never });
        const reference = (await image.data()) as Int32Array;
        const [l, h] = [(await lo.data())[0], (await hi.data())[0]];
        tf.dispose([image, lo, hi]);
        expect(Math.abs(fused.lo - l))
          .withContext(`${JSON.stringify(range)}: lo`)
          .toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(l)));
        expect(Math.abs(fused.hi - h))
          .withContext(`${JSON.stringify(range)}: hi`)
          .toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(h)));
        const bad = Array.from(fused.pixels).flatMap((p, i) => {
          const [a, b] = [p === 0 ? -1 : entry.get(p), reference[i] === 0 ? -1 : entry.get(reference[i])];
          return a !== undefined && b !== undefined && Math.abs(a - b) <= 1 && (a === -1) === (b === -1) ? [] : [`[${i}] ${data[i]}: ${a} vs ${b}`];
        });
        expect(bad.slice(0, 5)).withContext(JSON.stringify(range)).toEqual([]);
      }
      x.dispose();
    },
  );

  (backend === 'wasm' || backend === 'cpu' ? it : xit)(
    'colorize on wasm and cpu (the fused module: range in float32x4, colours in float64x2): the bits of the JS loop, specials, ends, a tail and a flat image included',
    () => {
      const next = prng(29);
      const lut = Int32Array.from({ length: 256 }, (_, k) => (k * 0x010203 + 7) | (255 << 24));
      // values across and beyond the range, NaN, ±inf, the ends themselves, values that land on a
      // .5 boundary of t; 1023 values (a tail of 3), and 4 (no tail) and 5
      const special = [NaN, Infinity, -Infinity, -200, 800, 0, 300, -1e30, 1e30];
      const cases = [1023, 4, 5].map((n) => Float32Array.from({ length: n }, (_, i) => (i < special.length && n > 8 ? special[i] : Math.fround(1000 * next() - 200))));
      cases.push(new Float32Array(9).fill(3), Float32Array.from([NaN, Infinity, NaN, -Infinity, NaN]), Float32Array.from([5, Infinity, 1, NaN, 2, -Infinity, 7]));
      for (const [k, data] of cases.entries()) {
        const x = tf.tensor1d(data);
        for (const range of ['auto', [0, 500], [-200, 800], [3, 3]] as const) {
          const fused = colorize(x, lut, range as never)!;
          const want = colorizeLoop(data, lut, range as never);
          expect([fused.lo, fused.hi])
            .withContext(`case ${k}, ${JSON.stringify(range)}: range`)
            .toEqual([want.lo, want.hi]);
          expect(Array.from(fused.pixels))
            .withContext(`case ${k}, ${JSON.stringify(range)}`)
            .toEqual(Array.from(want.pixels));
        }
        x.dispose();
      }
      // a mutation of the mapping (one index off) fails this comparison
      const shifted = colorizeLoop(
        cases[0],
        Int32Array.from(lut, (_, k) => lut[Math.min(255, k + 1)]),
        'auto',
      );
      const x = tf.tensor1d(cases[0]);
      expect(Array.from(colorize(x, lut, 'auto')!.pixels)).not.toEqual(Array.from(shifted.pixels));
      x.dispose();
    },
  );

  for (const op of ['max', 'min', 'fmax', 'fmin'] as ExtremumOp[]) {
    it(`extremaUpdate ${op}: float32 with NaN and ±inf, and int32: identical`, async () => {
      const fs = frames(100, 4, 0.03);
      const r = await both(async () => {
        let acc = tf.tensor(fs[0]);
        let ints = tf.tensor(
          Int32Array.from(fs[0], (v) => (Number.isFinite(v) ? v * 1000 : 7)),
          [N],
          'int32',
        );
        for (const f of fs.slice(1)) {
          const x = tf.tensor(f);
          const xi = tf.tensor(
            Int32Array.from(f, (v) => (Number.isFinite(v) ? v * 1000 : -7)),
            [N],
            'int32',
          );
          acc = step(acc, () => extremaUpdate(acc, x, op));
          ints = step(ints, () => extremaUpdate(ints, xi, op));
          x.dispose();
          xi.dispose();
        }
        const out = { f: await readInt(acc), i: await readInt(ints) };
        tf.dispose([acc, ints]);
        return out;
      });
      expect(r.fused.f).toEqual(r.reference.f);
      expect(r.fused.i).toEqual(r.reference.i);
    });
  }

  it('histogramUpdate: counts and weighted counts of values with NaN, ±inf and values on the edges', async () => {
    const edges = Float32Array.from([-1, -0.5, 0, 0.25, 0.25, 0.5, 1]);
    const fs = frames(40, 6, 0.05).map((f) => f.map((v, i) => (i % 9 === 0 ? edges[i % edges.length] : v)));
    const next = prng(8);
    const ws = fs.map(() => Float32Array.from({ length: N }, () => next()));
    const r = await both(async () => {
      let counts: tf.Tensor | null = null;
      let weighted: tf.Tensor | null = null;
      fs.forEach((f, k) => {
        const x = tf.tensor(f);
        const w = tf.tensor(ws[k]);
        const c = counts;
        const wc = weighted;
        counts = c ? step(c, () => histogramUpdate(c, x, 1, edges, false, k * N)) : tf.tidy(() => histogramUpdate(null, x, 1, edges, false, 0));
        weighted = wc ? step(wc, () => histogramUpdate(wc, x, w, edges, true, k * N)) : tf.tidy(() => histogramUpdate(null, x, w, edges, true, 0));
        x.dispose();
        w.dispose();
      });
      const out = { counts: await readInt(counts!), weighted: await read(() => sumValue(weighted!)) };
      tf.dispose([counts!, weighted!]);
      return out;
    });
    expect(r.fused.counts).toEqual(r.reference.counts);
    expectAgree({ fused: r.fused.weighted, reference: r.reference.weighted }, N * fs.length, 'weighted counts');
  });

  // long streams: the compensation must survive this backend's compiler (GPU compilers may
  // re-associate) and keep the error flat
  const LONG = backend === 'webgl' ? 3000 : IN_BROWSER ? 20_000 : 100_000;
  it(`a long stream (${LONG} frames of 0.1 and of 1 + 3e-8): fused and reference within 1e-6 of float64`, async () => {
    const tiny = Math.fround(3e-8);
    const x1 = Float32Array.from({ length: N }, (_, i) => (i % 2 ? 0.1 : 1));
    const x2 = Float32Array.from({ length: N }, (_, i) => (i % 2 ? 0.1 : tiny));
    const truth = Array.from({ length: N }, (_, i) => (i % 2 ? Math.fround(0.1) : (1 + (LONG - 1) * tiny) / LONG));
    const r = await both(async () => {
      let acc = tf.tidy(() => sumInit(tf.tensor(x1)));
      const x = tf.tensor(x2);
      for (let k = 1; k < LONG; k++) acc = step(acc, () => sumAdd(acc, x));
      x.dispose();
      const mean = await read(() => sumValue(acc, LONG));
      acc.dispose();
      return mean;
    });
    for (const mode of ['fused', 'reference'] as Mode[]) {
      const rel = Math.max(...truth.map((t, i) => Math.abs(r[mode][i] - t) / t));
      expect(rel).withContext(`${mode}: max relative error of the mean`).toBeLessThan(1e-6);
    }
  }, 120_000);

  // Items given as Float32Array data take the frame path where the backend has one (wasm: chunks
  // of 16384 through a scratch buffer); tensors take the tensor path. Same arithmetic, so the
  // same numbers, bit for bit; 40,003 elements: several chunks and a tail.
  for (const [name, op] of [
    ['reduceSum', () => api.reduceSum()],
    ['reduceMean', () => api.reduceMean()],
    ['reduceMax', () => api.reduceMax()],
    ['reduceMin', () => api.reduceMin({ ignoreNaN: true })],
    ['reduceVar', () => api.reduceVar()],
    ['reduceAverageAndVar', () => api.reduceAverageAndVar({ weights: [1, 2, 0.5, 3, 1] })],
  ] as const) {
    it(`${name} of frames given as Float32Array data equals the same frames as tensors`, async () => {
      const next = prng(21);
      const data = Array.from({ length: 5 }, () => Float32Array.from({ length: 40_003 }, (_, i) => (i % 997 === 0 ? [NaN, Infinity, -Infinity][i % 3] : next())));
      const asFrames = (await runStream(from(data.map((d) => ({ data: d, shape: [d.length] }))).pipe(op() as never), true)).emissions[0];
      const tensors = data.map((d) => tf.tensor(d));
      const asTensors = (await runStream(from(tensors).pipe(op() as never), true)).emissions[0];
      tensors.forEach((t) => t.dispose());
      expect(asFrames).toEqual(asTensors);
    });
  }

  // What image files and detectors store: 8- and 16-bit integers, taken as the decoders give
  // them (Uint16Array views of a file's bytes...), folded as float32 without an int32 copy where
  // the backend has a frame path. The values are exact in float32, so the mean and variance equal
  // float64 arithmetic on the same integers up to float32 rounding of the results.
  for (const [name, Type, lo, hi] of [
    ['Uint16Array', Uint16Array, 0, 65535],
    ['Int16Array', Int16Array, -32768, 32767],
    ['Uint8Array', Uint8Array, 0, 255],
    ['Int8Array', Int8Array, -128, 127],
  ] as const) {
    it(`reduceMean and reduceVar of ${name} frames equal float64 arithmetic (rel 1e-6), item 0 included`, async () => {
      const next = prng(33);
      const n = 40_003;
      const frames = Array.from({ length: 6 }, () => {
        const f = new Type(n);
        for (let i = 0; i < n; i++) f[i] = Math.round(lo + (hi - lo) * next());
        return f;
      });
      const mean = new Float64Array(n);
      const m2 = new Float64Array(n);
      for (const f of frames) for (let i = 0; i < n; i++) mean[i] += f[i] / frames.length;
      for (const f of frames) for (let i = 0; i < n; i++) m2[i] += (f[i] - mean[i]) ** 2 / frames.length;
      const items = () => from(frames.map((d) => ({ data: d, shape: [n] })));
      const [m] = (await runStream(items().pipe(api.reduceMean()), true)).emissions as { values: number[]; dtype: string }[];
      const [v] = (await runStream(items().pipe(api.reduceVar()), true)).emissions as { values: number[] }[];
      expect(m.dtype).toBe('float32');
      const rel = (got: number[], want: Float64Array, scale: number) => Math.max(...want.map((t, i) => Math.abs(got[i] - t) / Math.max(Math.abs(t), scale)));
      expect(rel(m.values, mean, 1))
        .withContext('mean')
        .toBeLessThan(1e-6);
      expect(rel(v.values, m2, 1))
        .withContext('variance')
        .toBeLessThan(1e-6);
      // an integer sum stays exact (int32; webgpu refuses int32 sums, with advice)
      if (backend === 'webgpu') return expect((await streamError(items().pipe(api.reduceSum()))).message).toContain("dtype: 'float32'");
      const [sum] = (await runStream(items().pipe(api.reduceSum()), true)).emissions as { values: number[]; dtype: string }[];
      expect(sum.dtype).toBe('int32');
      expect(sum.values.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => frames.reduce((t, f) => t + f[i], 0)));
    });
  }

  it('integer frames after float32 ones are cast; float32 frames after integer ones are refused, naming the item', async () => {
    const ints = new Uint16Array([1, 2, 65535]);
    const floats = new Float32Array([0.5, -1, 2]);
    const [m] = (
      await runStream(
        from([
          { data: floats, shape: [3] },
          { data: ints, shape: [3] },
        ]).pipe(api.reduceMean()),
        true,
      )
    ).emissions as { values: number[] }[];
    expect(m.values).toEqual([0.75, 0.5, 32768.5]);
    const err = await streamError(
      from([
        { data: ints, shape: [3] },
        { data: ints, shape: [3] },
        { data: floats, shape: [3] },
      ]).pipe(api.reduceMean()),
    );
    expect(err.message).toContain('reduceMean: item 2 has dtype float32, expected int32');
    const shape = await streamError(
      from([
        { data: ints, shape: [3] },
        { data: new Uint16Array(4), shape: [4] },
      ]).pipe(api.reduceMean()),
    );
    expect(shape.message).toContain('item 1 has shape [4], expected [3]');
  });

  it("never writes a buffer someone else holds: a clone of the accumulator, or a user's data", async () => {
    const user = Float32Array.from({ length: N }, (_, i) => i);
    const copy = Float32Array.from(user);
    const x = tf.tensor(user); // the cpu backend adopts `user` as its buffer
    let acc = tf.tidy(() => sumInit(tf.tensor(user)));
    acc = step(acc, () => sumAdd(acc, x)); // the kernels' own buffer from here on
    const held = acc.clone();
    const heldValues = await readInt(held);
    acc = step(acc, () => sumAdd(acc, x));
    expect(await readInt(held))
      .withContext('a clone of the accumulator')
      .toEqual(heldValues);
    let ext = x.clone();
    const bigger = tf.add(x, 1);
    ext = step(ext, () => extremaUpdate(ext, bigger, 'max'));
    ext = step(ext, () => extremaUpdate(ext, bigger, 'max'));
    expect(Array.from(user)).withContext("the user's array").toEqual(Array.from(copy));
    tf.dispose([x, acc, held, ext, bigger]);
  });
});
