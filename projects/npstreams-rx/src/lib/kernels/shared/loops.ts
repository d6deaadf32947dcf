/**
 * The per-element loops of the fused accumulator kernels, over typed arrays laid out as
 * accumulator planes ([P, n]: plane k at offset k·n), shared by the backends' kernels as
 * tfjs-backend-cpu shares its `shared` implementations: the cpu backend runs them over its own
 * buffers; the wasm kernels run them for the last (n mod 4) elements their SIMD loop leaves, and
 * foldFiles' threads (kernels/wasm/slab-sum.ts) likewise.
 *
 * Arithmetic is in JS numbers (float64) and rounded once per plane on store: a float32 pair
 * (hi, lo) is read as hi + lo (exact in float64), updated, and split back into hi = fround(v),
 * lo = v - hi. Where the value is not finite, hi holds it and lo is 0.
 */

/** A backend's buffer (float32, int32, bool) or per-bin counts (float64). */
export type Arr = Float32Array | Int32Array | Uint8Array | Float64Array | Int8Array | Uint8ClampedArray | Int16Array | Uint16Array;

/** acc + x for a compensated float32 sum (planes hi, lo); out may be acc. */
export function sumAddF32(acc: Float32Array, x: Arr, out: Float32Array, n: number, from = 0, to = n): void {
  for (let i = from; i < to; i++) {
    const v = acc[i] + acc[n + i] + x[i];
    const h = Math.fround(v);
    out[i] = h;
    out[n + i] = h - h === 0 ? v - h : 0;
  }
}

/** acc + x for an int32 sum; returns false (leaving `out` partly written) on overflow past `limit`. */
export function sumAddI32(acc: Int32Array, x: Arr, out: Int32Array, limit: number, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const v = acc[i] + x[i];
    if (v > limit || v < -limit - 1) return false;
    out[i] = v;
  }
  return true;
}

/** (hi + lo) / divisor of a compensated sum. */
export function sumValueF32(acc: Float32Array, out: Float32Array, n: number, divisor: number, from = 0, to = n): void {
  for (let i = from; i < to; i++) out[i] = (acc[i] + acc[n + i]) / divisor;
}

/**
 * One West/Welford step (see kernels/reference/moments.ts) over planes [mean hi, lo, S hi, lo]
 * and, with P = 6, [W hi, lo]. `w`: the weight (a number, or per element); `r` = w / W for P = 4.
 */
export function momentsUpdate(acc: Float32Array, x: Arr, out: Float32Array, n: number, p: number, w: number | Arr, r: number, ignoreNaN: boolean, from = 0, to = n): void {
  if (p === 4) return momentsUpdate4(acc, x, out, n, w as number, r, from, to);
  const scalar = typeof w === 'number';
  for (let i = from; i < to; i++) {
    let xi = x[i];
    let wi = scalar ? w : (w as Arr)[(w as Arr).length === 1 ? 0 : i];
    let ri = r;
    if (p === 6) {
      if (ignoreNaN && xi !== xi) {
        wi = 0;
        xi = 0;
      }
      const W = acc[4 * n + i] + acc[5 * n + i] + wi;
      const Wh = Math.fround(W);
      out[4 * n + i] = Wh;
      out[5 * n + i] = Wh - Wh === 0 ? W - Wh : 0;
      ri = W === 0 ? 0 : wi / W;
    }
    const m = acc[i] + acc[n + i];
    if (xi - xi === 0 && m - m === 0) {
      const d = xi - m;
      const m2 = m + d * ri;
      writeMoments(out, n, i, m2, acc[2 * n + i] + acc[3 * n + i] + wi * d * (xi - m2));
    } else {
      // inf or NaN: the mean carries it (inf - inf is NaN), the variance is NaN
      out[i] = m + wi * xi;
      out[n + i] = 0;
      out[2 * n + i] = NaN;
      out[3 * n + i] = 0;
    }
  }
}

/** momentsUpdate for P = 4 (one scalar weight w, r = w / W): the common case, without the
 * per-element branches of the general loop. */
function momentsUpdate4(acc: Float32Array, x: Arr, out: Float32Array, n: number, w: number, r: number, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const xi = x[i];
    const m = acc[i] + acc[n + i];
    const d = xi - m;
    const m2 = m + d * r;
    const S = acc[2 * n + i] + acc[3 * n + i] + w * d * (xi - m2);
    const mh = Math.fround(m2);
    const Sh = Math.fround(S);
    if (Sh - Sh === 0) {
      // S finite: so are x and the mean (S is NaN or inf otherwise)
      out[i] = mh;
      out[n + i] = m2 - mh;
      out[2 * n + i] = Sh;
      out[3 * n + i] = S - Sh;
    } else if (xi - xi === 0 && m - m === 0) {
      // S overflowed float32: it keeps its inf
      out[i] = mh;
      out[n + i] = m2 - mh;
      out[2 * n + i] = Sh;
      out[3 * n + i] = 0;
    } else {
      // inf or NaN: the mean carries it (inf - inf is NaN), the variance is NaN
      out[i] = m + w * xi;
      out[n + i] = 0;
      out[2 * n + i] = NaN;
      out[3 * n + i] = 0;
    }
  }
}

/**
 * A statistic of a moments accumulator (planes [mean hi, lo, S hi, lo] and, with p = 6,
 * [W hi, lo]; else the weight total W): what 0 mean, 1 var, 2 std, 3 sem (see
 * kernels/reference/moments.ts). IEEE division gives NumPy's inf and NaN for W - ddof <= 0.
 */
export function momentsValue(acc: Float32Array, out: Float32Array, n: number, p: number, W: number, ddof: number, what: number, from = 0, to = n): void {
  if (p === 4 && what !== 0) {
    // a scalar total: S times one factor (the wasm kernel moments_value4 does the same)
    const scale = momentsScale(W, ddof, what);
    for (let i = from; i < to; i++) {
      const v = (acc[2 * n + i] + acc[3 * n + i]) * scale;
      out[i] = what === 1 ? v : Math.sqrt(v);
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const total = p === 6 ? acc[4 * n + i] + acc[5 * n + i] : W;
    if (what === 0) {
      out[i] = total === 0 ? NaN : acc[i] + acc[n + i];
      continue;
    }
    const variance = (acc[2 * n + i] + acc[3 * n + i]) / Math.max(total - ddof, 0);
    out[i] = what === 1 ? variance : what === 2 ? Math.sqrt(variance) : Math.sqrt(variance / total);
  }
}

/** Each f x f block of an [h, w] float32 image as its mean or max (NaN propagates), into
 * out [floor(h / f), floor(w / f)]: block by block, rows of the block in order, in float64,
 * rounded once (the wasm kernel pool_f32 runs the same arithmetic). */
export function pool2dLoop(x: Float32Array, out: Float32Array, h: number, w: number, f: number, max: boolean): void {
  const [hh, ww] = [Math.floor(h / f), Math.floor(w / f)];
  const area = f * f;
  for (let oy = 0, o = 0; oy < hh; oy++) {
    for (let ox = 0; ox < ww; ox++, o++) {
      let s = max ? -Infinity : 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (oy * f + dy) * w + ox * f;
        for (let dx = 0; dx < f; dx++) s = max ? Math.max(s, x[row + dx]) : s + x[row + dx];
      }
      out[o] = max ? s : s / area;
    }
  }
}

/** The sum of x[from..to) in float64, in order. */
export function sumAllLoop(x: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i];
  return s;
}

/** What S (the sum of squared deviations) is multiplied by for the variance (`what` 1, 2: then its
 * root) or the variance of the mean (3) with a scalar total weight W: 1 / max(W - ddof, 0), over W
 * too for 3; in float64 (1/0 is inf: S x inf is inf, or NaN for S = 0, as S / 0). */
export function momentsScale(W: number, ddof: number, what: number): number {
  const div = Math.max(W - ddof, 0);
  return 1 / (what === 3 ? div * W : div);
}

export const MOMENTS_VALUES = { mean: 0, var: 1, std: 2, sem: 3 } as const;

/** Running extrema with NumPy's NaN rules: op 0 max, 1 min (NaN propagates), 2 fmax, 3 fmin (NaN skipped). */
export function extremaUpdate(acc: Arr, x: Arr, out: Arr, op: number, from: number, to: number): void {
  switch (op) {
    case 0:
      for (let i = from; i < to; i++) out[i] = x[i] > acc[i] || x[i] !== x[i] ? x[i] : acc[i];
      break;
    case 1:
      for (let i = from; i < to; i++) out[i] = x[i] < acc[i] || x[i] !== x[i] ? x[i] : acc[i];
      break;
    case 2:
      for (let i = from; i < to; i++) out[i] = x[i] > acc[i] || acc[i] !== acc[i] ? x[i] : acc[i];
      break;
    default:
      for (let i = from; i < to; i++) out[i] = x[i] < acc[i] || acc[i] !== acc[i] ? x[i] : acc[i];
  }
}

export const EXTREMUM_CODES = { max: 0, min: 1, fmax: 2, fmin: 3 } as const;

/**
 * np.histogram counts of x with float32 `edges` (bin i: edges[i] <= v < edges[i + 1], the last
 * bin closed; NaN and values outside uncounted), added into `counts` (float64, one per bin),
 * each value weighted by w (a number or per element).
 */
export function histogramCounts(x: Arr, edges: Float32Array, counts: Float64Array, w: number | Arr): void {
  const last = edges.length - 1;
  const lo = edges[0];
  const hi = edges[last];
  const scalar = typeof w === 'number';
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v >= lo && v <= hi)) continue;
    // the largest j with edges[j] <= v (numpy.searchsorted(edges, v, 'right') - 1)
    let a = 0;
    let b = last;
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (edges[mid] <= v) a = mid;
      else b = mid;
    }
    counts[a] += scalar ? w : (w as Arr)[(w as Arr).length === 1 ? 0 : i];
  }
}

/** Writes a float64 mean and S of element i as their float32 (hi, lo) planes; a plane that is
 * not finite (an overflow to inf) has no low part. */
export function writeMoments(out: Float32Array, n: number, i: number, m: number, S: number): void {
  const mh = Math.fround(m);
  const Sh = Math.fround(S);
  out[i] = mh;
  out[n + i] = mh - mh === 0 ? m - mh : 0;
  out[2 * n + i] = Sh;
  out[3 * n + i] = Sh - Sh === 0 ? S - Sh : 0;
}

/**
 * Chan, Golub & LeVeque's merge of two moments accumulators (see kernels/reference/moments.ts),
 * in float64 per element: `a` with `pa` planes and total `Wa` (used when pa = 4), `b` likewise,
 * into `out` with `po` planes (6: the W planes written too).
 */
export function momentsMerge(a: Float32Array, pa: number, Wa: number, b: Float32Array, pb: number, Wb: number, out: Float32Array, po: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const wa = pa === 6 ? a[4 * n + i] + a[5 * n + i] : Wa;
    const wb = pb === 6 ? b[4 * n + i] + b[5 * n + i] : Wb;
    const W = wa + wb;
    const ma = a[i] + a[n + i];
    const mb = b[i] + b[n + i];
    if (ma - ma === 0 && mb - mb === 0) {
      const d = mb - ma;
      const m = W === 0 ? ma : ma + (d * wb) / W;
      writeMoments(out, n, i, m, a[2 * n + i] + a[3 * n + i] + (b[2 * n + i] + b[3 * n + i]) + (W === 0 ? 0 : (d * d * wa * wb) / W));
    } else {
      // a mean that is not finite: Σw·x / W carries the infinities (inf - inf is NaN)
      out[i] = (a[i] * wa + b[i] * wb) / W;
      out[n + i] = 0;
      out[2 * n + i] = NaN;
      out[3 * n + i] = 0;
    }
    if (po === 6) {
      const Wh = Math.fround(W);
      out[4 * n + i] = Wh;
      out[5 * n + i] = Wh - Wh === 0 ? W - Wh : 0;
    }
  }
}

/** The block's means and S in float64 while a batch of frames is folded in (momentsUpdateFrames). */
const BLOCK = 2048;
const blockMean = new Float64Array(BLOCK);
const blockS = new Float64Array(BLOCK);

/**
 * Several frames folded into a moments accumulator (P = 4, scalar weight w, r[j] = w / W after
 * frame j), block by block: each block's mean and S are read once into float64, every frame of the
 * batch folded in there (West's Welford step, the IEEE branch of momentsUpdate: a value or a mean
 * that is not finite makes the mean carry it and S NaN), then written back as (hi, lo) planes
 * once. The same steps as one momentsUpdate per frame, without rounding to the planes between
 * frames: equal within ~1e-15 relative, at a fraction of the memory traffic and arithmetic.
 */
export function momentsUpdateBatch(acc: Float32Array, frames: readonly Arr[], out: Float32Array, n: number, w: number, r: readonly number[]): void {
  const M = blockMean;
  const S = blockS;
  for (let from = 0; from < n; from += BLOCK) {
    const len = Math.min(BLOCK, n - from);
    for (let i = 0; i < len; i++) {
      const g = from + i;
      M[i] = acc[g] + acc[n + g];
      S[i] = acc[2 * n + g] + acc[3 * n + g];
    }
    for (let j = 0; j < frames.length; j++) {
      const x = frames[j];
      const rj = r[j];
      for (let i = 0; i < len; i++) {
        const xi = x[from + i];
        const m = M[i];
        if (xi - xi === 0 && m - m === 0) {
          const d = xi - m;
          const m2 = m + d * rj;
          S[i] += w * d * (xi - m2);
          M[i] = m2;
        } else {
          // inf or NaN: the mean carries it (inf - inf is NaN), the variance is NaN
          M[i] = m + w * xi;
          S[i] = NaN;
        }
      }
    }
    for (let i = 0; i < len; i++) writeMoments(out, n, from + i, M[i], S[i]);
  }
}
