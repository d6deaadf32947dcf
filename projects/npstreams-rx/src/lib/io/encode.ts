import type * as tf from '@tensorflow/tfjs-core';
import { OptionError } from '../core/errors';
import { isTensor } from '../core/inputs';
import type { Frame } from './frame';
import { encodeNpy } from './npy';
import { type PngSaveOptions, encodePng } from './png';
import { encodeTiff } from './tiff';

/** The formats arrays are written in. */
export type SaveFormat = 'npy' | 'png' | 'tiff';

/** Options of `encodeArray`: the format, and for PNG (and 16-bit TIFF) the depth and `normalize`. */
export interface EncodeOptions extends PngSaveOptions {
  /** npy (default), png or tiff. */
  format?: SaveFormat;
}

/**
 * The bytes of a file holding an array (a tensor, read asynchronously, or a frame): .npy
 * (default; float32, int32 or bool as they are, what `numpy.load` reads), PNG ([h, w] or
 * [h, w, 1..4]; 8 or 16 bits, default 16: integer values in range, or `normalize`) or TIFF
 * (float32 as 32-bit float, int32 as 32-bit signed integers, or 16-bit unsigned with
 * `depth: 16`). Values a format cannot hold are refused with the first one named, never
 * clipped silently; a tensor of another dtype, or an unknown format, is an OptionError.
 *
 * @param value A tf.Tensor (float32, int32 or bool) or a frame `{ data, shape, dtype }`; read,
 *   never disposed or modified.
 * @param options `format` ('npy', 'png' or 'tiff'), `depth` (8 or 16), `normalize` (PNG: the
 *   finite [min, max] onto the depth's range).
 * @returns A promise of new bytes, yours (write them to a file, or `save` them with
 *   npstreams-rx/node).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { encodeArray, useBackend } from 'npstreams-rx';
 *
 * await useBackend();
 * const mean = tf.tensor2d([[0.5, 1.5], [2.5, 3.5]]);
 * const npy = await encodeArray(mean); // float32 .npy
 * const png = await encodeArray(mean, { format: 'png', depth: 8, normalize: true }); // a preview, 0..255
 * console.log(npy.length, new TextDecoder().decode(png.subarray(1, 4))); // 144 PNG (numpy's np.save writes the same 144 bytes)
 * mean.dispose();
 * ```
 */
export async function encodeArray(value: tf.Tensor | Frame, options: EncodeOptions = {}): Promise<Uint8Array> {
  const format = options.format ?? 'npy';
  const frame = await ɵframeToWrite('encodeArray', value);
  switch (format) {
    case 'npy':
      return encodeNpy(frame);
    case 'png':
      return await encodePng(frame, options);
    case 'tiff':
      return await encodeTiff(frame, { depth: options.depth === 16 ? 16 : undefined });
    default:
      throw new OptionError(`encodeArray: format must be npy, png or tiff; received ${JSON.stringify(format)}`);
  }
}

/** The values of an array to write: a frame as it is, or a tensor's (float32, int32 or bool;
 * read once, never disposed); an OptionError naming `operator` for another dtype. */
export async function ɵframeToWrite(operator: string, value: tf.Tensor | Frame): Promise<Frame> {
  if (!isTensor(value)) return value;
  const dtype = value.dtype;
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') throw new OptionError(`${operator}: a ${dtype} tensor cannot be written; float32, int32 and bool can`);
  return { data: (await value.data()) as Frame['data'], shape: [...value.shape], dtype };
}
