/**
 * A synthetic area detector: a powder diffraction pattern (Debye-Scherrer rings over a
 * background) whose photon counts carry Poisson noise, one frame at a time, with no download.
 * Counts above 10 are drawn from the normal approximation of the Poisson distribution
 * (mean λ, standard deviation sqrt(λ), rounded), the rest exactly (Knuth); frames are
 * independent, so the standard error of their running mean falls as 1/sqrt(n).
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

/** Frame k of a detector with expected counts `lambda`: Poisson counts, as float32. */
export function detectorFrame(lambda: Float32Array, size: number, k: number): DetectorFrame {
  const u = uniforms(k + 1);
  const data = new Float32Array(lambda.length);
  for (let i = 0; i < data.length; i += 2) {
    // two normals per Box-Muller step
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const a = 2 * Math.PI * u();
    for (let j = 0; j < 2 && i + j < data.length; j++) {
      const l = lambda[i + j];
      if (l > 10) {
        data[i + j] = Math.max(0, Math.round(l + Math.sqrt(l) * r * (j === 0 ? Math.cos(a) : Math.sin(a))));
      } else {
        // Knuth: count uniforms until their product falls below e^-λ
        let n = 0;
        for (let p = u(), limit = Math.exp(-l); p > limit; p *= u()) n++;
        data[i + j] = n;
      }
    }
  }
  return { data, shape: [size, size] };
}
