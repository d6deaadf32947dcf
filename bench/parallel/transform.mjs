// The CPU-bound per-frame transform of the parallel benchmark: a 3x3 median filter (the
// classic denoise of detector images), plain JS, run inline and in worker threads.
export function denoise(frame) {
  const [h, w] = frame.shape;
  const src = frame.data;
  const out = new Float32Array(src.length);
  const win = new Float32Array(9);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = Math.min(h - 1, Math.max(0, y + dy));
        for (let dx = -1; dx <= 1; dx++) win[n++] = src[yy * w + Math.min(w - 1, Math.max(0, x + dx))];
      }
      // insertion sort of 9: the median is the 5th
      for (let i = 1; i < 9; i++) {
        const v = win[i];
        let j = i - 1;
        while (j >= 0 && win[j] > v) win[j + 1] = win[j--];
        win[j + 1] = v;
      }
      out[y * w + x] = win[4];
    }
  }
  return { data: out, shape: frame.shape, dtype: 'float32' };
}
