import type { DecodeLimits, FormatName } from 'npstreams-rx';

// What foldFiles (fold-values.ts, fold-decoded.ts: this thread) and its threads (fold-slab.ts,
// run by decode-worker.ts) say to each other: plain data, structured-cloned across
// threads; and the words of the refusals both sides make.

/** One thread's part of foldFiles: elements [from, to) of every frame of the files. */
export interface SlabTask {
  paths: string[];
  /** Elements in a frame, the first frame's shape (every frame must have it), [from, to). */
  n: number;
  shape: number[];
  from: number;
  to: number;
  loader?: FormatName;
  skipBad: boolean;
  /** The operator the messages name (reduceMean, reduceSum). */
  operator: string;
  /** mean: the result is the sum divided by the frames folded; sum: the sum. */
  statistic: 'mean' | 'sum';
  /** What a file may declare (load's maxPixels, maxBytes). */
  limits: DecodeLimits;
}

/** What a thread reports as it goes: a file folded (frames so far), or skipped. */
export type SlabEvent = { file: number; frames: number } | { skipped: number; reason: string };

/** Why a slab could not be folded; fold-files.ts makes the error. */
export interface SlabError {
  /** file: a FileFormatError; input: a StreamInputError (a frame of another shape). */
  kind: 'file' | 'input';
  file: string;
  /** The file's index in the list (file), or the frame's in the stream (input). */
  index: number;
  message: string;
}

/** A thread's answer: its slab of the result and the frames it folded, or the error. */
export type SlabOutcome = { values: Float32Array; count: number } | { error: SlabError };

/** The first frame of the files, as a thread finds it (probe): its shape and dtype and whether its
 * file is raw; `failed` where the first file fails without skipBad (the fold then reports it);
 * `none` where no file gives a frame. */
export type SlabProbe = { shape: number[]; dtype: 'float32' | 'int32'; raw: boolean } | { failed: true } | { none: true };

/** The reason given for a file that cannot be read (as load gives it). */
export const unreadable = (err: unknown): string => `cannot be read: ${err instanceof Error ? err.message : String(err)}`;

/** Whether a frame has the first frame's shape. */
export const sameShape = (got: readonly number[], expected: readonly number[]): boolean => got.length === expected.length && got.every((d, i) => d === expected[i]);

/** A frame of another shape than the first (as the operator says it): item `item` of the stream. */
export const wrongShape = (operator: string, got: readonly number[], expected: readonly number[], file: string, item: number): SlabError => ({
  kind: 'input',
  file,
  index: item,
  message: `${operator}: item ${item} has shape [${got.join(', ')}], expected [${expected.join(', ')}] (the shape of item 0)`,
});

/** A file that kept a thread past the deadline. */
export const overdue = (deadline: number): string => `no decision within the deadline of ${deadline} ms: its thread was stopped`;
