/// <reference types="node" />
// The body of the threads that read and decode files for load({ workers }) (decode-pool.ts), and
// for foldFiles (fold/) decode them for the main thread or fold slabs of them: the
// library's decoders and Node's file reading and zlib, without tfjs or RxJS (a thread starts in a
// few tens of milliseconds and holds little). scripts/bundle-specs.mjs and scripts/build-cli.mjs
// bundle it into node/decode-worker.mjs.
import workerpool from 'workerpool';
import { type FormatName, decodeFile } from '../../src/lib/io/formats';
import { FileFormatError } from '../../src/lib/io/frame';
import type { DecodeLimits, DecodeOptions } from '../../src/lib/io/limits';
import { BufferPool, type Lease } from '../../src/lib/io/buffer-pool';
import { setInflate } from '../../src/lib/io/inflate';
import { setJpegDecoder } from '../../src/lib/io/jpeg';
import { decodeJpegTurbo } from './jpeg-turbo';
import { buffersOf } from '../../worker/src/transfer';
import { readBytes, zlibInflate } from './read';
import type { DecodeOutcome } from './decode-pool';
import { foldSlab, probeFirst } from './fold/fold-slab';
import { type Hdf5Frames, openHdf5 } from './hdf5';
import type { SlabOutcome, SlabTask } from './fold/slab-protocol';

setInflate((data, size, alloc) => zlibInflate(data, size, (reason) => new Error(reason), alloc), { sync: true });
setJpegDecoder(decodeJpegTurbo);

/** This thread's memory for files, and what the main thread sends back (see decode-pool.ts). */
const pool = new BufferPool();

/** One file's bytes decoded: the frames (their buffers moving back without a copy), or why not. */
async function decoded(bytes: Uint8Array, name: string, loader: FormatName | undefined, lease: Lease | null, limits: DecodeOptions) {
  let outcome: DecodeOutcome;
  try {
    outcome = { frames: await decodeFile(bytes, name, loader, lease?.alloc, limits) };
  } catch (err) {
    lease?.release();
    const reason = err instanceof FileFormatError ? err.message.slice(err.file.length + 2) : err instanceof Error ? err.message : String(err);
    return { error: { stage: 'decode', message: reason } } satisfies DecodeOutcome;
  }
  // what the frames are in leaves; the rest (a file's bytes the frames do not view) stays here
  const moving = buffersOf(outcome);
  lease?.release(new Set(moving));
  return new workerpool.Transfer(outcome, moving);
}

/** An HDF5 source's failure as it crosses back: the file (and dataset) it names, and why. */
function errorOutcome(err: unknown): { stage: 'decode'; message: string; file?: string } {
  const reason = err instanceof FileFormatError ? err.message.slice(err.file.length + 2) : err instanceof Error ? err.message : String(err);
  return { stage: 'decode', message: reason, file: err instanceof FileFormatError ? err.file : undefined };
}

/** The HDF5 datasets this thread has open (`file::/dataset`), each opened once (by hdf5Open or
 * with its first frame here) and closed when the thread ends. */
const hdf5Open = new Map<string, Promise<Hdf5Frames>>();

/** A dataset open on this thread: the one it has, else opened now (`dataset` null: the file's
 * default, kept under the path it resolves to, unless this thread has that one open already). */
async function openHere(path: string, dataset: string | null, options: DecodeOptions): Promise<Hdf5Frames> {
  if (dataset !== null) {
    const key = `${path}::${dataset}`;
    if (!hdf5Open.has(key)) hdf5Open.set(key, openHdf5(path, dataset, options));
    return hdf5Open.get(key)!;
  }
  const handle = await openHdf5(path, null, options);
  const key = `${path}::${handle.dataset}`;
  const kept = hdf5Open.get(key);
  if (kept) {
    handle.close();
    return kept;
  }
  hdf5Open.set(key, Promise.resolve(handle));
  return handle;
}

workerpool.worker({
  /** Reads and decodes one file; the frames' buffers move back without a copy. A failure comes
   * back as an outcome (what failed and whether reading or decoding), not as a thrown error. */
  decode: async (path: string, loader?: FormatName, spares: ArrayBuffer[] = [], limits: DecodeOptions = {}) => {
    pool.give(spares);
    const lease = pool.lease();
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(path, undefined, lease.alloc);
    } catch (err) {
      lease.release();
      return { error: { stage: 'read', message: err instanceof Error ? err.message : String(err), code: (err as { code?: string }).code } } satisfies DecodeOutcome;
    }
    return decoded(bytes, path, loader, lease, limits);
  },
  /** Decodes the bytes of a file (load without workers, for what only a dependency decodes). */
  decodeBytes: (bytes: Uint8Array, name: string, loader: FormatName | undefined, limits: DecodeOptions = {}) => decoded(bytes, name, loader, null, limits),
  /** Opens an HDF5 dataset for load({ workers }) (kept open here for its frames): its name,
   * resolved path and shape, or why not. */
  hdf5Open: async (path: string, dataset: string | null, options: DecodeOptions = {}) => {
    try {
      const handle = await openHere(path, dataset, options);
      return { name: handle.name, dataset: handle.dataset, shape: handle.shape };
    } catch (err) {
      return { error: errorOutcome(err) };
    }
  },
  /** Reads frame k of an HDF5 dataset (load({ workers })): its buffer moves back without a copy. */
  hdf5Frame: async (path: string, dataset: string, k: number, options: DecodeOptions = {}, spares: ArrayBuffer[] = []) => {
    pool.give(spares);
    const lease = pool.lease();
    let frame;
    try {
      frame = (await openHere(path, dataset, options)).frame(k, lease.alloc);
    } catch (err) {
      lease.release();
      return { error: errorOutcome(err) } satisfies DecodeOutcome;
    }
    const outcome: DecodeOutcome = { frames: [frame] };
    const moving = buffersOf(outcome);
    lease.release(new Set(moving));
    return new workerpool.Transfer(outcome, moving);
  },
  /** The first frame of the files (foldFiles). */
  probe: (paths: string[], loader: FormatName | undefined, skipBad: boolean, limits: DecodeLimits = {}) => probeFirst(paths, loader, skipBad, limits),
  /** Folds this thread's slab of every frame of the files (foldFiles, fold/fold-files.ts). */
  fold: async (task: SlabTask) => {
    const outcome = await foldSlab(task, (event) => workerpool.workerEmit(event));
    if ('error' in outcome) return outcome satisfies SlabOutcome;
    const { sum } = outcome;
    const values = sum.value(task.statistic === 'mean' ? Math.max(1, sum.count) : 1);
    return new workerpool.Transfer({ values, count: sum.count } satisfies SlabOutcome, [values.buffer]);
  },
});
