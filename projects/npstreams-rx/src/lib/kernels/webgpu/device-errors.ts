import * as tf from '@tensorflow/tfjs-core';

interface DeviceLike {
  addEventListener(type: 'uncapturederror', listener: (e: { error: { message: string } }) => void): void;
}

const watched = new WeakMap<object, string[]>();

/**
 * Throws if the active webgpu device reported an error (a shader the WGSL compiler rejected, a
 * validation failure) since the last check: WebGPU reports those asynchronously and the op
 * returns whatever its output buffer held, so without this a rejected shader would come back
 * as numbers. Every fused webgpu kernel calls it first; the first call starts watching.
 */
export function throwDeviceErrors(): void {
  const device = (tf.backend() as unknown as { device?: DeviceLike }).device;
  if (!device) return;
  let errors = watched.get(device);
  if (!errors) {
    const list: string[] = [];
    device.addEventListener('uncapturederror', (e) => list.push(e.error.message));
    watched.set(device, list);
    errors = list;
  }
  if (errors.length) {
    const messages = errors.splice(0).join('; ');
    throw new Error(`the webgpu device reported errors for earlier work, so its results cannot be trusted: ${messages}`);
  }
}
