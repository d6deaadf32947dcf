import * as tf from '@tensorflow/tfjs-core';
import { type ArrayInput, frameStats, previewEvery, scanMean, scanSem } from 'npstreams-rx';
import { type Observable, Subscription, share, tap } from 'rxjs';

/** Previews every 40 ms (25 per second): smooth, and the thread keeps time for the frames. */
export const PREVIEW_MS = 40;

/** The three images the dashboard shows. */
export type PanelKind = 'frame' | 'mean' | 'sem';

/** Where the dashboard's pipelines send what they make. Each image is valid until the same
 * panel's next one (the receiver reads it at once, or clones it). */
export interface PipelineSinks {
  /** A frame arrived (before it is reduced). */
  frame(): void;
  /** A panel's preview. */
  image(kind: PanelKind, t: tf.Tensor): void;
  /** frameStats of the running standard error: frames reduced, their rate, the mean SEM. */
  stats(frames: number, fps: number, meanSem: number): void;
  /** The source ended (a file list read to the end). */
  finished(): void;
  error(err: unknown): void;
}

/**
 * The dashboard's reductions over one shared source of frames, the same on the page's thread and
 * in its worker (reduction.worker.ts): the latest raw frame, scanMean and scanSem, each previewed
 * every PREVIEW_MS, and frameStats of the scanSem for the convergence plot. Unsubscribing the
 * result stops them and frees their tensors.
 */
export function wirePipelines(frames$: Observable<ArrayInput>, sinks: PipelineSinks): Subscription {
  const pipelines = new Subscription();
  const frames = frames$.pipe(
    tap(() => sinks.frame()),
    share(),
  );
  const error = (err: unknown) => sinks.error(err);
  // the latest raw frame as a tensor, held until the next one (as a scan's emission is)
  let latest: tf.Tensor | null = null;
  pipelines.add(() => latest?.dispose());
  pipelines.add(
    frames.pipe(previewEvery(PREVIEW_MS)).subscribe({
      next: (f) => {
        latest?.dispose();
        latest = tf.tidy(() => toTensor2d(f));
        sinks.image('frame', latest);
      },
      error,
    }),
  );
  pipelines.add(
    frames.pipe(scanMean(), previewEvery(PREVIEW_MS)).subscribe({
      next: (mean) => sinks.image('mean', mean),
      complete: () => sinks.finished(),
      error,
    }),
  );
  const sem = frames.pipe(scanSem(), share());
  pipelines.add(sem.pipe(previewEvery(PREVIEW_MS)).subscribe({ next: (s) => sinks.image('sem', s), error }));
  pipelines.add(sem.pipe(frameStats()).subscribe({ next: ({ frames: n, fps, mean }) => sinks.stats(n, fps, mean), error }));
  return pipelines;
}

/** A frame as a [h, w] float32 tensor (an RGB image's first channel). */
function toTensor2d(f: ArrayInput): tf.Tensor2D {
  const { data, shape } = f as unknown as { data: ArrayLike<number>; shape: number[] };
  const t = tf.tensor(data as Float32Array, shape, 'float32');
  return (shape.length === 3 ? tf.squeeze(tf.slice(t, [0, 0, 0], [shape[0], shape[1], 1]), [2]) : t) as tf.Tensor2D;
}

/** The GPU renderer behind the backend, in words (WebGL's unmasked renderer, WebGPU's adapter). */
export function rendererOf(backend: string): string {
  const b = tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext }; adapterInfo?: { vendor?: string; architecture?: string; description?: string } };
  if (backend === 'webgl' && b.gpgpu?.gl) {
    const gl = b.gpgpu.gl;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  }
  if (backend === 'webgpu' && b.adapterInfo) {
    const { vendor, architecture, description } = b.adapterInfo;
    return [vendor, architecture, description].filter(Boolean).join(' ') || 'WebGPU adapter';
  }
  return backend === 'wasm' ? 'CPU (WebAssembly SIMD)' : 'CPU (JavaScript)';
}
