import { colormapTable } from '../projects/npstreams-rx/src/public-api';
import { workerPool } from '../projects/npstreams-rx/worker/src/public-api';
import { BACKENDS } from './helpers/backends';

// Previews drawn off the page's thread: the page transfers a canvas's control to a Web Worker
// (transferControlToOffscreen) and the library draws there (drawImage into the OffscreenCanvas,
// on each backend started in the worker). A 64x64 column ramp v = x at resolution 8 is drawn as
// 8x8 block means 8 ox + 3.5 (closed form), through the gray map: index round((v - lo) / (hi - lo)
// x 255) with lo, hi the drawn range (3.5, 59.5).
describe('drawImage in a Web Worker, into a transferred OffscreenCanvas', () => {
  for (const backend of BACKENDS) {
    it(`${backend}: the worker starts it, draws at the resolution asked, and frees its tensors`, async () => {
      const pool = workerPool<typeof import('./helpers/workers/draw-worker').drawFunctions>(() => new Worker('/base/.tmp/browser/draw.worker.js'), { size: 1 });
      try {
        const placeholder = document.createElement('canvas');
        const offscreen = placeholder.transferControlToOffscreen();
        // an OffscreenCanvas is transferable; exec's list is typed for array buffers
        expect(await pool.exec('setUp', [offscreen, backend, '/base/node_modules/@tensorflow/tfjs-backend-wasm/dist/'], [offscreen as unknown as ArrayBuffer])).toBe(backend);
        const values = Float32Array.from({ length: 64 * 64 }, (_, i) => i % 64);
        const out = await pool.exec('draw', [values, [64, 64], 8, 'gray']);
        expect(out.range).toEqual({ lo: 3.5, hi: 59.5 });
        expect([out.width, out.height]).toEqual([8, 8]);
        const gray = colormapTable('gray');
        const row = Array.from({ length: 8 }, (_, ox) => gray[3 * Math.round(((8 * ox) / 56) * 255)]);
        expect(out.reds).toEqual(Array.from({ length: 8 }, () => row).flat());
        expect(out.tensors).withContext('tensors alive in the worker after the draw').toBe(0);
      } finally {
        await pool.terminate();
      }
    });
  }
});
