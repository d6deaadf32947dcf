// Karma: the specs in headless Chromium, on the webgl, webgpu, wasm and cpu backends.
// WebGL and WebGPU work without a GPU through Chromium's SwiftShader (see shared notes/toolchain.md).
// CHROME_BIN names the browser; scripts/test-browser.mjs finds (or installs) one.
// The specs are bundled into one script by esbuild when this config loads (scripts/bundle-specs.mjs).
import { bundleSpecs } from './scripts/bundle-specs.mjs';
import { CHROMIUM_FLAGS } from './scripts/chromium.mjs';

// The specs run in random order (Jasmine's default), the seed printed so that an order can be
// replayed: NPSTREAMS_SEED=N; NPSTREAMS_RANDOM=0 runs them in file order.
const random = process.env.NPSTREAMS_RANDOM !== '0';
const seed = process.env.NPSTREAMS_SEED ?? String(Math.floor(Math.random() * 100000));
if (random) console.log(`browser: specs in random order, seed ${seed} (NPSTREAMS_SEED=${seed} replays it)`);

export default function (config) {
  config.set({
    frameworks: ['jasmine'],
    files: [
      { pattern: bundleSpecs('browser'), watched: false },
      // the wasm backend's binaries, fetched by tfjs at /base/node_modules/... (see spec/helpers/backends.ts)
      { pattern: 'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm', included: false, served: true, watched: false },
      // the loader fixtures, fetched by spec/io.spec.ts at /base/spec/fixtures/io/...
      { pattern: 'spec/fixtures/io/*', included: false, served: true, watched: false },
      // the masked-detector fixtures, fetched by spec/masked.spec.ts
      { pattern: 'spec/fixtures/masked/*', included: false, served: true, watched: false },
      // the HDF5 fixtures and the filters' plugins, fetched by spec/hdf5-worker.browser.spec.ts's worker
      { pattern: 'spec/fixtures/hdf5/*', included: false, served: true, watched: false },
      { pattern: 'node_modules/h5wasm-plugins/plugins/*', included: false, served: true, watched: false },
      // the Web Worker of spec/worker-pool.browser.spec.ts (bundled with the specs)
      { pattern: '.tmp/browser/*.worker.js', included: false, served: true, watched: false },
    ],
    plugins: ['karma-jasmine', 'karma-chrome-launcher'],
    reporters: ['dots'],
    browsers: ['ChromiumHeadlessSwiftShader'],
    customLaunchers: {
      ChromiumHeadlessSwiftShader: {
        base: 'Chrome',
        flags: ['--headless=new', ...CHROMIUM_FLAGS],
      },
    },
    // NPSTREAMS_BACKENDS narrows the backends here too (spec/helpers/backends.ts reads the args)
    client: { jasmine: { random, seed, timeoutInterval: 60000 }, args: [process.env.NPSTREAMS_BACKENDS ?? ''] },
    singleRun: true,
    browserNoActivityTimeout: 600000,
    browserDisconnectTimeout: 60000,
    captureTimeout: 120000,
  });
}
