/// <reference types="node" />
import { type DecodeOptions, type FormatName, FileFormatError, type Frame, type Lease, type ReadSource } from 'npstreams-rx';
import type { Hdf5Frames } from './hdf5';
import { buffersOf } from 'npstreams-rx/worker';
import { decodeScriptUrl, threadPool } from './thread-pool';

/** What a decoding thread sends back for one file. */
export type DecodeOutcome = { frames: Frame[] } | { error: { stage: 'read' | 'decode'; message: string; code?: string; file?: string } };

/** Threads that read and decode files, and the ReadSource that hands them paths. */
export interface DecodePool {
  read: ReadSource<string>;
  /** Decodes a file's bytes (a copy goes to a thread), under the deadline: its frames, or a
   * FileFormatError naming it. */
  decodeBytes(bytes: Uint8Array, name: string, signal: AbortSignal): Promise<Frame[]>;
  /** Reads frame k of an HDF5 dataset on a thread (each thread opens the file once): the frame,
   * or a FileFormatError naming the dataset. */
  readHdf5(path: string, dataset: string, k: number, signal: AbortSignal, lease?: Lease): Promise<Frame>;
  /** Opens an HDF5 dataset on a thread (which keeps it open for frames): its name, resolved
   * path and shape, as a handle that reads nothing here; or a FileFormatError naming it. */
  openHdf5(path: string, dataset: string | null, signal: AbortSignal): Promise<Hdf5Frames>;
  terminate(): Promise<void>;
}

/**
 * `size` worker threads (workerpool) that each read a file and decode it (the library's decoders;
 * no tfjs in them), the frames' buffers moved back to this thread without a copy. `loader` is a
 * format name (a function cannot cross to a thread). With load's reuse, a frame's buffers go back
 * to a thread once load is done with the frame, and the thread reads and decodes into them again.
 */
export function decodePool(size: number, loader?: FormatName, limits: DecodeOptions = {}, deadline = Infinity): DecodePool {
  const { run, terminate } = threadPool(decodeScriptUrl(), size);
  // load's reuse: the memory of frames that are done with goes back to a thread with its next file
  const spares: ArrayBuffer[] = [];
  /** Runs a method on a thread under the deadline: a file that keeps it longer stops the thread (it
   * is replaced) and errors, named. */
  const underDeadline = async <R = DecodeOutcome>(name: string, signal: AbortSignal, method: string, args: unknown[], transfer: ArrayBuffer[]): Promise<R> => {
    const timer = Number.isFinite(deadline) ? AbortSignal.timeout(deadline) : null;
    try {
      return await run<R>(method, args, transfer, timer ? AbortSignal.any([signal, timer]) : signal);
    } catch (err) {
      if (timer?.aborted && !signal.aborted) throw new FileFormatError(name, `no decision within the deadline of ${deadline} ms: its decoding thread was stopped`, { cause: err });
      throw err;
    }
  };
  const read: ReadSource<string> = async (path, signal, lease) => {
    const give = spares.splice(0, 2);
    const outcome = await underDeadline(path, signal, 'decode', [path, loader, give, limits], give);
    if ('frames' in outcome) {
      lease?.onRelease(() => spares.push(...buffersOf(outcome.frames).slice(0, Math.max(0, 2 * size + 2 - spares.length))));
      return { frames: outcome.frames, name: path };
    }
    const { stage, message, code } = outcome.error;
    if (stage === 'decode') throw new FileFormatError(path, message);
    throw Object.assign(new Error(message), { code });
  };
  const decodeBytes = async (bytes: Uint8Array, name: string, signal: AbortSignal): Promise<Frame[]> => {
    const copy = bytes.slice();
    const outcome = await underDeadline(name, signal, 'decodeBytes', [copy, name, loader, limits], [copy.buffer]);
    if ('frames' in outcome) return outcome.frames;
    throw new FileFormatError(name, outcome.error.message);
  };
  const readHdf5 = async (path: string, dataset: string, k: number, signal: AbortSignal, lease?: Lease): Promise<Frame> => {
    const name = `${path}::${dataset}`;
    const give = spares.splice(0, 2);
    const outcome = await underDeadline(name, signal, 'hdf5Frame', [path, dataset, k, limits, give], give);
    if ('frames' in outcome) {
      lease?.onRelease(() => spares.push(...buffersOf(outcome.frames).slice(0, Math.max(0, 2 * size + 2 - spares.length))));
      return outcome.frames[0];
    }
    throw new FileFormatError(outcome.error.file ?? name, outcome.error.message);
  };
  const openHdf5 = async (path: string, dataset: string | null, signal: AbortSignal): Promise<Hdf5Frames> => {
    type Opened = { name: string; dataset: string; shape: number[] } | Extract<DecodeOutcome, { error: unknown }>;
    const outcome = await underDeadline<Opened>(path, signal, 'hdf5Open', [path, dataset, limits], []);
    if ('error' in outcome) throw new FileFormatError(outcome.error.file ?? path, outcome.error.message);
    const { name, dataset: resolved, shape } = outcome;
    return {
      name,
      dataset: resolved,
      shape,
      frame: () => {
        throw new Error(`${name}: its frames are read on the threads`);
      },
      close: () => undefined,
    };
  };
  return { read, decodeBytes, readHdf5, openHdf5, terminate };
}
