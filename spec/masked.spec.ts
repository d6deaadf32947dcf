import * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, toArray } from 'rxjs';
import { decodeFile, loadWith } from '../projects/npstreams-rx/src/public-api';
import expectedJson from './fixtures/masked/expected.json';
import { fixtureBytes, fromJson } from './helpers/fixture-files';
import { describeOnBackends } from './helpers/backends';

// maskMax (load's, decodeFile's): unsigned counts equal to their dtype's maximum, as detectors
// mark gaps and dead pixels, read as NaN, in .npy and TIFF (spec/fixtures/masked/generate.py:
// NumPy's `a.astype(float64)` with `a == iinfo.max` set to NaN). HDF5 is Node's
// (spec/hdf5.node.spec.ts).
const SOURCES = (expectedJson as unknown as { sources: Record<string, { shape: number[]; frames: (number | null)[][] }> }).sources;

/** Equal as float64 numbers, NaN to NaN. */
const same = (actual: ArrayLike<number>, want: number[]): boolean => actual.length === want.length && want.every((w, i) => Object.is(actual[i], w) || (Number.isNaN(w) && Number.isNaN(actual[i])));

describeOnBackends('maskMax: a detector mask (the dtype maximum) read as NaN', () => {
  let baseline = 0;
  beforeEach(() => (baseline = tf.memory().numTensors));
  afterEach(() => expect(tf.memory().numTensors).withContext('tensors').toBe(baseline));

  for (const [file, want] of Object.entries(SOURCES).filter(([f]) => !f.endsWith('.h5'))) {
    it(`${file}: float32 frames, the maximum NaN, every other count exact`, async () => {
      const bytes = await fixtureBytes(`masked/${file}`);
      const frames = await decodeFile(bytes, file, undefined, undefined, { maskMax: true });
      expect(frames.length).toBe(want.frames.length);
      frames.forEach((f, k) => {
        expect(f.dtype).toBe('float32');
        expect(f.shape).toEqual(want.shape);
        expect(same(f.data, fromJson(want.frames[k])))
          .withContext(`${file} frame ${k}: ${Array.from(f.data).join(',')}`)
          .toBeTrue();
        // the mask is there: a NaN in every frame of these fixtures
        expect(Array.from(f.data).some(Number.isNaN)).toBeTrue();
      });
    });
  }

  it('without maskMax the samples are as stored: 8/16-bit counts exact (65535 a number), a uint32 maximum refused naming maskMax', async () => {
    const [u2] = await decodeFile(await fixtureBytes('masked/u2.npy'), 'u2.npy');
    expect(u2.dtype).toBe('int32');
    expect(Array.from(u2.data)).toEqual(fromJson(SOURCES['u2.npy'].frames[0]).map((v) => (Number.isNaN(v) ? 65535 : v)));
    for (const file of ['u4be.npy', 'u4.tif']) {
      await expectAsync(decodeFile(await fixtureBytes(`masked/${file}`), file)).toBeRejectedWith(
        jasmine.objectContaining({
          name: 'FileFormatError',
          message: jasmine.stringMatching(/value 4294967295 at flat index \d+ .*does not fit int32.*maskMax, the command's --mask-max, reads it as NaN/),
        }),
      );
    }
  });

  it('loadWith passes maskMax to the decoders and checks it is a boolean', async () => {
    const frames = await lastValueFrom(loadWith(['u2.npy', 'u4.tif'], async (name) => ({ bytes: await fixtureBytes(`masked/${name}`), name }), { maskMax: true }).pipe(toArray()));
    expect(frames.map((f) => f.file)).toEqual(['u2.npy', 'u4.tif', 'u4.tif#1']);
    expect(frames.map((f) => Array.from(f.data).filter(Number.isNaN).length)).toEqual([1, 1, 1]);
    expect(() => loadWith([], async () => ({ bytes: new Uint8Array(), name: '' }), { maskMax: 'yes' as unknown as boolean })).toThrowError(/maskMax/);
  });
});
