import { SOFTWARE_RENDERERS } from './webgl-probe';

interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}

/**
 * Resolves true when this environment gives a WebGPU adapter backed by a hardware GPU. A
 * fallback adapter or a software one (SwiftShader's Vulkan, lavapipe, llvmpipe) does not count.
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
