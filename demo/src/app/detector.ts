/**
 * A synthetic area detector: a powder diffraction pattern (Debye-Scherrer rings over a
 * background) whose photon counts carry Poisson noise, one frame at a time, with no download.
 * Counts above 10 are drawn from the normal approximation of the Poisson distribution
 * (mean λ, standard deviation sqrt(λ), rounded), the rest exactly (Knuth); each pixel's noise is
 * independent from frame to frame, so the standard error of their running mean falls as 1/sqrt(n).
 */
export interface DetectorFrame {
  data: Float32Array;
  shape: [number, number];
}

/** The expected counts λ of a size x size frame (the same for every frame). */
export function expectedCounts(size: number): Float32Array {
  const lambda = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - size / 2 + 0.5, y - size / 2 + 0.5) / size;
      const rings = Math.cos(2 * Math.PI * r * 11) ** 10 * Math.exp(-2.5 * r) + 0.6 * Math.exp(-(((r - 0.31) / 0.008) ** 2));
      lambda[y * size + x] = 20 + 400 * rings;
    }
  }
  return lambda;
}

/** xorshift128+: fast seeded uniforms in [0, 1). */
function uniforms(seed: number): () => number {
  let s0 = (seed * 2654435761) >>> 0 || 1;
  let s1 = (seed ^ 0x9e3779b9) >>> 0 || 2;
  return () => {
    let x = s0;
    const y = s1;
    s0 = y;
    x ^= x << 23;
    x ^= x >>> 17;
    x ^= y ^ (y >>> 26);
    s1 = x >>> 0;
    return ((s0 + s1) >>> 0) / 4294967296;
  };
}

/** Offsets frames read the normal bank from: 2^20 distinct ones (frame k starts at k x 7919 mod 2^20). */
const OFFSETS = 1 << 20;

/** Standard normals (Box-Muller over xorshift128+), made once per length and shared by every frame. */
let bank: Float32Array | null = null;
function normalBank(n: number): Float32Array {
  if (bank && bank.length >= n + OFFSETS) return bank;
  const u = uniforms(0x5eed);
  bank = new Float32Array(n + OFFSETS);
  for (let i = 0; i < bank.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const a = 2 * Math.PI * u();
    bank[i] = r * Math.cos(a);
    if (i + 1 < bank.length) bank[i + 1] = r * Math.sin(a);
  }
  return bank;
}

/**
 * Frame k of a detector with expected counts `lambda`: Poisson counts, as float32. Counts above
 * 10 take the normal approximation, their standard normals read from a bank made once, from an
 * offset of frame k's own (k x 7919 mod 2^20, distinct for a million frames): each pixel's noise is
 * a different normal in every frame, and a 2048 x 2048 frame costs one multiply-add and a rounding
 * per pixel instead of a logarithm, a square root and a cosine (the detector is never the limit).
 * Counts of 10 or less are drawn exactly (Knuth).
 */
export function detectorFrame(lambda: Float32Array, size: number, k: number): DetectorFrame {
  const normals = normalBank(lambda.length);
  const offset = (k * 7919) % OFFSETS;
  const data = new Float32Array(lambda.length);
  let u: (() => number) | null = null;
  for (let i = 0; i < data.length; i++) {
    const l = lambda[i];
    if (l > 10) data[i] = Math.max(0, Math.round(l + Math.sqrt(l) * normals[offset + i]));
    else {
      // Knuth: count uniforms until their product falls below e^-λ
      u ??= uniforms(k + 1);
      let n = 0;
      for (let p = u(), limit = Math.exp(-l); p > limit; p *= u()) n++;
      data[i] = n;
    }
  }
  return { data, shape: [size, size] };
}
