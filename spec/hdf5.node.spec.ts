import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { type ArrayInput, type FileFormatError, reduceMax, reduceMean, reduceMin, reduceSem, reduceStd, reduceSum, reduceVar } from '../projects/npstreams-rx/src/public-api';
import type { OperatorFunction } from 'rxjs';
import maskedJson from './fixtures/masked/expected.json';
import { fromJson } from './helpers/fixture-files';
import { load, save } from '../projects/npstreams-rx/node/src/public-api';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOnBackends } from './helpers/backends';

// HDF5 and NeXus sources of load in Node (h5wasm), against what h5py wrote and NumPy read
// (spec/fixtures/hdf5/generate.py: expected.json holds each frame's values, float64 numbers).
const DIR = 'spec/fixtures/hdf5';
const expected = JSON.parse(readFileSync(`${DIR}/expected.json`, 'utf8')) as Record<string, { shape: number[]; frames: number[][] } | { error: string }>;

describeOnBackends('load of HDF5 and NeXus files (Node)', () => {
  let baseline = 0;
  beforeEach(() => (baseline = tf.memory().numTensors));
  afterEach(() => expect(tf.memory().numTensors).withContext('tensors').toBe(baseline));

  for (const [source, want] of Object.entries(expected).filter(([, w]) => 'frames' in w) as [string, { shape: number[]; frames: number[][] }][]) {
    it(`${source}: every frame, in order, as NumPy reads it (gzip + shuffle, bitshuffle-LZ4, LZ4, big-endian, the NeXus default, float64 rounded)`, async () => {
      const frames = await lastValueFrom(load(`${DIR}/${source}`).pipe(toArray()));
      expect(frames.length).toBe(want.frames.length);
      frames.forEach((f, k) => {
        expect(f.shape).withContext(`frame ${k}`).toEqual(want.shape);
        expect(Array.from(f.data)).withContext(`frame ${k}`).toEqual(want.frames[k]);
      });
      // integers exactly (int32, as .npy's), floats as float32
      expect(frames[0].dtype).toBe(source.startsWith('plain') || source.endsWith('/f8') ? 'float32' : 'int32');
      expect(frames[2].file).toMatch(/::\/(entry\/data\/(data|bslz4)|run\/images|i2|f8|frames)#2$/);
      // read into reused memory (load's reuse): the same values, each frame as it comes
      const reused: number[][] = [];
      await lastValueFrom(load(`${DIR}/${source}`, { reuse: true }).pipe(tap((f) => reused.push(Array.from(f.data)))));
      expect(reused).toEqual(want.frames);
    });
  }

  for (const [source, want] of Object.entries(expected).filter(([, w]) => 'error' in w) as [string, { error: string }][]) {
    it(`${source}: refused, naming the file and what is wrong (${want.error})`, async () => {
      const err = (await lastValueFrom(load(`${DIR}/${source}`)).catch((e: unknown) => e)) as FileFormatError;
      expect(err.name).toBe('FileFormatError');
      expect(err.message).toContain(`${DIR}/${source.split('::')[0]}`);
      expect(err.message).toContain(want.error);
    });
  }

  it('the mean of the frames equals the float64 mean within float32 rounding; skipBad skips a file that is not HDF5', async () => {
    const want = expected['nexus.h5'] as { shape: number[]; frames: number[][] };
    const skipped: string[] = [];
    const mean = await lastValueFrom(load([`${DIR}/truncated.h5`, `${DIR}/nexus.h5::/entry/data/bslz4`], { skipBad: true, onSkip: (e) => skipped.push(e.message) }).pipe(reduceMean()));
    const values = await mean.data();
    mean.dispose();
    const exact = want.frames[0].map((_, i) => want.frames.reduce((t, f) => t + f[i], 0) / want.frames.length);
    values.forEach((v, i) =>
      expect(Math.abs(v - exact[i]))
        .withContext(`element ${i}`)
        .toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(exact[i]))),
    );
    expect(skipped.length).toBe(1);
    expect(skipped[0]).toContain('truncated.h5: cannot be read as HDF5');
  });

  it('a frame that cannot be read is one source: skipBad skips it, naming file, dataset and frame, and reads the others', async () => {
    const skipped: string[] = [];
    const frames = await lastValueFrom(load(`${DIR}/gaps.h5`, { skipBad: true, onSkip: (e) => skipped.push(e.message) }).pipe(toArray()));
    expect(frames.map((f) => f.file.slice(DIR.length + 1))).toEqual(['gaps.h5::/frames#0']);
    expect(Array.from(frames[0].data)).toEqual(new Array(20).fill(7));
    expect(skipped).toEqual([jasmine.stringMatching(/gaps\.h5::\/frames: frame 1: sample 13 \(row 2, column 3\) is 4294967295, beyond int32 .*maskMax \(the command's --mask-max\) reads it as NaN/)]);
  });

  it('a glob of HDF5 files with a dataset path: each file in turn', async () => {
    const frames = await lastValueFrom(load(`${DIR}/[n]exus.h5::/entry/data/data`).pipe(toArray()));
    expect(frames.map((f) => f.file.slice(DIR.length + 1))).toEqual([0, 1, 2, 3].map((k) => `nexus.h5::/entry/data/data#${k}`));
  });

  it('with workers: threads read the frames (each opens the file once), in order, as NumPy reads them; maskMax and errors cross', async () => {
    const want = expected['nexus.h5'] as { shape: number[]; frames: number[][] };
    const frames = await lastValueFrom(load([`${DIR}/nexus.h5`, `${DIR}/nexus.h5::/entry/data/bslz4`], { workers: 2 }).pipe(toArray()));
    expect(frames.map((f) => f.file.slice(DIR.length + 1))).toEqual([...[0, 1, 2, 3].map((k) => `nexus.h5::/entry/data/data#${k}`), ...[0, 1, 2, 3].map((k) => `nexus.h5::/entry/data/bslz4#${k}`)]);
    frames.forEach((f, i) =>
      expect(Array.from(f.data))
        .withContext(f.file)
        .toEqual(want.frames[i % 4]),
    );
    // the mask on the threads
    const eiger = await lastValueFrom(load('spec/fixtures/masked/eiger.h5', { workers: 2, maskMax: true }).pipe(toArray()));
    expect(eiger.map((f) => [f.dtype, Array.from(f.data).filter(Number.isNaN).length])).toEqual([
      ['float32', 9],
      ['float32', 9],
      ['float32', 9],
      ['float32', 8],
      ['float32', 8],
    ]);
    // a frame a thread cannot read: named, skipped with skipBad
    const skipped: string[] = [];
    const gaps = await lastValueFrom(load(`${DIR}/gaps.h5`, { workers: 1, skipBad: true, onSkip: (e) => skipped.push(e.message) }).pipe(toArray()));
    expect(gaps.map((f) => f.file.slice(DIR.length + 1))).toEqual(['gaps.h5::/frames#0']);
    expect(skipped).toEqual([jasmine.stringMatching(/gaps\.h5::\/frames: frame 1: sample 13 \(row 2, column 3\) is 4294967295, beyond int32/)]);
  });

  it('unsubscribing mid-file closes it: the same file opens again at once', async () => {
    const first = await lastValueFrom(load(`${DIR}/nexus.h5`).pipe(toArray()));
    const sub = load(`${DIR}/nexus.h5`).subscribe();
    sub.unsubscribe();
    const again = await lastValueFrom(load(`${DIR}/nexus.h5`).pipe(toArray()));
    expect(again.map((f) => Array.from(f.data))).toEqual(first.map((f) => Array.from(f.data)));
  });

  describe('a masked detector (Eiger: uint32, bitshuffle-LZ4, the maximum in gaps and dead pixels)', () => {
    const masked = maskedJson as unknown as { sources: Record<string, { shape: number[]; frames: (number | null)[][] }>; nan: Record<string, (number | null)[]> };
    const EIGER = 'spec/fixtures/masked/eiger.h5';

    it('maskMax: float32 frames, the maximum NaN, the counts exact', async () => {
      const frames = await lastValueFrom(load(EIGER, { maskMax: true }).pipe(toArray()));
      const want = masked.sources['eiger.h5'];
      expect(frames.length).toBe(want.frames.length);
      frames.forEach((f, k) => {
        expect(f.dtype).toBe('float32');
        expect(f.shape).toEqual(want.shape);
        fromJson(want.frames[k]).forEach((w, i) =>
          expect(Number.isNaN(w) ? Number.isNaN(f.data[i]) : f.data[i] === w)
            .withContext(`frame ${k} [${i}]: ${f.data[i]} vs ${w}`)
            .toBeTrue(),
        );
      });
    });

    it('without maskMax: refused at the first masked pixel, naming it and maskMax', async () => {
      await expectAsync(lastValueFrom(load(EIGER))).toBeRejectedWith(
        jasmine.objectContaining({ message: jasmine.stringMatching(/eiger\.h5::\/entry\/data\/data: frame 0: sample 9 \(row 1, column 1\) is 4294967295, beyond int32 .*maskMax/) }),
      );
    });

    // NumPy's nansum, nanmean, nanvar, nanstd, the standard error (ddof 1) over the counted
    // values, nanmin, nanmax, in float64; the reductions in float32: a relative 1e-5 (the counts
    // reach 2e4, the variance 4e8), NaN where NumPy's is (a pixel masked in every frame)
    const OPS: Record<string, () => OperatorFunction<ArrayInput, tf.Tensor>> = {
      sum: () => reduceSum({ ignoreNaN: true }),
      mean: () => reduceMean({ ignoreNaN: true }),
      var: () => reduceVar({ ignoreNaN: true }),
      std: () => reduceStd({ ignoreNaN: true }),
      sem: () => reduceSem({ ignoreNaN: true }),
      min: () => reduceMin({ ignoreNaN: true }),
      max: () => reduceMax({ ignoreNaN: true }),
    };
    for (const [statistic, op] of Object.entries(OPS)) {
      it(`maskMax then ignoreNaN: the ${statistic} equals NumPy's nan${statistic === 'sem' ? '-standard error' : statistic} over the counted pixels`, async () => {
        const result = await lastValueFrom(load(EIGER, { maskMax: true }).pipe(op()));
        const values = await result.data();
        result.dispose();
        const want = fromJson(masked.nan[statistic]);
        expect(values.length).toBe(want.length);
        want.forEach((w, i) => {
          if (Number.isNaN(w)) expect(values[i]).withContext(`[${i}]`).toBeNaN();
          else
            expect(Math.abs(values[i] - w))
              .withContext(`[${i}]: ${values[i]} vs ${w}`)
              .toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(w)));
        });
      });
    }
  });

  it('save to HDF5: a tensor at the NeXus default (load finds it again), a frame at a path; a failure leaves no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npstreams-rx-h5-'));
    try {
      const t = tf.tensor2d([
        [1.5, NaN, -2],
        [4, 5, 6],
      ]);
      await save(t, join(dir, 'r.h5'));
      t.dispose();
      // frames along the first axis: the rows, float32 as written
      const rows = await lastValueFrom(load(join(dir, 'r.h5')).pipe(toArray()));
      expect(rows.map((f) => f.file.slice(dir.length + 1))).toEqual(['r.h5::/entry/data/data#0', 'r.h5::/entry/data/data#1']);
      expect(rows.map((f) => [f.dtype, ...Array.from(f.data)])).toEqual([
        ['float32', 1.5, NaN, -2],
        ['float32', 4, 5, 6],
      ]);
      await save({ data: new Uint16Array([7, 65535, 0, 1]), shape: [1, 2, 2], dtype: 'int32' }, `${join(dir, 'c.h5')}::/a/b`);
      const [counts] = await lastValueFrom(load(`${join(dir, 'c.h5')}::/a/b`, { maskMax: true }).pipe(toArray()));
      expect(Array.from(counts.data)).toEqual([7, NaN, 0, 1]);
      const one = tf.scalar(1);
      await expectAsync(save(one, join(dir, 'missing', 'x.h5'))).toBeRejectedWith(
        jasmine.objectContaining({ name: 'FileFormatError', message: jasmine.stringMatching(/missing\/x\.h5: cannot be written as hdf5: .*No such file or directory/) }),
      );
      one.dispose();
      expect(readdirSync(dir).sort()).toEqual(['c.h5', 'r.h5']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
