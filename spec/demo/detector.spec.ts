import { detectorFrame, expectedCounts } from '../../demo/src/app/detector';

describe('the synthetic detector', () => {
  it('expected counts: a background of 20 and rings up to ~420, symmetric about the centre', () => {
    const size = 64;
    const l = expectedCounts(size);
    const min = Math.min(...l);
    const max = Math.max(...l);
    expect(min).toBeGreaterThanOrEqual(20);
    expect(max).toBeLessThanOrEqual(421);
    expect(max).toBeGreaterThan(300);
    // point symmetry about the centre of the frame
    for (const [y, x] of [
      [3, 10],
      [20, 40],
      [63, 0],
    ])
      expect(l[y * size + x]).toBeCloseTo(l[(size - 1 - y) * size + (size - 1 - x)], 3);
  });

  it('frames are Poisson-like: over 400 frames each pixel has mean λ and variance λ (within 4 standard errors)', () => {
    const size = 16;
    const l = expectedCounts(size);
    const n = 400;
    const sum = new Float64Array(l.length);
    const sq = new Float64Array(l.length);
    for (let k = 0; k < n; k++) {
      const f = detectorFrame(l, size, k);
      expect(f.shape).toEqual([size, size]);
      f.data.forEach((v, i) => {
        expect(Number.isInteger(v) && v >= 0).toBeTrue();
        sum[i] += v;
        sq[i] += v * v;
      });
    }
    // pooled over pixels: Σ(mean_i - λ_i)/sqrt(λ_i/n) ~ N(0, pixels), and the variances' ratio to λ
    let z = 0;
    let ratio = 0;
    l.forEach((lambda, i) => {
      const mean = sum[i] / n;
      z += (mean - lambda) / Math.sqrt(lambda / n);
      ratio += (sq[i] / n - mean * mean) / lambda;
    });
    expect(Math.abs(z / Math.sqrt(l.length))).toBeLessThan(4);
    expect(ratio / l.length).toBeCloseTo(1, 1);
  });

  it('the same k gives the same frame; another k another', () => {
    const l = expectedCounts(8);
    expect(detectorFrame(l, 8, 3).data).toEqual(detectorFrame(l, 8, 3).data);
    expect(detectorFrame(l, 8, 3).data).not.toEqual(detectorFrame(l, 8, 4).data);
  });
});
