// The sample set the README's example reduces: diffraction-like rings plus noise, as .npy
// (float32), 16-bit PNG and 16-bit TIFF, written with the library's own encoders. Made by
// `npm run samples` (scripts/make-samples.mjs); spec/cli.node.spec.ts makes small ones.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeArray } from '../projects/npstreams-rx/src/public-api';

export interface SampleOptions {
  /** Frames per format (default 24). */
  count?: number;
  /** Frame side in pixels (default 256). */
  size?: number;
  /** Formats to write (default all three). */
  formats?: ('npy' | 'png' | 'tiff')[];
}

/** mulberry32, seeded: the same samples on every machine. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Frame k: rings (a powder pattern's Debye-Scherrer rings) around a centre that drifts a little,
 * decaying outwards, over a background, with Gaussian noise of the counts' size; whole numbers in
 * 0..65535 so that every format holds them exactly. */
export function sampleFrame(k: number, size: number): Float32Array {
  const random = prng(1000 + k);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const cx = size / 2 + 2 * Math.sin(k / 3);
  const cy = size / 2 + 2 * Math.cos(k / 4);
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - cx, y - cy) / size;
      const rings = Math.cos(2 * Math.PI * r * 9) ** 8 * Math.exp(-3 * r);
      const counts = 400 + 30000 * rings;
      data[y * size + x] = Math.min(65535, Math.max(0, Math.round(counts + Math.sqrt(counts) * gauss())));
    }
  }
  return data;
}

/** Writes rings-000.npy, rings-000.png, rings-000.tif... into `dir`; returns the paths. */
export async function makeSamples(dir: string, options: SampleOptions = {}): Promise<string[]> {
  const { count = 24, size = 256, formats = ['npy', 'png', 'tiff'] } = options;
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let k = 0; k < count; k++) {
    const data = sampleFrame(k, size);
    for (const format of formats) {
      const frame = format === 'npy' ? { data, shape: [size, size], dtype: 'float32' as const } : { data: Int32Array.from(data), shape: [size, size], dtype: 'int32' as const };
      const path = join(dir, `rings-${String(k).padStart(3, '0')}.${format === 'tiff' ? 'tif' : format}`);
      writeFileSync(path, await encodeArray(frame, { format, depth: 16 }));
      paths.push(path);
    }
  }
  return paths;
}
