/// <reference types="node" />
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { type EncodeOptions, FileFormatError, type Frame, type SaveFormat, encodeArray } from 'npstreams-rx';

const BY_EXTENSION: Record<string, SaveFormat> = { npy: 'npy', png: 'png', tif: 'tiff', tiff: 'tiff' };

/**
 * Writes an array to a file (the counterpart of `load`): .npy unless `format` or the extension
 * (.png, .tif, .tiff, in any case) says otherwise; see encodeArray for what each format holds.
 *
 * The bytes go to a temporary file beside `path`, renamed over it once complete: a failure (a
 * value the format cannot hold, a full disk) leaves no half-written file and any earlier `path`
 * as it was. Errors are FileFormatErrors naming the path, what failed underneath as their
 * `cause`.
 *
 * @param value A tensor (float32, int32 or bool; read, never disposed or modified: it stays its
 *   owner's) or a frame `{ data, shape, dtype }`.
 * @param path Where the file goes; its extension chooses the format unless `format` is given.
 * @param options `format` (npy, png or tiff), and the PNG and TIFF options of encodeArray
 *   (`depth`, `normalize`...).
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
export async function save(value: tf.Tensor | Frame, path: string, options: EncodeOptions = {}): Promise<void> {
  const format = options.format ?? BY_EXTENSION[/\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase() ?? ''] ?? 'npy';
  let bytes: Uint8Array;
  try {
    bytes = await encodeArray(value, { ...options, format });
  } catch (err) {
    throw new FileFormatError(path, `cannot be written as ${format}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.partial`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (err) {
    await unlink(temporary).catch(() => undefined);
    throw new FileFormatError(path, `cannot be written: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
