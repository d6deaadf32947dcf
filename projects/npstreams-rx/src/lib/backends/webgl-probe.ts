/** Renderer names of software rasterisers, which do not count as a GPU. */
export const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|microsoft basic render|mesa offscreen|lavapipe/i;

/**
 * Whether this environment can give a WebGL context backed by a hardware GPU. A context that
 * needs a software rasteriser (SwiftShader, llvmpipe...) does not count: there the wasm
 * backend is an order of magnitude faster. The probe makes a 1 x 1 canvas and releases its
 * context at once.
 *
 * @returns True for a hardware WebGL context; false otherwise (in Node: no canvas).
 *
 * @example
 * ```ts
 * import { hasHardwareWebGL, useBackend } from 'npstreams-rx';
 *
 * await useBackend(hasHardwareWebGL() ? 'webgl' : 'wasm');
 * ```
 */
export function hasHardwareWebGL(): boolean {
  const canvas = makeCanvas();
  if (!canvas) return false;
  const attrs = { failIfMajorPerformanceCaveat: true } as WebGLContextAttributes;
  const gl = (canvas.getContext('webgl2', attrs) ?? canvas.getContext('webgl', attrs)) as WebGLRenderingContext | null;
  if (!gl) return false;
  try {
    return !SOFTWARE_RENDERERS.test(webglRenderer(gl));
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

/** The renderer string of a WebGL context (unmasked where the browser allows it). */
export function webglRenderer(gl: WebGLRenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
}

function makeCanvas(): HTMLCanvasElement | OffscreenCanvas | null {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(1, 1);
  if (typeof document !== 'undefined') return document.createElement('canvas');
  return null;
}
