import { SOFTWARE_RENDERERS } from './webgl-probe';

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}

/**
 * Whether this environment gives a WebGPU adapter backed by a hardware GPU. A fallback adapter
 * or a software one (SwiftShader's Vulkan, lavapipe, llvmpipe) does not count. It only asks
 * for an adapter: the webgpu backend itself needs `@tensorflow/tfjs-backend-webgpu` imported.
 *
 * @returns A promise of true for a hardware adapter; false otherwise (no `navigator.gpu`, as in
 *   plain Node, or no adapter), never a rejection.
 *
 * @example
 * ```ts
 * import { hasHardwareWebGPU } from 'npstreams-rx';
 *
 * console.log(await hasHardwareWebGPU()); // false in Node (no navigator.gpu)
 * ```
 */
export async function hasHardwareWebGPU(): Promise<boolean> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } }).navigator?.gpu;
  if (!gpu) return false;
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter || adapter.isFallbackAdapter) return false;
    const { vendor = '', architecture = '', device = '', description = '' } = adapter.info ?? {};
    return !SOFTWARE_RENDERERS.test(`${vendor} ${architecture} ${device} ${description}`);
  } catch {
    return false;
  }
}
