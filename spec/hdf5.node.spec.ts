import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import { type FileFormatError, reduceMean } from '../projects/npstreams-rx/src/public-api';
import { load } from '../projects/npstreams-rx/node/src/public-api';
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
    it(`${source}: every frame, in order, as NumPy reads it (gzip + shuffle, bitshuffle-LZ4, the NeXus default, float64 rounded)`, async () => {
      const frames = await lastValueFrom(load(`${DIR}/${source}`).pipe(toArray()));
      expect(frames.length).toBe(want.frames.length);
      frames.forEach((f, k) => {
        expect(f.shape).withContext(`frame ${k}`).toEqual(want.shape);
        expect(Array.from(f.data)).withContext(`frame ${k}`).toEqual(want.frames[k]);
      });
      // integers exactly (int32, as .npy's), floats as float32
      expect(frames[0].dtype).toBe(source.startsWith('plain') ? 'float32' : 'int32');
      expect(frames[2].file).toMatch(/::\/(entry\/data\/(data|bslz4)|run\/images)#2$/);
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
    expect(skipped).toEqual([jasmine.stringMatching(/gaps\.h5::\/frames: frame 1: sample 13 is 4294967295, beyond int32/)]);
  });

  it('a glob of HDF5 files with a dataset path: each file in turn; with workers, HDF5 is refused in words', async () => {
    const frames = await lastValueFrom(load(`${DIR}/[n]exus.h5::/entry/data/data`).pipe(toArray()));
    expect(frames.map((f) => f.file.slice(DIR.length + 1))).toEqual([0, 1, 2, 3].map((k) => `nexus.h5::/entry/data/data#${k}`));
    await expectAsync(lastValueFrom(load(`${DIR}/nexus.h5`, { workers: 1 }))).toBeRejectedWith(
      jasmine.objectContaining({ message: jasmine.stringMatching(/HDF5 sources .* are read on this thread: give workers: 0/) }),
    );
  });

  it('unsubscribing mid-file closes it: the same file opens again at once', async () => {
    const first = await lastValueFrom(load(`${DIR}/nexus.h5`).pipe(toArray()));
    const sub = load(`${DIR}/nexus.h5`).subscribe();
    sub.unsubscribe();
    const again = await lastValueFrom(load(`${DIR}/nexus.h5`).pipe(toArray()));
    expect(again.map((f) => Array.from(f.data))).toEqual(first.map((f) => Array.from(f.data)));
  });
});
