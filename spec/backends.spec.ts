import * as tf from '@tensorflow/tfjs-core';
import { from, lastValueFrom } from 'rxjs';
import { BackendError, hasHardwareWebGL, hasHardwareWebGPU, reduceMean, useBackend } from '../projects/npstreams-rx/src/public-api';
import { webglRenderer } from '../projects/npstreams-rx/src/lib/backends/webgl-probe';
import { BACKENDS, IN_BROWSER } from './helpers/backends';

describe('useBackend', () => {
  afterAll(async () => {
    await useBackend(BACKENDS[0]);
  });

  for (const name of BACKENDS) {
    it(`starts ${name}, which this environment must have, and resolves to it`, async () => {
      expect(await useBackend(name)).toBe(name);
      expect(tf.getBackend()).toBe(name);
    });
  }

  it('with no name picks webgpu or webgl only on a hardware GPU, else wasm', async () => {
    const gpu = (await hasHardwareWebGPU()) ? 'webgpu' : hasHardwareWebGL() ? 'webgl' : 'wasm';
    expect(await useBackend()).toBe(gpu);
  });

  if (IN_BROWSER) {
    it('does not count a software WebGL renderer (SwiftShader) as a GPU', () => {
      const gl = document.createElement('canvas').getContext('webgl2');
      expect(gl).withContext('Chromium gives a WebGL2 context (SwiftShader without a GPU)').not.toBeNull();
      if (/swiftshader|llvmpipe/i.test(webglRenderer(gl!))) expect(hasHardwareWebGL()).toBeFalse();
    });

    it('does not count a software WebGPU adapter (SwiftShader) as a GPU', async () => {
      const adapter = await (navigator as unknown as { gpu: { requestAdapter(): Promise<{ info?: { architecture?: string } } | null> } }).gpu.requestAdapter();
      expect(adapter).withContext('Chromium gives a WebGPU adapter (SwiftShader without a GPU)').not.toBeNull();
      if (/swiftshader/i.test(adapter!.info?.architecture ?? '')) expect(await hasHardwareWebGPU()).toBeFalse();
    });
  } else {
    it('rejects webgl in Node with a reason, and leaves the active backend alone', async () => {
      await useBackend('cpu');
      await expectAsync(useBackend('webgl')).toBeRejectedWithError(BackendError, /webgl backend is not registered here/);
      expect(tf.getBackend()).toBe('cpu');
    });
  }

  if (!IN_BROWSER) {
    it('rejects webgpu where it is not registered (Node 20 has no navigator.gpu), saying how to get it', async () => {
      await expectAsync(useBackend('webgpu')).toBeRejectedWithError(BackendError, /tfjs-backend-webgpu/);
    });
  }

  it('rejects an unknown backend', async () => {
    await expectAsync(useBackend('tpu' as 'cpu')).toBeRejectedWithError(BackendError, /unknown backend 'tpu'/);
  });

  it('calls made while another chooses run after it, in order: the last one decides, and the engine is usable', async () => {
    // each backend of this environment in turn, the calls not awaited between them (a selector
    // clicked twice, an app and a test starting backends at once)
    const order = [...BACKENDS.slice(1), BACKENDS[0], ...BACKENDS];
    const calls = order.map((name) => useBackend(name));
    expect(await Promise.all(calls)).toEqual(order);
    expect(tf.getBackend()).toBe(order[order.length - 1]);
    const t = tf.tensor([1, 2, 3]);
    expect(tf.memory().numTensors).toBeGreaterThan(0);
    expect(Array.from(await t.data())).toEqual([1, 2, 3]);
    t.dispose();
    // a call with no name among them waits its turn too
    const [auto, cpu] = [useBackend(), useBackend('cpu')];
    expect(await cpu).toBe('cpu');
    expect(BACKENDS as readonly string[]).toContain(await auto);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('operators subscribed while a backend is being chosen wait for it', async () => {
    await useBackend('wasm');
    const choosing = useBackend('cpu'); // not awaited
    const mean = await lastValueFrom(
      from([
        [1, 2],
        [3, 4],
      ]).pipe(reduceMean()),
    );
    expect(tf.getBackend()).toBe('cpu');
    expect(Array.from(await mean.data())).toEqual([2, 3]);
    mean.dispose();
    expect(await choosing).toBe('cpu');
  });
});
