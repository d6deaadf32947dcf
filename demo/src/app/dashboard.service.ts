import { Injectable, InjectionToken, type OnDestroy, type WritableSignal, inject, signal } from '@angular/core';
import * as tf from '@tensorflow/tfjs-core';
import { type ArrayInput, type BackendName, type ColormapName, type DrawnRange, type FileFormatError, encodeArray, load, pmap, setWasmPaths, useBackend } from 'npstreams-rx';
import { BehaviorSubject, EMPTY, type Observable, Subject, Subscription, filter, first, interval, map, switchMap } from 'rxjs';
import { type ConvergencePoint, addConvergencePoint } from 'npstreams-rx/angular';
import { type WorkerPool, workerPool } from 'npstreams-rx/worker';
import type { DetectorFrame } from './detector';
import { type PanelKind, type PipelineSinks, rendererOf, wirePipelines } from './pipelines';
import type { FromReduction, ToReduction } from './reduction-protocol';

export type { PanelKind } from './pipelines';

/** The detector worker's functions, typed for its pool. */
type DetectorFunctions = typeof import('./detector.worker').detectorFunctions;

/** Where the dashboard reduces and draws: on the page's thread, or in a Web Worker drawing into
 * the panels' canvases transferred to it (OffscreenCanvas). */
export type DashboardThread = 'main' | 'worker';

/** The dashboard's thread (default 'main'; main.ts picks 'worker' where the browser can). */
export const DASHBOARD_THREAD = new InjectionToken<DashboardThread>('DASHBOARD_THREAD', { providedIn: 'root', factory: () => 'main' });

/** Whether this browser can run the dashboard's reductions and drawing in a worker: Web Workers,
 * and canvases whose control can go to one. */
export function canReduceInWorker(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && typeof HTMLCanvasElement !== 'undefined' && 'transferControlToOffscreen' in HTMLCanvasElement.prototype;
}

/**
 * The dashboard's reductions: a source of frames (the synthetic detector at a chosen size and
 * rate, or files), shared by three pipelines (pipelines.ts): the latest raw frame, scanMean and
 * scanSem, each previewed every PREVIEW_MS, and frameStats of the scanSem for the convergence
 * plot. Pause stops the source and keeps the running state; reset starts over; a backend change
 * resets on the new backend.
 *
 * On the page's thread (`thread` 'main') the previews go to `images`, which the panels'
 * <nps-tensor-image> draw as they come (a preview is valid until its pipeline's next one). In a
 * worker ('worker', reduction.worker.ts) the panels hand their canvases over (`attachCanvas`),
 * the worker reduces and draws into them, and its figures come back as messages: the page's
 * thread keeps the controls, the status line and the chart.
 */
@Injectable({ providedIn: 'root' })
export class DashboardService implements OnDestroy {
  readonly thread = inject(DASHBOARD_THREAD);
  /** Each panel's range as drawn in the worker (for its colour bar), null before the first. */
  readonly ranges: Record<PanelKind, WritableSignal<DrawnRange | null>> = { frame: signal(null), mean: signal(null), sem: signal(null) };
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
  /** Frames asked for and dropped unmade: a pause drops those still waiting for the detector. */
  private dropped = 0;
  private files: File[] | null = null;
  /** A clone of the latest mean previewed (valid after the stream ends), for the download. */
  private latestMean: tf.Tensor | null = null;
  /** The reduction worker (worker mode), and what waits for its answers. */
  private reduction: Worker | null = null;
  private answers = new Map<'backend' | 'mean', (message: FromReduction) => void>();
  /** The source the worker reduces now (what it says of older ones is ignored). */
  private epoch = 0;
  /** Frames sent to the worker and not yet taken, in order. */
  private taken: (() => void)[] = [];

  /**
   * Starts the backend (the library's pick, or `name`) and the status line. When `name` cannot
   * start, the error says why and the dashboard goes on, reset, on the backend it had.
   */
  async init(name?: BackendName): Promise<void> {
    if (this.thread === 'worker') return this.initWorker(name);
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
    this.send({ type: 'run', running: true });
  }

  pause(): void {
    this.running.set(false);
    this.paused.next(true);
    this.send({ type: 'run', running: false });
  }

  /** Worker mode: a panel's canvas goes to the worker, which draws that panel's previews into it
   * at `pixels` pixels along its longer side at most (what the canvas shows). */
  attachCanvas(kind: PanelKind, canvas: OffscreenCanvas, pixels: number): void {
    this.send({ type: 'canvas', kind, canvas, pixels }, [canvas]);
  }

  /** Worker mode: the colormap the worker draws with (on the page's thread the panels have it). */
  setColormap(colormap: ColormapName): void {
    this.send({ type: 'colormap', colormap });
  }

  /** Drops the running state and starts over with the current source, size and rate (paused). */
  reset(): void {
    this.pipelines.unsubscribe();
    this.pipelines = new Subscription();
    this.keepMean(null);
    this.frames.set(0);
    this.finished.set(false);
    this.sem.set([]);
    this.frameIndex = 0;
    this.dropped = 0;
    this.pause();
    if (this.reduction) {
      // the worker reduces the files, or the detector's frames sent to it (moved, not copied)
      Object.values(this.ranges).forEach((r) => r.set(null));
      this.taken.splice(0).forEach((resolve) => resolve());
      this.send({ type: 'reset', files: this.files, epoch: ++this.epoch });
      if (!this.files) this.pipelines.add(this.syntheticFrames((frame) => this.toWorker(frame)).subscribe());
      return;
    }
    this.pipelines.add(wirePipelines(this.files ? this.fileFrames(this.files) : this.syntheticFrames(), this.sinks()));
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
    let bytes: Uint8Array | null = null;
    if (this.reduction) {
      const answer = this.answer('mean');
      this.send({ type: 'download' });
      const message = await answer;
      bytes = message.type === 'mean' ? message.bytes : null;
    } else if (this.latestMean) {
      bytes = await encodeArray(this.latestMean);
    }
    return bytes ? new Blob([bytes as BlobPart], { type: 'application/octet-stream' }) : null;
  }

  ngOnDestroy(): void {
    this.pipelines.unsubscribe();
    this.keepMean(null);
    clearInterval(this.statusTimer);
    void this.detector?.terminate();
    this.reduction?.terminate();
  }

  /** Worker mode: starts the worker (once) and its backend; as init. */
  private async initWorker(name?: BackendName): Promise<void> {
    if (!this.reduction) {
      this.reduction = new Worker(new URL('./reduction.worker', import.meta.url), { type: 'module' });
      this.reduction.addEventListener('message', (event: MessageEvent<FromReduction>) => this.receive(event.data));
      this.reduction.addEventListener('error', (event) => this.error.set(`the reduction worker failed: ${event.message}`));
    }
    this.pipelines.unsubscribe();
    const answer = this.answer('backend');
    this.send({ type: 'init', backend: name, wasmPaths: new URL('/tfjs-wasm/', location.href).href, hdf5Plugins: new URL('/h5wasm-plugins/', location.href).href });
    const message = await answer;
    if (message.type === 'backend') {
      this.backend.set(message.name);
      this.renderer.set(message.renderer);
      this.error.set('');
    } else if (message.type === 'failed') {
      this.error.set(message.message);
      if (this.backend() === 'starting…') return;
    }
    this.statusTimer ??= setInterval(() => this.queued.set(this.files ? 0 : this.frameIndex - this.dropped - this.frames()), 500);
    this.reset();
  }

  /** What the worker says. */
  private receive(message: FromReduction): void {
    if ('epoch' in message && message.epoch !== this.epoch) return;
    switch (message.type) {
      case 'backend':
      case 'failed':
        this.answers.get('backend')?.(message);
        break;
      case 'mean':
        this.answers.get('mean')?.(message);
        break;
      case 'frames':
        this.frames.set(message.count);
        this.taken.shift()?.();
        break;
      case 'status':
        this.tensors.set(message.tensors);
        this.bytes.set(message.bytes);
        this.previewFps.set(message.previews * 2);
        break;
      case 'stats':
        this.stats(message.frames, message.fps, message.meanSem);
        break;
      case 'range':
        this.ranges[message.kind].set({ lo: message.lo, hi: message.hi });
        break;
      case 'finished':
        this.end();
        break;
      case 'problem':
        this.problem(message.message);
        break;
      case 'error':
        this.fail(message.message);
        break;
    }
  }

  /** The worker's next answer of a kind. */
  private answer(kind: 'backend' | 'mean'): Promise<FromReduction> {
    return new Promise((resolve) =>
      this.answers.set(kind, (message) => {
        this.answers.delete(kind);
        resolve(message);
      }),
    );
  }

  /** Sends a detector frame (moved) to the worker; resolves when the worker has taken it (its
   * next `frames` count), so that frames wait here, counted as queued, not in its inbox. */
  private toWorker(frame: DetectorFrame): Promise<void> {
    return new Promise((resolve) => {
      this.taken.push(resolve);
      this.send({ type: 'frame', frame }, [frame.data.buffer]);
    });
  }

  private send(message: ToReduction, transfer: Transferable[] = []): void {
    this.reduction?.postMessage(message, transfer);
  }

  /** The detector's frames at the chosen rate, made in a Web Worker (two in flight at most, up to
   * `then`'s promise: in worker mode, until the reduction worker has taken the frame). */
  private syntheticFrames(then: (frame: DetectorFrame) => Promise<unknown> = async () => undefined): Observable<DetectorFrame> {
    this.detector ??= workerPool<DetectorFunctions>(() => new Worker(new URL('./detector.worker', import.meta.url), { type: 'module' }), { size: 1 });
    const detector = this.detector;
    const size = this.size;
    return this.paused.pipe(
      switchMap((paused) => (paused ? EMPTY : interval(1000 / this.rate))),
      map(() => this.frameIndex++),
      pmap(
        async (k: number): Promise<DetectorFrame | null> => {
          // asked before a pause and still waiting for the detector: dropped, not made
          if (this.paused.value) {
            this.dropped++;
            return null;
          }
          const frame = await detector.exec('frame', [size, k]);
          await then(frame);
          return frame;
        },
        { concurrency: 2 },
      ),
      filter((frame): frame is DetectorFrame => frame !== null),
    );
  }

  /** The files' frames, once started (pausing does not hold a file list back). */
  private fileFrames(files: File[]): Observable<ArrayInput> {
    // as in the worker (a detector's mask as NaN); HDF5 Files are refused here in words (they are
    // read chunk by chunk, which only a worker can)
    const frames = load(files, { concurrency: 2, skipBad: true, maskMax: true, onSkip: (e: FileFormatError) => this.problem(e.message) });
    return this.paused.pipe(
      first((paused) => !paused),
      switchMap(() => frames),
    );
  }

  /** Where the pipelines' figures and previews go on the page's thread. */
  private sinks(): PipelineSinks {
    return {
      frame: () => this.frames.update((n) => n + 1),
      image: (kind, t) => {
        if (kind === 'mean') {
          this.previews++;
          this.keepMean(t.clone());
        }
        this.images[kind].next(t);
      },
      stats: (n, fps, meanSem) => this.stats(n, fps, meanSem),
      finished: () => this.end(),
      error: (err) => this.fail(err instanceof Error ? err.message : String(err)),
    };
  }

  // what the pipelines report, from this thread (sinks) or from the worker (receive)

  /** frameStats of the running standard error: the rate, and a point of the convergence plot. */
  private stats(frames: number, fps: number, meanSem: number): void {
    this.reductionFps.set(fps);
    if (Number.isFinite(meanSem)) this.sem.update((points) => addConvergencePoint(points, { frames, value: meanSem }));
  }

  /** The source ended (a file list read to the end). */
  private end(): void {
    this.finished.set(true);
    this.pause();
  }

  /** A file skipped, named. */
  private problem(message: string): void {
    this.problems.update((p) => [...p, message]);
  }

  private fail(message: string): void {
    this.error.set(message);
    this.pause();
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
    this.queued.set(this.files ? 0 : this.frameIndex - this.dropped - this.frames());
  }
}
