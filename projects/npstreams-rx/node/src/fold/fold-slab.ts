/// <reference types="node" />
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BufferPool } from '../../../src/lib/io/buffer-pool';
import { type FormatName, decodeFile } from '../../../src/lib/io/formats';
import { FileFormatError, type FrameData } from '../../../src/lib/io/frame';
import type { DecodeLimits } from '../../../src/lib/io/limits';
import { RAW_ARRAYS, RAW_HEAD_BYTES, type RawLayout, rawLayout } from '../../../src/lib/io/raw-layout';
import { readBytes } from '../read';
import { type SlabError, type SlabEvent, type SlabProbe, type SlabTask, sameShape, unreadable, wrongShape } from './slab-protocol';
import { SlabSum } from '../../../src/lib/kernels/wasm/slab-sum';

/** Raw files folded together, chunk by chunk (SlabSum.add): the state goes through memory once
 * per group instead of once per frame. */
const GROUP = 4;

/**
 * Folds elements [from, to) of every frame of the files, in order, into a SlabSum. A file with a
 * raw layout (io/raw-layout.ts: a float32 or 8/16-bit .npy, an uncompressed TIFF) is read a
 * chunk at a time, only the slab's bytes, straight into the memory the kernel folds from; any
 * other file is read and decoded whole (the library's decoders), then its frames' slabs folded.
 * Every decision about a file (its layout, a decoding error, a skip, a shape) depends only on the
 * file, so threads folding other slabs of the same files decide alike. Reading a raw file's
 * samples can fail only if the file changed after its size was read: that is an error even with
 * skipBad (part of the frame may be folded in already).
 */
export async function foldSlab(task: SlabTask, emit: (event: SlabEvent) => void): Promise<{ sum: SlabSum } | { error: SlabError }> {
  const { paths, n, shape, from, to, loader, skipBad, operator, limits } = task;
  const sum = new SlabSum(n, from, to);
  const pool = new BufferPool();
  const head = new Uint8Array(RAW_HEAD_BYTES);
  const refuseShape = (s: readonly number[], file: string, item: number): { error: SlabError } => ({ error: wrongShape(operator, s, shape, file, item) });
  // raw files waiting to be folded together (GROUP at most), each open
  let group: { index: number; path: string; fd: number; layout: RawLayout }[] = [];
  const flush = (): { error: SlabError } | null => {
    if (group.length === 0) return null;
    const shorts = new Map<number, number>();
    sum.add(
      ...group.map(({ fd, layout: { offset, sample } }, k) => (g: number, c: number, staging: Float32Array) => {
        if (shorts.has(k)) return;
        const Samples = RAW_ARRAYS[sample];
        const bytes = Samples.BYTES_PER_ELEMENT;
        const into = sample === 'float32' ? new Uint8Array(staging.buffer, staging.byteOffset, 4 * c) : sum.raw.subarray(0, bytes * c);
        const got = readFully(fd, into, bytes * c, offset + bytes * g);
        if (got < bytes * c) shorts.set(k, offset + bytes * g + got);
        else if (sample === 'uint16' || sample === 'int16') sum.widen16(c, sample === 'int16');
        else if (sample !== 'float32') staging.set(new Samples(into.buffer as ArrayBuffer, into.byteOffset, c));
      }),
    );
    const done = group;
    group = [];
    for (const { fd } of done) closeSync(fd);
    for (const [k, { index, path }] of done.entries()) {
      if (shorts.has(k)) return { error: { kind: 'file', file: path, index, message: `ended at byte ${shorts.get(k)} while it was read: it changed after its size was taken` } };
    }
    for (const [k, { index }] of done.entries()) emit({ file: index, frames: sum.count - done.length + k + 1 });
    return null;
  };
  /** A file that cannot be used: the error, or (skipBad) reported as skipped and null. */
  const refuse = (index: number, file: string, reason: string): { error: SlabError } | null => {
    if (!skipBad) return { error: { kind: 'file', file, index, message: reason } };
    emit({ skipped: index, reason });
    return null;
  };
  try {
    for (const [index, path] of paths.entries()) {
      let opened: { fd: number; layout: RawLayout | null };
      try {
        opened = openRaw(path, head, loader, limits);
      } catch (err) {
        const failed = refuse(index, path, unreadable(err));
        if (failed) return failed;
        continue;
      }
      const { fd, layout } = opened;
      if (layout) {
        if (!sameShape(layout.shape, shape)) {
          closeSync(fd);
          return refuseShape(layout.shape, path, sum.count + group.length);
        }
        group.push({ index, path, fd, layout });
        if (group.length === GROUP) {
          const failed = flush();
          if (failed) return failed;
        }
        continue;
      }
      closeSync(fd);
      // not raw: the frames before it first, then this file read and decoded whole
      const failed = flush();
      if (failed) return failed;
      const lease = pool.lease();
      try {
        let data: Uint8Array;
        try {
          data = await readBytes(path, undefined, lease.alloc);
        } catch (err) {
          const failed = refuse(index, path, unreadable(err));
          if (failed) return failed;
          continue;
        }
        let frames;
        try {
          frames = await decodeFile(data, path, loader, lease.alloc, limits);
        } catch (err) {
          const failed = refuse(index, path, err instanceof FileFormatError ? err.message.slice(err.file.length + 2) : `cannot be decoded: ${String(err)}`);
          if (failed) return failed;
          continue;
        }
        for (const frame of frames) {
          if (!sameShape(frame.shape, shape)) return refuseShape(frame.shape, path, sum.count);
          const values: FrameData = frame.data;
          sum.add((g, c, staging) => staging.set(values.subarray(g, g + c)));
        }
        emit({ file: index, frames: sum.count });
      } finally {
        lease.release();
      }
    }
    const failed = flush();
    if (failed) return failed;
  } finally {
    for (const { fd } of group) closeSync(fd);
  }
  return { sum };
}

/** Opens a file and reads its head into `head`: the file left open, with its raw layout (null
 * where it has none: the decoder's turn). Throws (the file closed) where it cannot be read. */
function openRaw(path: string, head: Uint8Array, loader: FormatName | undefined, limits: DecodeLimits): { fd: number; layout: RawLayout | null } {
  const fd = openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    const got = stats.isFile() ? readFully(fd, head, Math.min(stats.size, RAW_HEAD_BYTES), 0) : 0;
    return { fd, layout: got > 0 ? rawLayout(head.subarray(0, got), stats.size, loader, limits) : null };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** Reads `length` bytes at `position` into `into` (from its start), as many calls as it takes;
 * fewer only where the file ends first. */
function readFully(fd: number, into: Uint8Array, length: number, position: number): number {
  let at = 0;
  while (at < length) {
    const got = readSync(fd, into, at, length - at, position + at);
    if (got === 0) break;
    at += got;
  }
  return at;
}

/** The first frame of the files (see SlabProbe): from the head of a raw file, else decoded. */
export async function probeFirst(paths: readonly string[], loader: FormatName | undefined, skipBad: boolean, limits: DecodeLimits = {}): Promise<SlabProbe> {
  const head = new Uint8Array(RAW_HEAD_BYTES);
  for (const path of paths) {
    try {
      const { fd, layout } = openRaw(path, head, loader, limits);
      closeSync(fd);
      if (layout) return { shape: layout.shape, dtype: layout.dtype, raw: true };
    } catch {
      // read again below, which says why
    }
    try {
      const frames = await decodeFile(await readBytes(path), path, loader, undefined, limits);
      if (frames.length > 0) return { shape: frames[0].shape, dtype: frames[0].dtype === 'float32' ? 'float32' : 'int32', raw: false };
    } catch {
      if (!skipBad) return { failed: true };
    }
  }
  return { none: true };
}
