import * as tf from '@tensorflow/tfjs-core';
import { rgb } from 'd3-color';
import { interpolateViridis } from 'd3-scale-chromatic';
import { Subject, from, interval, lastValueFrom, map, take, toArray } from 'rxjs';
import { OptionError, colormapTable, drawImage, frameStats, previewEvery, scanMean, scanSem, toImage } from '../projects/npstreams-rx/src/public-api';
import { TestScheduler } from 'rxjs/testing';
import { IN_BROWSER, describeOnBackends } from './helpers/backends';
import { normal } from './helpers/random';

/** The viridis color of index k (0..255), from d3-scale-chromatic directly. */
const viridis = (k: number) => {
  const c = rgb(interpolateViridis(k / 255));
  return [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
};
/** The colormap index of v for the range [lo, hi]: round(clip((v - lo) / (hi - lo), 0, 1) * 255). */
const indexOf = (v: number, lo: number, hi: number) => Math.round(Math.min(1, Math.max(0, (v - lo) / (hi - lo))) * 255);

describeOnBackends('previewEvery: the latest running value, at most once per period, nothing queued', () => {
  let before = 0;
  beforeEach(() => (before = tf.memory().numTensors));
  afterEach(() => expect(tf.memory().numTensors).withContext('tensors left').toBe(before));

  it('per ms: far fewer previews than items, each the latest and readable, the last one the final mean', async () => {
    const n = 60;
    const frames = Array.from({ length: n }, (_, k) => [k, 2 * k]);
    const seen: { count: number; values: number[] }[] = [];
    const reads: Promise<void>[] = [];
    await lastValueFrom(
      interval(2).pipe(
        take(n),
        map((k) => frames[k]),
        scanMean(),
        map((mean, i) => ({ mean, count: i + 1 })),
        previewEvery(25),
        map(({ mean, count }) => {
          // read at once: the emission is valid until the scan's next one
          reads.push(mean.data().then((d) => void seen.push({ count, values: Array.from(d) })));
          return count;
        }),
        toArray(),
      ),
    );
    await Promise.all(reads);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.length).toBeLessThan(n / 2);
    expect(seen.map((s) => s.count)).toEqual([...seen.map((s) => s.count)].sort((a, b) => a - b));
    const last = seen[seen.length - 1];
    expect(last.count).toBe(n);
    // mean of k and 2k over k = 0..n-1
    expect(last.values).toEqual([(n - 1) / 2, n - 1]);
    for (const s of seen) expect(s.values[0]).toBeCloseTo((s.count - 1) / 2, 5);
  });

  it('the first value goes at once; a synchronous source gives one preview, the final value', async () => {
    const reads: Promise<Float32Array | Int32Array | Uint8Array>[] = [];
    await lastValueFrom(
      from([[1], [3], [5]]).pipe(
        scanMean(),
        previewEvery(1000),
        map((t) => reads.push(t.data())),
        toArray(),
      ),
    );
    // the running means 1, 2, 3: the first at once, then the last when the source completes
    expect((await Promise.all(reads)).map((d) => d[0])).toEqual([1, 3]);
  });

  if (IN_BROWSER) {
    it('per animation frame (no ms): previews follow requestAnimationFrame', async () => {
      const source = new Subject<number[]>();
      const counts: number[] = [];
      const done = lastValueFrom(
        source.pipe(
          scanMean(),
          map((_, i) => i + 1),
          previewEvery(),
          toArray(),
        ),
      );
      for (let k = 0; k < 30; k++) {
        source.next([k]);
        if (k % 10 === 9) await new Promise((r) => requestAnimationFrame(() => r(null)));
      }
      source.complete();
      counts.push(...(await done));
      expect(counts[counts.length - 1]).toBe(30);
      expect(counts.length).toBeLessThanOrEqual(4);
    });
  }

  it('a bad period is an OptionError', () => {
    expect(() => previewEvery(-1)).toThrowError(OptionError, /ms must be a non-negative number/);
    expect(() => previewEvery(Number.NaN)).toThrowError(OptionError, /ms must be a non-negative number/);
  });
});

describe('previewEvery in virtual time (marbles: a frame is 1 ms)', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => (testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  it('the first value at once, then the latest at most every period, the last when the source completes', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // a at 0 goes at once; b (2) waits for 5, where c (4) has replaced it; d (6) waits for 10,
      // where nothing has come since e (8): the source completes at 9 and e goes then
      expectObservable(cold('a-b-c-d-e|').pipe(previewEvery(5))).toBe('a----c---(e|)');
    });
  });

  it('nothing queues: a burst gives one preview, the latest of it', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // (bcd) comes at 2 and takes 5 frames of the line: e at 10, past d's period, goes at once
      expectObservable(cold('a-(bcd)---e-----|').pipe(previewEvery(4))).toBe('a---d-----e-----|');
    });
  });

  it('unsubscribing drops the pending preview: nothing comes after, and the source is let go', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-d-e|');
      // d (6) would go at 10: the subscriber leaves at 8
      expectObservable(source.pipe(previewEvery(5)), '^-------!').toBe('a----c--');
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('an error goes at once, dropping the pending preview', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('a-b-#').pipe(previewEvery(5))).toBe('a---#');
    });
  });
});

describeOnBackends('frameStats: frames, frames/s and the mean of each emission', () => {
  it('behind scanSem: the mean standard error of the stream, per frame, in order', async () => {
    const before = tf.memory().numTensors;
    const draw = normal(7);
    const frames = Array.from({ length: 40 }, () => Float32Array.from({ length: 16 }, () => draw()));
    const stats = await lastValueFrom(
      interval(1).pipe(
        take(frames.length),
        map((k) => ({ data: frames[k], shape: [16] })),
        scanSem(),
        frameStats(),
        toArray(),
      ),
    );
    expect(stats.map((s) => s.frames)).toEqual(frames.map((_, k) => k + 1));
    expect(stats[stats.length - 1].fps).toBeGreaterThan(0);
    // scipy.stats.sem per element (ddof 1), then the mean over the 16 elements, in float64
    const sem = Array.from({ length: 16 }, (_, i) => {
      const v = frames.map((f) => f[i]);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / v.length);
    });
    const expected = sem.reduce((a, b) => a + b, 0) / 16;
    expect(Math.abs(stats[stats.length - 1].mean - expected) / expected).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('unsubscribed midway, it frees its pending reads', async () => {
    const before = tf.memory().numTensors;
    const sub = interval(1)
      .pipe(
        take(50),
        map((k) => [k, k]),
        scanMean(),
        frameStats(),
      )
      .subscribe();
    await new Promise((r) => setTimeout(r, 15));
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 20));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describeOnBackends('toImage: values through a colormap, on the device', () => {
  let before = 0;
  beforeEach(() => (before = tf.memory().numTensors));
  afterEach(() => expect(tf.memory().numTensors).withContext('tensors left').toBe(before));

  async function pixels(x: tf.Tensor, options: Parameters<typeof toImage>[1]): Promise<number[][]> {
    const image = toImage(x, options);
    const data = Array.from(await image.data());
    image.dispose();
    return Array.from({ length: data.length / 4 }, (_, p) => data.slice(4 * p, 4 * p + 4));
  }

  it('colormapTable gives a copy: changing it changes no image made afterwards', async () => {
    const table = colormapTable('gray');
    expect(Array.from(table.subarray(765))).toEqual([255, 255, 255]);
    table.fill(7);
    expect(Array.from(colormapTable('gray').subarray(765))).toEqual([255, 255, 255]);
    const x = tf.tensor2d([0, 1], [1, 2]);
    expect(await pixels(x, { colormap: 'gray', range: [0, 1] })).toEqual([
      [0, 0, 0, 255],
      [255, 255, 255, 255],
    ]);
    x.dispose();
  });

  it('a fixed range: each value its viridis color (d3-scale-chromatic), NaN transparent black, ±inf the ends', async () => {
    const values = [0, 1, 2.5, 4, 5, 7, -3, NaN, Infinity, -Infinity];
    const x = tf.tensor2d(values, [2, 5]);
    const got = await pixels(x, { colormap: 'viridis', range: [0, 5] });
    x.dispose();
    const want = values.map((v) => (Number.isNaN(v) ? [0, 0, 0, 0] : [...viridis(indexOf(v, 0, 5)), 255]));
    expect(got).toEqual(want);
  });

  it("'auto': the finite minimum and maximum; an [h, w, 1] tensor is taken as [h, w]", async () => {
    const values = [2, 4, NaN, 10, Infinity, 6];
    const x = tf.tensor3d(values, [2, 3, 1]);
    const got = await pixels(x, {});
    x.dispose();
    expect(got).toEqual(values.map((v) => (Number.isNaN(v) ? [0, 0, 0, 0] : [...viridis(indexOf(v, 2, 10)), 255])));
  });

  it('percentiles: the range from a 1024-bin histogram of the finite values', async () => {
    const values = Array.from({ length: 1000 }, (_, k) => k);
    const x = tf.tensor2d(values, [25, 40]);
    const got = await pixels(x, { colormap: 'viridis', range: { percentiles: [10, 90] } });
    x.dispose();
    // bins of width 999/1024 over [0, 999]: the 10th percentile's bin holds 99 (bin 101), the
    // 90th's holds 899 (bin 921); the range is their lower edges
    const lo = (101 * 999) / 1024;
    const hi = (921 * 999) / 1024;
    for (const v of [0, 50, 98, 300, 500, 700, 899, 950, 999]) {
      const k = indexOf(v, lo, hi);
      expect(got[v])
        .withContext(`value ${v}`)
        .toEqual([...viridis(k), 255]);
    }
  });

  it('refuses what it cannot draw, naming it', () => {
    const [x3, x2] = [tf.zeros([2, 2, 3]), tf.zeros([2, 2])];
    expect(() => toImage(x3)).toThrowError(OptionError, /a \[h, w\] or \[h, w, 1\] tensor is drawn; received shape \[2, 2, 3\]/);
    expect(() => toImage(x2, { colormap: 'jet' as never })).toThrowError(OptionError, /colormap must be one of viridis/);
    expect(() => toImage(x2, { range: [3, 3] })).toThrowError(OptionError, /finite lo < hi/);
    tf.dispose([x3, x2]);
  });
});

if (IN_BROWSER) {
  describeOnBackends('drawImage: into a canvas, on the device where there is one', (backend) => {
    it('the pixels are the colormap of the values; tfjs computes on as before; nothing is left', async () => {
      const before = tf.memory().numTensors;
      const values = [0, 1, 2, 3, 4, NaN];
      const x = tf.tensor2d(values, [2, 3]);
      const canvas = document.createElement('canvas');
      await drawImage(canvas, x, { colormap: 'viridis', range: [0, 4] });
      expect([canvas.width, canvas.height]).toEqual([3, 2]);
      const data = Array.from(canvas.getContext('2d')!.getImageData(0, 0, 3, 2).data);
      const got = Array.from({ length: 6 }, (_, p) => data.slice(4 * p, 4 * p + 4));
      // NaN: transparent black; tfjs's WebGL canvas has no alpha, so on webgl it is opaque black
      const nan = backend === 'webgl' ? [0, 0, 0, 255] : [0, 0, 0, 0];
      expect(got).toEqual(values.map((v) => (Number.isNaN(v) ? nan : [...viridis(indexOf(v, 0, 4)), 255])));
      // tfjs's own state survives the drawing
      const y = tf.add(x, 1);
      expect(Array.from(await y.data()).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
      tf.dispose([x, y]);
      expect(tf.memory().numTensors).toBe(before);
    });

    describe('at display resolution', () => {
      // a 256 x 256 ramp x[i][j] = 256 i + j, drawn in gray over [0, 65535]: block means and maxima in closed form
      const side = 256;
      const ramp = () =>
        tf.tensor2d(
          Float32Array.from({ length: side * side }, (_, k) => k),
          [side, side],
        );
      // the gray colormap's entry for v (the tables are checked against d3's above)
      const table = colormapTable('gray');
      const gray = (v: number) => [...table.subarray(3 * indexOf(v, 0, side * side - 1), 3 * indexOf(v, 0, side * side - 1) + 3), 255];
      const pixels = (canvas: HTMLCanvasElement, points: [number, number][]) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        return points.map(([r, c]) => Array.from(data.slice(4 * (r * canvas.width + c), 4 * (r * canvas.width + c) + 4)));
      };
      const points: [number, number][] = [
        [0, 0],
        [3, 50],
        [63, 63],
        [20, 7],
      ];
      let canvas: HTMLCanvasElement;
      let before = 0;
      beforeEach(() => {
        before = tf.memory().numTensors;
        canvas = document.createElement('canvas');
        canvas.style.width = '64px';
        canvas.style.height = '64px';
        document.body.append(canvas);
      });
      afterEach(() => canvas.remove());

      it('a canvas styled 64 px wide gets 4 x 4 block means (x devicePixelRatio), computed on the device; nothing is left', async () => {
        const dpr = globalThis.devicePixelRatio || 1;
        const x = ramp();
        const { lo, hi } = await drawImage(canvas, x, { colormap: 'gray', range: [0, side * side - 1] });
        const f = Math.ceil(side / Math.ceil(64 * dpr));
        expect([canvas.width, canvas.height]).toEqual([Math.floor(side / f), Math.floor(side / f)]);
        expect([lo, hi]).toEqual([0, side * side - 1]);
        if (f === 4) {
          // block (r, c) holds rows 4r..4r+3 and columns 4c..4c+3: its mean is 256 (4r + 1.5) + 4c + 1.5
          expect(pixels(canvas, points)).toEqual(points.map(([r, c]) => gray(256 * (4 * r + 1.5) + 4 * c + 1.5)));
        }
        x.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });

      it("pool 'max': each block's largest value; 'full': every pixel; a number: at most that many along each side", async () => {
        const x = ramp();
        await drawImage(canvas, x, { colormap: 'gray', range: [0, side * side - 1], resolution: 64, pool: 'max' });
        expect([canvas.width, canvas.height]).toEqual([64, 64]);
        expect(pixels(canvas, points)).toEqual(points.map(([r, c]) => gray(256 * (4 * r + 3) + 4 * c + 3)));
        // 100 along each side: blocks of 3, the last 256 mod 3 = 1 row and column left out
        await drawImage(canvas, x, { colormap: 'gray', range: [0, side * side - 1], resolution: 100 });
        expect([canvas.width, canvas.height]).toEqual([85, 85]);
        expect(pixels(canvas, [[84, 84]])).toEqual([gray(256 * (3 * 84 + 1) + 3 * 84 + 1)]);
        await drawImage(canvas, x, { colormap: 'gray', range: [0, side * side - 1], resolution: 'full' });
        expect([canvas.width, canvas.height]).toEqual([side, side]);
        expect(pixels(canvas, [[200, 13]])).toEqual([gray(256 * 200 + 13)]);
        x.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });

      it('a canvas sized by its width and height alone (not styled), or not in the page, gets every pixel', async () => {
        const x = ramp();
        const plain = document.createElement('canvas');
        document.body.append(plain);
        await drawImage(plain, x, { colormap: 'gray' });
        expect([plain.width, plain.height]).toEqual([side, side]);
        plain.remove();
        const detached = document.createElement('canvas');
        detached.style.width = '10px';
        await drawImage(detached, x, { colormap: 'gray' });
        expect([detached.width, detached.height]).toEqual([side, side]);
        x.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });

      it('refuses a resolution or pool it does not know, naming it', async () => {
        const x = ramp();
        await expectAsync(drawImage(canvas, x, { resolution: 0 })).toBeRejectedWithError(OptionError, /resolution must be 'display', 'full' or a positive integer .*; received 0/);
        await expectAsync(drawImage(canvas, x, { pool: 'median' as never })).toBeRejectedWithError(OptionError, /pool must be 'mean' or 'max'; received median/);
        x.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });
    });

    it('the latest call wins: an image read back late is not drawn over a later one', async () => {
      const before = tf.memory().numTensors;
      const [older, newer] = [tf.fill([2, 2], 0), tf.fill([2, 2], 4)];
      const canvas = document.createElement('canvas');
      // the first read of an image's data comes back 100 ms late (webgpu reads its image back;
      // elsewhere the drawing does not wait on a read, and the order is the calls' anyway)
      const data = tf.Tensor.prototype.data;
      let delayed = false;
      const late = function (this: tf.Tensor) {
        const read = data.call(this);
        if (delayed || this.rank !== 2) return read;
        delayed = true;
        return new Promise((resolve) => setTimeout(() => resolve(read), 100));
      };
      spyOn(tf.Tensor.prototype, 'data').and.callFake(late as typeof data);
      const options = { colormap: 'viridis' as const, range: [0, 4] as [number, number] };
      await Promise.all([drawImage(canvas, older, options), drawImage(canvas, newer, options)]);
      const pixel = Array.from(canvas.getContext('2d')!.getImageData(0, 0, 1, 1).data);
      expect(pixel).toEqual([...viridis(255), 255]);
      tf.dispose([older, newer]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
