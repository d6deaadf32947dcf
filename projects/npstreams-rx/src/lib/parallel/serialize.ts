import * as tf from '@tensorflow/tfjs-core';
import { type PartialRecipe, type PartialResult, statisticOf } from '../core/partial';
import { isTensor } from '../core/inputs';
import { reductionOf, travels } from '../reductions/catalogue';

/**
 * Partial results as bytes, to cross process and machine boundaries (workers, a job queue): a
 * 16-byte magic, the length of a JSON header (uint32, little-endian), the header (the recipe,
 * the state's structure with its numbers, and per tensor its dtype, shape and place), then the
 * tensors' raw little-endian buffers, 8-byte aligned. The round trip is exact: raw float32/int32
 * bytes, and JS numbers (counts, weight totals) written with JSON's exact double notation (NaN
 * and ±Infinity spelled out).
 */
const MAGIC = 'NPSRX-PARTIAL 1\n';
const ITEM_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Raised by deserializePartial for bytes that are not a serialized partial result, saying why. */
export class PartialFormatError extends Error {
  constructor(message: string) {
    super(`deserializePartial: ${message}`);
    this.name = 'PartialFormatError';
  }
}

interface TensorEntry {
  dtype: string;
  shape: number[];
  offset: number;
  bytes: number;
}

/**
 * A partial result as bytes, to send to another process or machine (a worker, a job queue, a
 * file): its recipe and state, exact (raw float32/int32 bytes, JS numbers in JSON's exact
 * notation). `deserializePartial` rebuilds it, in any environment. The tensors are read
 * asynchronously, so every backend can. A user ufunc's partial result cannot be serialized
 * (functions do not travel): a `PartialFormatError`.
 *
 * @param p The partial result; it is read, never disposed or modified.
 * @returns A promise of new bytes, yours.
 *
 * @example
 * ```ts
 * import type { Tensor } from '@tensorflow/tfjs-core';
 * import { from, lastValueFrom } from 'rxjs';
 * import { deserializePartial, disposePartial, partialValue, partials, serializePartial } from 'npstreams-rx';
 *
 * const part = await lastValueFrom(from([[1, 2], [3, 4]]).pipe(partials.sum()));
 * const bytes = await serializePartial(part); // send them anywhere
 * disposePartial(part);
 *
 * const received = deserializePartial(bytes);
 * const sum = partialValue(received) as Tensor;
 * console.log(sum.arraySync()); // [4, 6]
 * sum.dispose();
 * disposePartial(received);
 * ```
 */
export async function serializePartial(p: PartialResult): Promise<Uint8Array> {
  if (!travels(p.recipe)) throw new PartialFormatError(`a user ufunc's partial result cannot be serialized: functions do not travel`);
  const tensors: tf.Tensor[] = [];
  const tree = encode(p.state, tensors);
  const buffers = await Promise.all(tensors.map(async (t) => littleEndian(await t.data(), t.dtype)));
  const entries: TensorEntry[] = [];
  let offset = 0;
  tensors.forEach((t, i) => {
    entries.push({ dtype: t.dtype, shape: [...t.shape], offset, bytes: buffers[i].byteLength });
    offset += align8(buffers[i].byteLength);
  });
  const header = new TextEncoder().encode(JSON.stringify({ recipe: p.recipe, state: tree, tensors: entries }));
  const dataStart = align8(MAGIC.length + 4 + header.byteLength);
  const out = new Uint8Array(dataStart + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.byteLength, true);
  out.set(header, MAGIC.length + 4);
  buffers.forEach((b, i) => out.set(b, dataStart + entries[i].offset));
  return out;
}

/**
 * A partial result from the bytes `serializePartial` wrote (here or elsewhere): merge it with
 * `mergePartials`, read it with `partialValue`. Everything is checked before any tensor is made:
 * bytes that are not such a partial result (another format, truncated, a tensor that does not
 * fit) are a `PartialFormatError` saying why.
 *
 * @param bytes The bytes, as a Uint8Array (a view into a larger buffer is fine) or an ArrayBuffer;
 *   they are copied, never kept or modified.
 * @returns A new partial result, yours: dispose it with `disposePartial`. Its value type is not
 *   known statically: `partialValue` gives a tf.Tensor, or an AverageAndVar for
 *   `partials.averageAndVar`.
 *
 * @example
 * ```ts
 * import type { Tensor } from '@tensorflow/tfjs-core';
 * import { from, lastValueFrom } from 'rxjs';
 * import { deserializePartial, disposePartial, mergePartials, partialValue, partials, serializePartial } from 'npstreams-rx';
 *
 * // what two workers would send back
 * const parts = await Promise.all(
 *   [[[1, 2], [3, 4]], [[5, 6]]].map(async (items) => {
 *     const part = await lastValueFrom(from(items).pipe(partials.mean()));
 *     const bytes = await serializePartial(part);
 *     disposePartial(part);
 *     return bytes;
 *   }),
 * );
 * const [a, b] = parts.map((bytes) => deserializePartial(bytes));
 * const both = mergePartials(a, b);
 * const mean = partialValue(both) as Tensor;
 * console.log(mean.arraySync()); // [3, 4]
 * mean.dispose();
 * [a, b, both].forEach(disposePartial);
 * ```
 */
export function deserializePartial(bytes: Uint8Array | ArrayBuffer): PartialResult {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (data.byteLength < MAGIC.length + 4 || new TextDecoder().decode(data.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new PartialFormatError('not a serialized partial result (no NPSRX-PARTIAL 1 header)');
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const headerBytes = view.getUint32(MAGIC.length, true);
  if (MAGIC.length + 4 + headerBytes > data.byteLength) throw new PartialFormatError(`the header claims ${headerBytes} bytes; only ${data.byteLength} in all`);
  let header: { recipe: PartialRecipe; state: unknown; tensors: TensorEntry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(data.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerBytes)));
  } catch (err) {
    throw new PartialFormatError(`the header is not JSON (${(err as Error).message})`);
  }
  if (!header || typeof header !== 'object' || !Array.isArray(header.tensors) || !header.recipe) throw new PartialFormatError('the header lacks its recipe or tensors');
  const dataStart = align8(MAGIC.length + 4 + headerBytes);
  // check every entry before making any tensor
  header.tensors.forEach((e, i) => {
    const item = ITEM_BYTES[e?.dtype];
    if (!item) throw new PartialFormatError(`tensor ${i} has dtype ${String(e?.dtype)}; expected float32, int32 or bool`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new PartialFormatError(`tensor ${i} has an invalid shape`);
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (e.bytes !== size * item || !Number.isInteger(e.offset) || e.offset < 0 || dataStart + e.offset + e.bytes > data.byteLength) {
      throw new PartialFormatError(`tensor ${i} (${e.dtype} ${JSON.stringify(e.shape)}) does not fit the ${data.byteLength} bytes given`);
    }
  });
  let reduction: ReturnType<typeof reductionOf>;
  try {
    reduction = reductionOf(header.recipe);
  } catch (err) {
    throw new PartialFormatError(`the recipe ${JSON.stringify(header.recipe)} names no statistic of partials: ${(err as Error).message}`);
  }
  const made: tf.Tensor[] = [];
  try {
    const tensors = header.tensors.map((e) => {
      const raw = data.slice(dataStart + e.offset, dataStart + e.offset + e.bytes);
      const t = tf.tensor(typedArray(raw, e.dtype), e.shape, e.dtype as tf.DataType);
      made.push(t);
      return t;
    });
    const state = decode(header.state, tensors) as object;
    return { reduction, recipe: header.recipe, statistic: statisticOf(header.recipe), state };
  } catch (err) {
    made.forEach((t) => t.dispose());
    throw err instanceof PartialFormatError ? err : new PartialFormatError((err as Error).message);
  }
}

/** The state as JSON-safe data: tensors as { $tensor: k } (collected), numbers that JSON cannot
 * spell as { $number: 'NaN' | 'Infinity' | '-Infinity' }. */
function encode(value: unknown, tensors: tf.Tensor[]): unknown {
  if (isTensor(value)) return { $tensor: tensors.push(value) - 1 };
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) };
  if (Array.isArray(value)) return value.map((v) => encode(v, tensors));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v, tensors)]));
  return value;
}

function decode(value: unknown, tensors: tf.Tensor[]): unknown {
  if (Array.isArray(value)) return value.map((v) => decode(v, tensors));
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('$tensor' in o) {
      const t = tensors[o['$tensor'] as number];
      if (!t) throw new PartialFormatError(`the state names tensor ${String(o['$tensor'])}, which the header does not list`);
      return t;
    }
    if ('$number' in o) return Number(o['$number']);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v, tensors)]));
  }
  return value;
}

function littleEndian(values: ArrayLike<number> & { buffer?: ArrayBufferLike }, dtype: string): Uint8Array {
  const Ctor = dtype === 'float32' ? Float32Array : dtype === 'int32' ? Int32Array : Uint8Array;
  // the data as read is used as it is where it already has the dtype's array type (no copy)
  const typed = values instanceof Ctor ? values : Ctor.from(values);
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  if (LITTLE_ENDIAN || typed.BYTES_PER_ELEMENT === 1) return bytes;
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) for (let k = 0; k < 4; k++) swapped[i + k] = bytes[i + 3 - k];
  return swapped;
}

function typedArray(raw: Uint8Array, dtype: string): Float32Array | Int32Array | Uint8Array {
  const bytes = LITTLE_ENDIAN || dtype === 'bool' ? raw : littleEndian(new Int32Array(raw.buffer), 'int32');
  return dtype === 'float32'
    ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
    : dtype === 'int32'
      ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
      : bytes;
}

const align8 = (n: number): number => (n + 7) & ~7;
