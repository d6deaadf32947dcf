import type { BackendName, ColormapName } from 'npstreams-rx';
import type { DetectorFrame } from './detector';
import type { PanelKind } from './pipelines';

// What the page and the dashboard's reduction worker (reduction.worker.ts) say to each other.

/** The page to the worker. */
export type ToReduction =
  /** Start a backend (the library's pick without a name); answered by `backend` or `failed`. */
  | { type: 'init'; backend?: BackendName; wasmPaths: string; hdf5Plugins: string }
  /** A panel's canvas, transferred, and the pixels it shows along its longer side. */
  | { type: 'canvas'; kind: PanelKind; canvas: OffscreenCanvas; pixels: number }
  | { type: 'colormap'; colormap: ColormapName }
  /** Drop the running state and reduce a new source: frames the page sends, or these files. What
   * the worker says of this source carries its `epoch` (the page ignores what it said of older ones). */
  | { type: 'reset'; files: File[] | null; epoch: number }
  /** A detector frame, its buffer transferred. */
  | { type: 'frame'; frame: DetectorFrame }
  /** Start or pause reading the files (the page paces the detector itself). */
  | { type: 'run'; running: boolean }
  /** The running mean last previewed, as .npy bytes (answered by `mean`). */
  | { type: 'download' };

/** The worker to the page. */
export type FromReduction =
  | { type: 'backend'; name: string; renderer: string }
  | { type: 'failed'; message: string }
  /** Frames arrived since the last reset. */
  | { type: 'frames'; count: number; epoch: number }
  /** Every 500 ms: previews drawn since the last, and the worker's tensors. */
  | { type: 'status'; previews: number; tensors: number; bytes: number }
  | { type: 'stats'; frames: number; fps: number; meanSem: number; epoch: number }
  /** The range a panel's colormap stands for, as drawn. */
  | { type: 'range'; kind: PanelKind; lo: number; hi: number; epoch: number }
  | { type: 'finished'; epoch: number }
  /** A file skipped, named. */
  | { type: 'problem'; message: string }
  | { type: 'error'; message: string }
  | { type: 'mean'; bytes: Uint8Array | null };
