import { Injectable, type OnDestroy, signal } from '@angular/core';
import * as tf from '@tensorflow/tfjs-core';
import { type ArrayInput, type BackendName, type FileFormatError, encodeArray, frameStats, load, pmap, previewEvery, scanMean, scanSem, setWasmPaths, useBackend } from 'npstreams-rx';
import { BehaviorSubject, EMPTY, type Observable, Subject, Subscription, first, interval, map, share, switchMap, tap } from 'rxjs';
import { type ConvergencePoint, addConvergencePoint } from 'npstreams-rx/angular';
import { type WorkerPool, workerPool } from 'npstreams-rx/worker';
import type { DetectorFrame } from './detector';

/** The detector worker's functions, typed for its pool. */
type DetectorFunctions = typeof import('./detector.worker').detectorFunctions;

/** Previews every 40 ms (25 per second): smooth, and the page's thread keeps time for the frames. */
const PREVIEW_MS = 40;

/** The three images the dashboard shows. */
export type PanelKind = 'frame' | 'mean' | 'sem';

/**
 * The dashboard's reductions: a source of frames (the synthetic detector at a chosen size and
 * rate, or files), shared by three pipelines: the latest raw frame, scanMean and scanSem, each
 * previewed every PREVIEW_MS (previewEvery: 25 a second) into `images`, which the panels'
 * <nps-tensor-image> draw as they come (a preview is valid until its pipeline's next one), and
 * frameStats of the scanSem for the convergence plot. Pause stops the source and keeps the
 * running state; reset starts over; a backend change resets on the new backend.
 */
@Injectable({ providedIn: 'root' })
export class DashboardService implements OnDestroy {
  readonly backend = signal<string>('starting…');
  readonly renderer = signal<string>('');
  readonly running = signal(false);
  readonly frames = signal(0);
  /** Detector frames asked for and not yet reduced (made in the worker, or waiting for it). */
  readonly queued = signal(0);
  readonly reductionFps = signal(0);
  readonly previewFps = signal(0);
  readonly tensors = signal(0);
  readonly bytes = signal(0);
  /** The convergence plot's points: the mean standard error after so many frames. */
  readonly sem = signal<ConvergencePoint[]>([]);
  /** Each panel's previews: tensors valid until the next one (drawn at once by the panels). */
  readonly images: Record<PanelKind, Subject<tf.Tensor>> = { frame: new Subject(), mean: new Subject(), sem: new Subject() };
  readonly source = signal('synthetic detector');
  /** The source has ended (a file list read to the end) and the last values are drawn. */
  readonly finished = signal(false);
  readonly problems = signal<string[]>([]);
  readonly error = signal('');

  size = 512;
  rate = 30;

  private readonly paused = new BehaviorSubject(true);
  private pipelines = new Subscription();
  private statusTimer: ReturnType<typeof setInterval> | undefined;
  private previews = 0;
  private switching = false;
  private detector: WorkerPool<DetectorFunctions> | null = null;
  private frameIndex = 0;
  private files: File[] | null = null;
  /** A clone of the latest mean previewed (valid after the stream ends), for the download. */
  private latestMean: tf.Tensor | null = null;
  /** The latest raw frame previewed, as a tensor (kept until the next one). */
  private latestFrame: tf.Tensor | null = null;

  /**
   * Starts the backend (the library's pick, or `name`) and the status line. When `name` cannot
   * start, the error says why and the dashboard goes on, reset, on the backend it had.
   */
  async init(name?: BackendName): Promise<void> {
    try {
      // the wasm binaries are served at /tfjs-wasm/ (angular.json copies them there)
      await setWasmPaths('/tfjs-wasm/');
      // tf.memory() throws while a backend initializes: the status line waits
      this.switching = true;
      this.backend.set(await useBackend(name));
      this.renderer.set(rendererOf(this.backend()));
      this.error.set('');
    } catch (err) {
      this.error.set((err as Error).message);
      if (this.backend() === 'starting…') return;
    } finally {
      this.switching = false;
    }
    this.statusTimer ??= setInterval(() => this.status(), 500);
    this.reset();
  }

  start(): void {
    this.running.set(true);
    this.paused.next(false);
  }

  pause(): void {
    this.running.set(false);
    this.paused.next(true);
  }

  /** Drops the running state and starts over with the current source, size and rate (paused). */
  reset(): void {
    this.pipelines.unsubscribe();
    this.pipelines = new Subscription();
    this.keepMean(null);
    this.keepFrame(null);
    this.frames.set(0);
    this.finished.set(false);
    this.sem.set([]);
    this.frameIndex = 0;
    this.pause();
    this.wire(this.files ? this.fileFrames(this.files) : this.syntheticFrames());
  }

  /** Changes the backend: the running state goes (tensors belong to their backend). */
  async setBackend(name: BackendName): Promise<void> {
    this.pipelines.unsubscribe();
    this.keepMean(null);
    await this.init(name);
  }

  /** Averages files (picked or dropped) instead of the detector, and starts. */
  averageFiles(files: File[]): void {
    this.files = files;
    this.problems.set([]);
    this.source.set(`${files.length} files`);
    this.reset();
    this.start();
  }

  /** Back to the synthetic detector. */
  useDetector(): void {
    this.files = null;
    this.source.set('synthetic detector');
    this.reset();
  }

  /** The running mean last shown, as a .npy file NumPy reads; null before the first frame. */
  async downloadMean(): Promise<Blob | null> {
    if (!this.latestMean) return null;
    const bytes = await encodeArray(this.latestMean);
    return new Blob([bytes as BlobPart], { type: 'application/octet-stream' });
  }

  ngOnDestroy(): void {
    this.pipelines.unsubscribe();
    this.keepMean(null);
    this.keepFrame(null);
    clearInterval(this.statusTimer);
    void this.detector?.terminate();
  }

  /** The detector's frames at the chosen rate, made in a Web Worker (two in flight at most). */
  private syntheticFrames(): Observable<DetectorFrame> {
    this.detector ??= workerPool<DetectorFunctions>(() => new Worker(new URL('./detector.worker', import.meta.url), { type: 'module' }), { size: 1 });
    const detector = this.detector;
    const size = this.size;
    return this.paused.pipe(
      switchMap((paused) => (paused ? EMPTY : interval(1000 / this.rate))),
      map(() => this.frameIndex++),
      pmap((k: number): Promise<DetectorFrame> => detector.exec('frame', [size, k]), { concurrency: 2 }),
    );
  }

  /** The files' frames, once started (pausing does not hold a file list back). */
  private fileFrames(files: File[]): Observable<ArrayInput> {
    const frames = load(files, { concurrency: 2, skipBad: true, onSkip: (e: FileFormatError) => this.problems.update((p) => [...p, e.message]) });
    return this.paused.pipe(
      first((paused) => !paused),
      switchMap(() => frames),
    );
  }

  /** The three pipelines over one shared source. */
  private wire(frames$: Observable<ArrayInput>): void {
    const frames = frames$.pipe(
      tap(() => this.frames.update((n) => n + 1)),
      share(),
    );
    const fail = (err: unknown) => {
      this.error.set(err instanceof Error ? err.message : String(err));
      this.pause();
    };
    // the latest raw frame, drawn at most every PREVIEW_MS
    this.pipelines.add(
      frames.pipe(previewEvery(PREVIEW_MS)).subscribe({
        next: (f) => {
          // held until the next one, as a scan's emission is
          this.keepFrame(tf.tidy(() => toTensor2d(f)));
          this.images.frame.next(this.latestFrame!);
        },
        error: fail,
      }),
    );
    this.pipelines.add(
      frames.pipe(scanMean(), previewEvery(PREVIEW_MS)).subscribe({
        next: (mean) => {
          this.previews++;
          this.keepMean(mean.clone());
          this.images.mean.next(mean);
        },
        complete: () => {
          this.finished.set(true);
          this.pause();
        },
        error: fail,
      }),
    );
    const sem = frames.pipe(scanSem(), share());
    this.pipelines.add(sem.pipe(previewEvery(PREVIEW_MS)).subscribe({ next: (s) => this.images.sem.next(s), error: fail }));
    this.pipelines.add(
      sem.pipe(frameStats()).subscribe({
        next: ({ frames: n, fps, mean }) => {
          this.reductionFps.set(fps);
          if (Number.isFinite(mean)) this.sem.update((points) => addConvergencePoint(points, { frames: n, value: mean }));
        },
        error: fail,
      }),
    );
  }

  private keepFrame(frame: tf.Tensor | null): void {
    this.latestFrame?.dispose();
    this.latestFrame = frame;
  }

  private keepMean(mean: tf.Tensor | null): void {
    this.latestMean?.dispose();
    this.latestMean = mean;
  }

  private status(): void {
    if (this.switching) return;
    const memory = tf.memory();
    this.tensors.set(memory.numTensors);
    this.bytes.set(memory.numBytes);
    this.previewFps.set(this.previews * 2);
    this.previews = 0;
    this.queued.set(this.files ? 0 : this.frameIndex - this.frames());
  }
}

/** A frame as a [h, w] float32 tensor (an RGB image's first channel). */
function toTensor2d(f: ArrayInput): tf.Tensor2D {
  const { data, shape } = f as unknown as { data: ArrayLike<number>; shape: number[] };
  const t = tf.tensor(data as Float32Array, shape, 'float32');
  return (shape.length === 3 ? tf.squeeze(tf.slice(t, [0, 0, 0], [shape[0], shape[1], 1]), [2]) : t) as tf.Tensor2D;
}

/** The GPU renderer behind the backend, in words (WebGL's unmasked renderer, WebGPU's adapter). */
function rendererOf(backend: string): string {
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
