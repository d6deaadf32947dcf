/// <reference types="node" />
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { type EncodeOptions, FileFormatError, type Frame, type SaveFormat, encodeArray } from 'npstreams-rx';

const BY_EXTENSION: Record<string, SaveFormat> = { npy: 'npy', png: 'png', tif: 'tiff', tiff: 'tiff' };

/**
 * Writes an array (a tensor, left to its owner, or a frame) to `path`: .npy unless `format` or
 * the extension (.png, .tif, .tiff) says otherwise; see encodeArray for what each format holds.
 * The bytes go to a temporary file beside `path`, renamed over it once complete: a failure (a
 * value the format cannot hold, a full disk) leaves no half-written file and any earlier `path`
 * as it was. Errors are FileFormatErrors naming the path.
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
