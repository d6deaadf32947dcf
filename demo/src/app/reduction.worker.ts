// The dashboard's reductions and their drawing in a Web Worker, so that the page's thread only
// composites and runs the controls (DashboardService's worker mode): the pipelines of
// pipelines.ts on this thread's own tfjs backend, drawn with drawImage into the panels' canvases,
// which the page transferred here (OffscreenCanvas). Frames come from the page (the detector's,
// moved, not copied) or from files the page hands over, read here.
import * as tf from '@tensorflow/tfjs-core';
// the optional webgpu backend, for the backend selector (registered where navigator.gpu exists)
import '@tensorflow/tfjs-backend-webgpu';
import { type ArrayInput, type ColormapName, type FileFormatError, drawImage, encodeArray, load, setHdf5Plugins, setWasmPaths, useBackend } from 'npstreams-rx';
import { BehaviorSubject, type Observable, Subject, Subscription, first, switchMap } from 'rxjs';
import type { DetectorFrame } from './detector';
import { type PanelKind, rendererOf, wirePipelines } from './pipelines';
import type { FromReduction, ToReduction } from './reduction-protocol';

/** This worker's scope, typed here: the library's sources are typed against the DOM (its own
 * worker code checks what exists), and a program cannot have both the DOM's and a worker's lib. */
const scope = self as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToReduction>) => void): void;
};
const post = (message: FromReduction, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const canvases = new Map<PanelKind, { canvas: OffscreenCanvas; pixels: number }>();
let colormap: ColormapName = 'viridis';
let pipelines = new Subscription();
let detector = new Subject<DetectorFrame>();
const running = new BehaviorSubject(false);
let frames = 0;
let epoch = 0;
let previews = 0;
/** A clone of each panel's latest preview (valid after the stream ends): drawn again when the
 * colormap changes, the mean downloaded. */
const latest = new Map<PanelKind, tf.Tensor>();
let backendReady = false;

function keep(kind: PanelKind, t: tf.Tensor): void {
  latest.get(kind)?.dispose();
  latest.set(kind, t.clone());
}

function forget(): void {
  latest.forEach((t) => t.dispose());
  latest.clear();
}

function draw(kind: PanelKind, t: tf.Tensor): void {
  const target = canvases.get(kind);
  if (!target) return;
  // drawImage reads the tensor before it returns: valid until the pipeline's next preview
  drawImage(target.canvas, t, { colormap, resolution: target.pixels }).then(
    ({ lo, hi }) => post({ type: 'range', kind, lo, hi, epoch }),
    (err: unknown) => post({ type: 'error', message: messageOf(err) }),
  );
}

function reset(files: File[] | null, next: number): void {
  epoch = next;
  pipelines.unsubscribe();
  forget();
  frames = 0;
  running.next(false);
  detector.complete();
  detector = new Subject<DetectorFrame>();
  if (!backendReady) return;
  const source: Observable<ArrayInput> = files
    ? running.pipe(
        first((r) => r),
        // HDF5 Files are read here chunk by chunk; a detector's mask (the unsigned maximum) is NaN: a gap
        switchMap(() => load(files, { concurrency: 2, skipBad: true, maskMax: true, onSkip: (e: FileFormatError) => post({ type: 'problem', message: e.message }) })),
      )
    : detector;
  pipelines = wirePipelines(source, {
    frame: () => post({ type: 'frames', count: ++frames, epoch }),
    image: (kind, t) => {
      if (kind === 'mean') previews++;
      keep(kind, t);
      draw(kind, t);
    },
    stats: (n, fps, meanSem) => post({ type: 'stats', frames: n, fps, meanSem, epoch }),
    finished: () => post({ type: 'finished', epoch }),
    error: (err) => post({ type: 'error', message: messageOf(err) }),
  });
}

scope.addEventListener('message', (event) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      void (async () => {
        pipelines.unsubscribe();
        forget();
        try {
          await setWasmPaths(message.wasmPaths);
          // HDF5 files' filters (bitshuffle, LZ4...): angular.json serves h5wasm-plugins' plugins
          setHdf5Plugins(message.hdf5Plugins);
          const name = await useBackend(message.backend);
          backendReady = true;
          post({ type: 'backend', name, renderer: rendererOf(name) });
        } catch (err) {
          post({ type: 'failed', message: messageOf(err) });
        }
      })();
      break;
    case 'canvas':
      canvases.set(message.kind, { canvas: message.canvas, pixels: message.pixels });
      break;
    case 'colormap':
      colormap = message.colormap;
      latest.forEach((t, kind) => draw(kind, t));
      break;
    case 'reset':
      reset(message.files, message.epoch);
      break;
    case 'frame':
      detector.next(message.frame);
      break;
    case 'run':
      running.next(message.running);
      break;
    case 'download':
      void (async () => {
        const mean = latest.get('mean');
        const bytes = mean ? await encodeArray(mean) : null;
        post({ type: 'mean', bytes }, bytes ? [bytes.buffer] : []);
      })();
      break;
  }
});

setInterval(() => {
  if (!backendReady) return;
  try {
    const { numTensors, numBytes } = tf.memory();
    post({ type: 'status', previews, tensors: numTensors, bytes: numBytes });
    previews = 0;
  } catch {
    // tf.memory() throws while a backend initializes: the next tick reports
  }
}, 500);
