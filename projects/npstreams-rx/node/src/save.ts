/// <reference types="node" />
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { type EncodeOptions, FileFormatError, type Frame, type SaveFormat, encodeArray, ɵframeToWrite as frameToWrite } from 'npstreams-rx';
import { isHdf5Source, splitHdf5Source } from './hdf5-source';
import type { Hdf5Attributes } from './hdf5';

const BY_EXTENSION: Record<string, SaveFormat> = { npy: 'npy', png: 'png', tif: 'tiff', tiff: 'tiff' };

/** save's options: encodeArray's, HDF5 as a format, and the attributes an HDF5 dataset gets. */
export interface SaveOptions extends Omit<EncodeOptions, 'format'> {
  /** npy, png, tiff or hdf5; default: by the path (`::/dataset`, or .h5, .hdf5, .nxs: hdf5;
   * .png; .tif or .tiff; else npy). */
  format?: SaveFormat | 'hdf5';
  /** HDF5 only: attributes of the dataset (strings, numbers, lists of either), as the command's
   * statistic, frames, sources and version. */
  attributes?: Hdf5Attributes;
}

/**
 * Writes an array to a file (the counterpart of `load`): .npy unless `format` or the extension
 * (.png, .tif, .tiff, in any case) says otherwise; see encodeArray for what each format holds.
 * An HDF5 path (`result.h5::/entry/mean`, or a .h5, .hdf5 or .nxs file alone: the dataset
 * /entry/data/data, a NeXus default) gets a new HDF5 file holding the array as that dataset, the
 * samples' type kept, with `attributes` (writeHdf5); h5py and the viewers read it.
 *
 * The bytes go to a temporary file beside `path`, renamed over it once complete: a failure (a
 * value the format cannot hold, a full disk) leaves no half-written file and any earlier `path`
 * as it was. Errors are FileFormatErrors naming the path, what failed underneath as their
 * `cause`.
 *
 * @param value A tensor (float32, int32 or bool; read, never disposed or modified: it stays its
 *   owner's) or a frame `{ data, shape, dtype }`.
 * @param path Where the file goes; its extension chooses the format unless `format` is given.
 * @param options `format` (npy, png, tiff or hdf5), the PNG and TIFF options of encodeArray
 *   (`depth`, `normalize`...), HDF5's `attributes`.
 * @returns A promise resolved once the file is complete; it rejects with a FileFormatError naming
 *   `path`.
 *
 * @example
 * ```ts
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { firstValueFrom } from 'rxjs';
 * import { load, save } from 'npstreams-rx/node';
 *
 * const path = join(await mkdtemp(join(tmpdir(), 'save-')), 'image.png');
 * await save({ data: new Uint16Array([0, 1000, 65535, 7]), shape: [2, 2], dtype: 'int32' }, path);
 *
 * const frame = await firstValueFrom(load(path));
 * console.log(frame.shape, Array.from(frame.data)); // [2, 2] [0, 1000, 65535, 7]
 * ```
 */
export async function save(value: tf.Tensor | Frame, path: string, options: SaveOptions = {}): Promise<void> {
  const { attributes, ...encode } = options;
  const format = options.format ?? (isHdf5Source(path) ? 'hdf5' : (BY_EXTENSION[/\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase() ?? ''] ?? 'npy'));
  if (format === 'hdf5') return saveHdf5(value, path, attributes);
  if (attributes !== undefined) throw new FileFormatError(path, `cannot be written with attributes: only HDF5 holds them (this is ${format})`);
  let bytes: Uint8Array;
  try {
    bytes = await encodeArray(value, { ...encode, format });
  } catch (err) {
    throw new FileFormatError(path, `cannot be written as ${format}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  await atomically(path, (temporary) => writeFile(temporary, bytes));
}

/** save's HDF5: the array's values (a tensor's read once), written to a temporary file, renamed. */
async function saveHdf5(value: tf.Tensor | Frame, target: string, attributes?: Hdf5Attributes): Promise<void> {
  const { path, dataset } = splitHdf5Source(target);
  const { writeHdf5, DEFAULT_DATASET } = await import('./hdf5');
  await atomically(path, async (temporary) => {
    try {
      await writeHdf5(temporary, dataset ?? DEFAULT_DATASET, await frameToWrite('save', value), attributes);
    } catch (err) {
      throw new FileFormatError(path, `cannot be written as hdf5: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  });
}

/** Writes `path` through a temporary file beside it, renamed over it once complete: a failure
 * leaves no half-written file and any earlier `path` as it was. */
async function atomically(path: string, write: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.partial`);
  try {
    await write(temporary);
    await rename(temporary, path);
  } catch (err) {
    await unlink(temporary).catch(() => undefined);
    if (err instanceof FileFormatError) throw err;
    throw new FileFormatError(path, `cannot be written: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
