import * as tf from '@tensorflow/tfjs-core';
import { type MonoTypeOperatorFunction, Observable } from 'rxjs';
import { colorize, pool2d } from '../kernels/accumulators';
import { OptionError } from '../core/errors';
import { type ImageOptions, checkImageInput, colorRange, packedColormap, toImageAndRange, toPackedImage } from './to-image';

/** A canvas drawImage can read from and draw into. */
export type Canvas = HTMLCanvasElement | OffscreenCanvas;

/** How drawImage draws: ImageOptions' colormap and range, and how finely. */
export interface DrawOptions extends ImageOptions {
  /**
   * How many pixels are drawn:
   * - `'display'` (default): no more than the canvas shows. Where the canvas is laid out at a
   *   size other than its own (its CSS size x devicePixelRatio, as a canvas styled `width: 100%`),
   *   an image larger than that is first reduced on the device by the smallest integer factor f
   *   that fits, each f x f block to one pixel (see `pool`); a canvas sized by its width and
   *   height alone, or an OffscreenCanvas, gets every pixel;
   * - `'full'`: every pixel;
   * - a number: at most that many pixels along each side (reduced as for 'display').
   *
   * A reduced image covers floor(h / f) x floor(w / f) blocks: the last h mod f rows and w mod f
   * columns (less than one drawn pixel) are left out. The range ('auto', percentiles) is that of
   * the reduced values.
   */
  resolution?: 'display' | 'full' | number;
  /** How an f x f block becomes one pixel: `'mean'` (default) or `'max'` (a single bright pixel
   * stays visible). */
  pool?: 'mean' | 'max';
}

/**
 * Draws a 2-D tensor into a canvas through a colormap (see toImage), resizing the canvas to the
 * tensor's [h, w], or to the reduced image's where the canvas shows fewer pixels (a 2048 x 2048
 * frame on a canvas styled 512 pixels wide is averaged in 4 x 4 blocks on the device first:
 * `resolution`, DrawOptions):
 * - webgl: the image made with tfjs ops on the GPU, then a small program of the library's draws
 *   its texture into tfjs's own WebGL canvas, copied to yours with `drawImage` (no read-back to JS);
 * - webgpu: the image made on the GPU and read back asynchronously (tfjs's webgpu Draw leaves
 *   nothing a 2-D canvas can copy from in headless Chromium), then `putImageData`;
 * - cpu and wasm (the data is in this thread's memory): the fused `colorize` kernel, two passes
 *   of the library's wasm SIMD module (the finite range, then the colours; over the wasm heap
 *   where the tensor lies, over a copy on cpu; percentiles and int32 in JS), then `putImageData`.
 *
 * NaN is transparent black. Where the image is read back asynchronously, the latest call wins:
 * a read that comes back after a later call's image has been drawn is not drawn over it (a
 * preview never steps back to an older value). A canvas that already has another kind of
 * context, a tensor that is not [h, w] or [h, w, 1], or invalid options reject the promise.
 *
 * @param canvas An HTMLCanvasElement or OffscreenCanvas with a 2-D context (or none yet).
 * @param x The tensor to draw. It is read when drawImage is called (a scan's emission may be
 *   given in `next`) and stays yours: never disposed or modified.
 * @param options `colormap` (default viridis) and `range` (`[lo, hi]`, `'auto'` or
 *   `{ percentiles: [p, q] }`), as toImage's; `resolution` (`'display'`, the default: no more
 *   pixels than a styled canvas shows; `'full'`; or at most N along each side) and `pool`
 *   (`'mean'` or `'max'`: how blocks of a reduced image become pixels), see DrawOptions.
 * @returns A promise resolving, once the canvas is drawn, to the range of values the
 *   colormap's ends stand for (`{ lo, hi }`, plain numbers: for a colour bar).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { drawImage, useBackend } from 'npstreams-rx';
 *
 * await useBackend();
 * const canvas = document.createElement('canvas');
 * document.body.append(canvas);
 * const x = tf.tensor2d([[0, 1], [2, 3]]);
 * const { lo, hi } = await drawImage(canvas, x, { colormap: 'magma' });
 * console.log(lo, hi); // 0 3
 * x.dispose();
 * ```
 */
export async function drawImage(canvas: Canvas, x: tf.Tensor, options: DrawOptions = {}): Promise<DrawnRange> {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('drawImage: the canvas has no 2d context (it has another kind already): give drawImage a canvas of its own');
  checkImageInput('drawImage', x, options);
  checkDrawOptions(options);
  const [h, w] = x.shape as [number, number];
  const f = reduction(canvas, h, w, options.resolution ?? 'display');
  if (f === 1) return drawWhole(canvas, ctx, x, options);
  const small = tf.tidy(() => pool2d(x.rank === 3 ? tf.reshape(x, x.shape.slice(0, 2)) : x, f, options.pool ?? 'mean'));
  try {
    return await drawWhole(canvas, ctx, small, options);
  } finally {
    small.dispose();
  }
}

function checkDrawOptions(options: DrawOptions): void {
  const { resolution = 'display', pool = 'mean' } = options;
  if (resolution !== 'display' && resolution !== 'full' && !(Number.isInteger(resolution) && resolution >= 1)) {
    throw new OptionError(`drawImage: resolution must be 'display', 'full' or a positive integer (pixels along each side); received ${String(resolution)}`);
  }
  if (pool !== 'mean' && pool !== 'max') throw new OptionError(`drawImage: pool must be 'mean' or 'max'; received ${String(pool)}`);
}

/** The factor an [h, w] image is reduced by to fit the resolution asked for (1: none). */
function reduction(canvas: Canvas, h: number, w: number, resolution: 'display' | 'full' | number): number {
  if (resolution === 'full') return 1;
  let maxW = resolution === 'display' ? Infinity : resolution;
  let maxH = maxW;
  if (resolution === 'display' && typeof HTMLCanvasElement !== 'undefined' && canvas instanceof HTMLCanvasElement) {
    // laid out at another size than its own: styled; the same size: sized by width and height
    const dpr = globalThis.devicePixelRatio || 1;
    const [cw, ch] = [Math.ceil(canvas.clientWidth * dpr), Math.ceil(canvas.clientHeight * dpr)];
    if (cw > 0 && ch > 0 && (cw !== canvas.width || ch !== canvas.height)) [maxW, maxH] = [cw, ch];
  }
  const f = Math.max(1, Math.ceil(w / maxW), Math.ceil(h / maxH));
  return Math.min(f, h, w);
}

/** drawImage of the tensor as it is, every pixel. */
async function drawWhole(canvas: Canvas, ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, x: tf.Tensor, options: ImageOptions): Promise<DrawnRange> {
  const [h, w] = x.shape;
  const call = (calls.get(canvas) ?? 0) + 1;
  calls.set(canvas, call);
  /** Sizes the canvas and draws, unless a later call has drawn already; false where `draw`
   * could not (its own false). */
  const paint = (draw: () => boolean | void): boolean => {
    if ((painted.get(canvas) ?? 0) > call) return true;
    painted.set(canvas, call);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    return draw() !== false;
  };
  // cpu, wasm: the image made where the data lies (one pass for the range, one for the colors)
  const fused = colorize(x, packedColormap(options.colormap ?? 'viridis'), colorRange(options));
  if (fused) {
    paint(() => ctx.putImageData(new ImageData(new Uint8ClampedArray(fused.pixels.buffer as ArrayBuffer, 0, 4 * w * h), w, h), 0, 0));
    return { lo: fused.lo, hi: fused.hi };
  }
  const backend = tf.getBackend();
  const readBack = backend !== 'webgl' && backend !== 'cpu';
  // read back (wasm, webgpu): one packed int32 per pixel, whose bytes are the ImageData's
  const { image, lo, hi } = readBack ? toPackedImage(x, options) : toImageAndRange(x, options);
  const range = Promise.all([lo.data(), hi.data()]).then(([l, u]) => ({ lo: l[0], hi: u[0] }));
  try {
    if (backend === 'webgl' && paint(() => drawOnWebGL(ctx, image))) return await range;
    if (!readBack) {
      const scratch = scratchCanvas(backend, w, h);
      tf.browser.draw(image, scratch as HTMLCanvasElement);
      paint(() => {
        ctx.clearRect(0, 0, w, h);
        ctx.drawImage(scratch, 0, 0);
      });
      return await range;
    }
    const packed = (backend === 'wasm' ? image.dataSync() : await image.data()) as Int32Array;
    paint(() => ctx.putImageData(new ImageData(new Uint8ClampedArray(packed.buffer as ArrayBuffer, packed.byteOffset, 4 * w * h), w, h), 0, 0));
    return await range;
  } finally {
    image.dispose();
    // the range's reads were started above: tfjs keeps a tensor whose read is pending
    void range.finally(() => tf.dispose([lo, hi]));
  }
}

/** The range of values drawn (what the colormap's ends stand for). */
export interface DrawnRange {
  /** The value drawn in the colormap's first color (and below it). */
  lo: number;
  /** The value drawn in the colormap's last color (and above it). */
  hi: number;
}

/**
 * An operator drawing every tensor into `canvas` (drawImage), passing it on unchanged: the end
 * of a live preview, after `previewEvery`. A failure to draw errors the stream.
 *
 * @param canvas An HTMLCanvasElement or OffscreenCanvas with a 2-D context (or none yet).
 * @param options `colormap`, `range`, `resolution` and `pool`, as drawImage's.
 * @returns An operator emitting the tensors it receives, as they are: their ownership does not
 *   change (a scan's emission stays the scan's). It reads each when it arrives and never
 *   disposes or keeps it.
 *
 * @example
 * ```ts
 * import { interval, map, take } from 'rxjs';
 * import { drawTo, previewEvery, scanMean } from 'npstreams-rx';
 *
 * const canvas = document.querySelector('canvas')!;
 * // 100 noisy 64 x 64 frames, one every 10 ms
 * const frames$ = interval(10).pipe(
 *   take(100),
 *   map(() => ({ data: Float32Array.from({ length: 64 * 64 }, Math.random), shape: [64, 64] })),
 * );
 * frames$.pipe(scanMean(), previewEvery(), drawTo(canvas, { colormap: 'inferno', range: [0, 1] })).subscribe();
 * ```
 */
export function drawTo<T extends tf.Tensor>(canvas: Canvas, options: DrawOptions = {}): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) =>
      source.subscribe({
        next: (x) => {
          drawImage(canvas, x, options).catch((err: unknown) => subscriber.error(err));
          subscriber.next(x);
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}

/** Per canvas: the number of drawImage calls made, and of the latest one drawn. */
const calls = new WeakMap<Canvas, number>();
const painted = new WeakMap<Canvas, number>();

/** A canvas per backend for tf.browser.draw (a canvas keeps the first kind of context it is given). */
const scratches = new Map<string, Canvas>();
function scratchCanvas(backend: string, w: number, h: number): Canvas {
  let c = scratches.get(backend);
  if (!c) {
    c = typeof document !== 'undefined' ? document.createElement('canvas') : new OffscreenCanvas(w, h);
    scratches.set(backend, c);
  }
  if (c.width !== w) c.width = w;
  if (c.height !== h) c.height = h;
  return c;
}

interface WebGLBackendLike {
  gpgpu?: { gl?: WebGL2RenderingContext };
}

interface Blitter {
  program: WebGLProgram;
  vao: WebGLVertexArrayObject;
  size: WebGLUniformLocation;
}
const blitters = new WeakMap<WebGL2RenderingContext, Blitter>();

const VERTEX = `#version 300 es
in vec2 corner;
void main() { gl_Position = vec4(corner, 0.0, 1.0); }`;
// one texel per pixel (dataToGPU with the image's [h, w]: its 4 channels in RGBA); row 0 on top
const FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D image;
uniform ivec2 size;
out vec4 color;
void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  color = texelFetch(image, ivec2(p.x, size.y - 1 - p.y), 0) / 255.0;
}`;

function blitter(gl: WebGL2RenderingContext): Blitter | null {
  let b = blitters.get(gl);
  if (b) return b;
  const shader = (type: number, source: string) => {
    const s = gl.createShader(type)!;
    gl.shaderSource(s, source);
    gl.compileShader(s);
    return gl.getShaderParameter(s, gl.COMPILE_STATUS) ? s : null;
  };
  const vs = shader(gl.VERTEX_SHADER, VERTEX);
  const fs = shader(gl.FRAGMENT_SHADER, FRAGMENT);
  if (!vs || !fs) return null;
  const program = gl.createProgram()!;
  gl.attachShader(program, vs);
  gl.attachShader(program, fs);
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) return null;
  const vao = gl.createVertexArray()!;
  const previousVao = gl.getParameter(gl.VERTEX_ARRAY_BINDING);
  const previousBuffer = gl.getParameter(gl.ARRAY_BUFFER_BINDING);
  gl.bindVertexArray(vao);
  const buffer = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
  const corner = gl.getAttribLocation(program, 'corner');
  gl.enableVertexAttribArray(corner);
  gl.vertexAttribPointer(corner, 2, gl.FLOAT, false, 0, 0);
  gl.bindVertexArray(previousVao);
  gl.bindBuffer(gl.ARRAY_BUFFER, previousBuffer);
  b = { program, vao, size: gl.getUniformLocation(program, 'size')! };
  blitters.set(gl, b);
  return b;
}

/**
 * The webgl path: the image's values as a texture of tfjs's (dataToGPU, one texel per pixel),
 * drawn by the library's program into tfjs's own canvas (its default framebuffer, which tfjs
 * never uses), then copied into `ctx` in the same task. tfjs sets its program, vertex array,
 * framebuffer and viewport before each of its own draws; the scissor test and the bindings this
 * touches are put back all the same. False where it cannot (WebGL 1): the caller reads back.
 */
function drawOnWebGL(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, rgba: tf.Tensor): boolean {
  const gl = (tf.backend() as unknown as WebGLBackendLike).gpgpu?.gl;
  if (!gl || typeof WebGL2RenderingContext === 'undefined' || !(gl instanceof WebGL2RenderingContext)) return false;
  const b = blitter(gl);
  if (!b) return false;
  const [h, w] = rgba.shape;
  const values = tf.cast(rgba, 'float32');
  const gpu = values.dataToGPU({ customTexShape: [h, w] });
  values.dispose();
  const saved = {
    program: gl.getParameter(gl.CURRENT_PROGRAM),
    vao: gl.getParameter(gl.VERTEX_ARRAY_BINDING),
    framebuffer: gl.getParameter(gl.FRAMEBUFFER_BINDING),
    viewport: gl.getParameter(gl.VIEWPORT),
    scissor: gl.isEnabled(gl.SCISSOR_TEST),
    activeTexture: gl.getParameter(gl.ACTIVE_TEXTURE),
  };
  gl.activeTexture(gl.TEXTURE0);
  const texture = gl.getParameter(gl.TEXTURE_BINDING_2D);
  try {
    const canvas = gl.canvas;
    if (canvas.width < w) canvas.width = w;
    if (canvas.height < h) canvas.height = h;
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.viewport(0, 0, w, h);
    gl.disable(gl.SCISSOR_TEST);
    gl.useProgram(b.program);
    gl.bindVertexArray(b.vao);
    gl.bindTexture(gl.TEXTURE_2D, gpu.texture!);
    gl.uniform2i(b.size, w, h);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    // the drawing buffer is readable until this task ends
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(canvas, 0, canvas.height - h, w, h, 0, 0, w, h);
  } finally {
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.activeTexture(saved.activeTexture);
    if (saved.scissor) gl.enable(gl.SCISSOR_TEST);
    gl.viewport(saved.viewport[0], saved.viewport[1], saved.viewport[2], saved.viewport[3]);
    gl.bindFramebuffer(gl.FRAMEBUFFER, saved.framebuffer);
    gl.bindVertexArray(saved.vao);
    gl.useProgram(saved.program);
    gpu.tensorRef.dispose();
  }
  return true;
}
