/**
 * What a decoder may allocate for one image, checked against what the file declares before
 * anything is allocated or inflated: a hostile header (a TIFF claiming 2^31 columns, a JPEG
 * claiming 10000x10000 in 900 bytes) is refused, naming the fields, instead of exhausting memory.
 * The defaults admit any real detector frame.
 */
export interface DecodeLimits {
  /** Pixels (width x height; elements for a .npy) an image may have; default 2^28. */
  maxPixels?: number;
  /** Bytes its decoded samples may take (pixels x samples x bytes per sample); default 1 GiB. */
  maxBytes?: number;
}

/** What the decoders make of the samples a file stores. */
export interface SampleOptions {
  /**
   * Unsigned integer samples equal to their type's maximum (255, 65535, 2^32 - 1) read as NaN:
   * how Eiger-class detectors mark module gaps and dead pixels, so that a reduction with
   * `ignoreNaN` goes around them, as `np.nanmean` does. Such frames are float32 (every other
   * count exact up to 2^24). For the unsigned 8-, 16-, 32- and 64-bit samples of .npy, TIFF and
   * HDF5 files; PNG and JPEG samples (intensities, not counts) stay as they are. Default false:
   * the samples as stored, and a 32- or 64-bit one beyond int32 refused, naming it.
   */
  maskMax?: boolean;
}

/** DecodeLimits, what becomes of the samples, and where a dependency's decoder may run
 * (decodeFile). */
export interface DecodeOptions extends DecodeLimits, SampleOptions {
  /**
   * Where a file needs a dependency's decoder (fast-png: palette, sub-byte or interlaced PNGs),
   * which no deadline can stop in the thread that runs it: true throws an `IsolationNeeded` naming it instead of running it,
   * so that the caller decodes the file where a deadline can (npstreams-rx/node's load, on a
   * thread). Default false: it runs here.
   */
  isolate?: boolean;
}

/** Thrown (with `DecodeOptions.isolate`) instead of running a dependency's decoder. */
export class IsolationNeeded extends Error {
  /** 'IsolationNeeded'. */
  override name = 'IsolationNeeded';
  constructor(
    /** The dependency: fast-png. */
    readonly decoder: string,
    what: string,
  ) {
    super(`${what} needs ${decoder}, which runs only where a deadline can stop it`);
  }
}

/** Throws IsolationNeeded where `limits` asks for it; `what` says why the decoder is needed. */
export function checkIsolation(limits: DecodeOptions | undefined, decoder: string, what: string): void {
  if (limits?.isolate) throw new IsolationNeeded(decoder, what);
}

/** The pixels an image may have by default (`DecodeLimits.maxPixels`): 2^28, 16384 x 16384. */
export const DEFAULT_MAX_PIXELS = 2 ** 28;
/** The bytes an image's decoded samples may take by default (`DecodeLimits.maxBytes`): 1 GiB. */
export const DEFAULT_MAX_BYTES = 2 ** 30;

/** A byte count in words: 1 GiB, 512 MiB, 300 bytes. */
export function bytesInWords(n: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (n >= size) return `${Number.isInteger(n / size) ? n / size : (n / size).toFixed(1)} ${unit}`;
  }
  return `${n} bytes`;
}

/**
 * Throws where an image of `pixels` pixels of `samples` samples of `bytesPerSample` bytes each
 * exceeds the limits; `what` names the fields the file declares ("ImageWidth 2147483647 x
 * ImageLength 1"), which the message repeats.
 */
export function checkBudget(what: string, pixels: number, samples: number, bytesPerSample: number, limits: DecodeLimits = {}): void {
  const { maxPixels = DEFAULT_MAX_PIXELS, maxBytes = DEFAULT_MAX_BYTES } = limits;
  if (pixels > maxPixels) throw new Error(`${what} is ${pixels} pixels, beyond maxPixels ${maxPixels}`);
  const bytes = pixels * samples * bytesPerSample;
  if (bytes > maxBytes) throw new Error(`${what} x ${samples * bytesPerSample} bytes exceeds maxBytes ${bytesInWords(maxBytes)}`);
}

/**
 * Unsigned samples as float32 with those equal to `max` as NaN (SampleOptions.maskMax), into
 * `out` (default a new array).
 */
export function ɵmaskMaxSamples(samples: Uint8Array | Uint16Array | Uint32Array, max: number, out = new Float32Array(samples.length)): Float32Array {
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    out[i] = v === max ? NaN : v;
  }
  return out;
}
