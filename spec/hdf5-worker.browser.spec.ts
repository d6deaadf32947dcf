import * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom } from 'rxjs';
import { load } from '../projects/npstreams-rx/src/public-api';
import { workerPool } from '../projects/npstreams-rx/worker/src/public-api';
import expectedJson from './fixtures/hdf5/expected.json';
import maskedJson from './fixtures/masked/expected.json';
import { BACKENDS, describeOnBackends } from './helpers/backends';
import { fixtureBytes, fromJson } from './helpers/fixture-files';

// HDF5 Files in browsers: a Web Worker runs load on dropped/picked Files (here fetched fixtures,
// written by h5py: spec/fixtures/hdf5/generate.py and masked/generate.py), the File read chunk
// by chunk (a File that throws when read whole; the largest slice read is below its size), the
// bitshuffle plugin fetched from where Karma serves h5wasm-plugins. Frames as NumPy reads them;
// the masked mean as np.nanmean (float32: relative 1e-6).
type Functions = typeof import('./helpers/workers/hdf5-worker').hdf5Functions;
const NEXUS = (expectedJson as unknown as Record<string, { shape: number[]; frames: number[][] }>)['nexus.h5'];
const MASKED = maskedJson as unknown as { nan: Record<string, (number | null)[]> };
const file = async (path: string) => new File([(await fixtureBytes(path)).slice()], path.split('/').pop()!);

describeOnBackends('HDF5 Files on the page', () => {
  it('on the page itself, an HDF5 File is refused in words (no FileReaderSync); nothing is left', async () => {
    const before = tf.memory().numTensors;
    await expectAsync(lastValueFrom(load(await file('hdf5/nexus.h5')))).toBeRejectedWith(
      jasmine.objectContaining({ name: 'FileFormatError', message: jasmine.stringContaining('nexus.h5: an HDF5 file is read in a Web Worker') }),
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('HDF5 Files read in a Web Worker (h5wasm, chunk by chunk)', () => {
  for (const backend of BACKENDS) {
    it(`${backend}: frames of gzip and bitshuffle-LZ4 datasets as NumPy reads them, read in slices; masked counts averaged as np.nanmean; bad files named`, async () => {
      const pool = workerPool<Functions>(() => new Worker('/base/.tmp/browser/hdf5.worker.js'), { size: 1 });
      try {
        expect(await pool.exec('setUp', ['/base/node_modules/h5wasm-plugins/plugins/', backend, '/base/node_modules/@tensorflow/tfjs-backend-wasm/dist/'])).toBe(backend);
        const nexus = await file('hdf5/nexus.h5');
        for (const dataset of [undefined, '/entry/data/bslz4']) {
          const got = await pool.exec('frames', [[nexus], dataset ? { dataset } : {}]);
          if ('error' in got) throw new Error(`${dataset}: ${got.error!.message}`);
          expect(got.frames.map((f) => f.file)).toEqual([0, 1, 2, 3].map((k) => `nexus.h5::${dataset ?? '/entry/data/data'}#${k}`));
          got.frames.forEach((f, k) => {
            expect([f.shape, f.dtype]).toEqual([NEXUS.shape, 'int32']);
            expect(f.data).withContext(`frame ${k}`).toEqual(NEXUS.frames[k]);
          });
          expect(got.largest).withContext('largest slice read').toBeLessThan(nexus.size);
        }
        const mean = await pool.exec('mean', [[await file('masked/eiger.h5')], { maskMax: true }]);
        fromJson(MASKED.nan['mean']).forEach((w, i) =>
          expect(Number.isNaN(w) ? Number.isNaN(mean.values[i]) : Math.abs(mean.values[i] - w) <= 1e-6 * Math.max(1, Math.abs(w)))
            .withContext(`[${i}]: ${mean.values[i]} vs ${w}`)
            .toBeTrue(),
        );
        expect(mean.tensors).withContext('tensors alive in the worker').toBe(0);
        const truncated = await pool.exec('frames', [[await file('hdf5/truncated.h5')], {}]);
        expect('error' in truncated ? truncated.error : null).toEqual({ name: 'FileFormatError', message: jasmine.stringMatching(/^truncated\.h5: cannot be read as HDF5 \(truncated file/) });
        const unknown = await pool.exec('frames', [[await file('hdf5/unknown-filter.h5')], {}]);
        expect('error' in unknown ? unknown.error!.message : '').toContain('unknown-filter.h5::/frames: is compressed with HDF5 filter 65000');
      } finally {
        await pool.terminate();
      }
    });
  }
});
