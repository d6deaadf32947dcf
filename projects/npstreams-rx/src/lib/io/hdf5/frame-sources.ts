// HDF5 datasets as load's sources, in every environment: a dataset becomes one source per frame
// (so that load's order, concurrency, skipBad and reuse apply frame by frame), the file opened
// once when expanded and closed after its last frame or when the subscription ends.
import { type Observable, concatMap, defer, from } from 'rxjs';
import type { Alloc } from '../buffer-pool';
import type { Frame } from '../frame';
import type { Hdf5Frames } from './hdf5';

/** What marks a load source as an HDF5 frame, and names it in load's messages. */
export interface Hdf5Tag {
  /** Always true: the mark. */
  hdf5: true;
  /** `file::/dataset#k`, or the source that could not be opened. */
  toString(): string;
}

/** A frame of an open HDF5 dataset, as a source of its own. */
export interface Hdf5FrameAt extends Hdf5Tag {
  /** The file (what a thread opens). */
  path: string;
  /** The dataset's absolute path in it. */
  dataset: string;
  /** The frame's index along the first axis. */
  k: number;
  /** The dataset open here, or null where the frame is read elsewhere (Node's threads). */
  handle: Hdf5Frames | null;
}

/** An HDF5 source that could not be opened, refused when its turn comes. */
export interface Hdf5Unopened extends Hdf5Tag {
  /** Why (a FileFormatError naming the file). */
  error: unknown;
}

/** One frame of an HDF5 dataset, as a source of its own, or a file that cannot be opened,
 * refused when its turn comes (so that skipBad and the files' order apply to it). */
export type Hdf5Frame = Hdf5FrameAt | Hdf5Unopened;

/** Whether a load source is an HDF5 frame (hdf5Frames made it). */
export function isHdf5Frame(s: unknown): s is Hdf5Frame {
  return typeof s === 'object' && s !== null && (s as Hdf5Frame).hdf5 === true;
}

/**
 * An HDF5 source's frames as sources: `open` called when the stream reaches it, its dataset's
 * shape read; the file kept open, in `opened`, for its frames (with no `opened`, closed at once:
 * threads read them). `path` is what threads reopen; `label` names an unopenable source.
 */
export function hdf5Frames(open: () => Promise<Hdf5Frames>, path: string, label: string, opened: Set<Hdf5Frames> | null): Observable<Hdf5Frame> {
  return defer(async (): Promise<Hdf5Frame[]> => {
    let handle: Hdf5Frames;
    try {
      handle = await open();
    } catch (error) {
      return [{ hdf5: true, error, toString: () => label }];
    }
    if (opened) opened.add(handle);
    else handle.close();
    const kept = opened ? handle : null;
    return Array.from({ length: handle.shape[0] }, (_, k) => ({ hdf5: true, path, dataset: handle.dataset, k, handle: kept, toString: () => `${handle.name}#${k}` }));
  }).pipe(concatMap((frames) => from(frames)));
}

/** A frame read, as load's reading functions give it. */
export interface Hdf5Read {
  /** The one frame. */
  frames: Frame[];
  /** `file::/dataset#k`. */
  name: string;
}

/** Reads one HDF5 frame here (into memory `alloc` gives: load's reuse); the file is closed after its last frame (and at the end in any
 * case, by whoever holds `opened`). */
export async function readHdf5Frame(source: Hdf5Frame, opened: Set<Hdf5Frames>, alloc?: Alloc): Promise<Hdf5Read> {
  if ('error' in source) throw source.error;
  const { handle, k } = source;
  if (!handle) throw new Error(`${String(source)}: not open on this thread`);
  const frame = handle.frame(k, alloc);
  if (k === handle.shape[0] - 1) {
    handle.close();
    opened.delete(handle);
  }
  return { frames: [frame], name: String(source) };
}
