// A Web Worker that draws previews into an OffscreenCanvas the page transferred to it: the
// library's own main entry in a worker (tfjs, a backend, drawImage), as an application that keeps
// its page's thread free would run it. Bundled by scripts/bundle-specs.mjs into
// .tmp/browser/draw.worker.js, served by Karma; spec/preview-worker.browser.spec.ts drives it.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import { type BackendName, type ColormapName, drawImage, setWasmPaths, useBackend } from '../../../projects/npstreams-rx/src/public-api';
import { exposeFunctions } from '../../../projects/npstreams-rx/worker/src/public-api';

let canvas: OffscreenCanvas | null = null;

// exported for its type (the spec's workerPool<typeof drawFunctions>)
export const drawFunctions = exposeFunctions({
  /** Keeps the canvas the page transferred, and starts a backend. */
  async setUp(offscreen: OffscreenCanvas, backend: BackendName, wasmPaths: string) {
    canvas = offscreen;
    await setWasmPaths(wasmPaths);
    return useBackend(backend);
  },
  /** Draws a [h, w] image at most `resolution` pixels a side; the canvas's size, its red channel
   * (read back here: the page's canvas is only a placeholder now), the range drawn, and the
   * tensors alive after. */
  async draw(values: Float32Array, shape: [number, number], resolution: number, colormap: ColormapName) {
    const x = tf.tensor2d(values, shape);
    let range;
    try {
      range = await drawImage(canvas!, x, { colormap, resolution });
    } finally {
      x.dispose();
    }
    const { width, height } = canvas!;
    const px = canvas!.getContext('2d')!.getImageData(0, 0, width, height).data;
    return { range, width, height, reds: Array.from(px.filter((_, i) => i % 4 === 0)), tensors: tf.memory().numTensors };
  },
});
