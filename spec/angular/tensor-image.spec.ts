import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { Subject, firstValueFrom } from 'rxjs';
import { outputToObservable } from '@angular/core/rxjs-interop';
import { type DrawnRange, colormapTable, drawImage } from 'npstreams-rx';
import { type OffscreenTarget, TensorImage, formatValue } from 'npstreams-rx/angular';
import { onCpuZoneless } from './setup';

// <nps-tensor-image> on the cpu backend: pixels against the gray colormap's entries for values
// whose colormap index is known in closed form (index = round((v - lo) / (hi - lo) x 255)), the
// colour bar's labels, each kind of source, and tensors back to baseline after destroy.
describe('<nps-tensor-image> (npstreams-rx/angular)', () => {
  const gray = colormapTable('gray');
  const { baseline } = onCpuZoneless();
  afterEach(() => expect(tf.memory().numTensors).withContext('tensors after the component is destroyed').toBe(baseline()));

  function make(inputs: Record<string, unknown>): { fixture: ComponentFixture<TensorImage>; next: () => Promise<DrawnRange> } {
    const fixture = TestBed.createComponent(TensorImage);
    const drawn$ = outputToObservable(fixture.componentInstance.drawn);
    for (const [k, v] of Object.entries({ colormap: 'gray', ...inputs })) fixture.componentRef.setInput(k, v);
    return { fixture, next: () => firstValueFrom(drawn$) };
  }
  const canvasOf = (fixture: ComponentFixture<TensorImage>) => (fixture.nativeElement as HTMLElement).querySelector('canvas.image') as HTMLCanvasElement;
  /** The canvas's red channel (gray: r = g = b), row by row. */
  const reds = (canvas: HTMLCanvasElement) => Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data).filter((_, i) => i % 4 === 0);
  const grayOf = (v: number, lo: number, hi: number) => gray[3 * Math.round(((v - lo) / (hi - lo)) * 255)];

  it('a tensor: drawn at its size through the colormap, the colour bar labelled with the range; the tensor left as it was', async () => {
    const x = tf.tensor2d([
      [0, 5],
      [10, 15],
    ]);
    const { fixture, next } = make({ source: x, resolution: 'full', label: 'Running mean' });
    const drawing = next();
    await fixture.whenStable();
    expect(await drawing).toEqual({ lo: 0, hi: 15 });
    await fixture.whenStable();
    const canvas = canvasOf(fixture);
    expect([canvas.width, canvas.height]).toEqual([2, 2]);
    expect(reds(canvas)).toEqual([0, 5, 10, 15].map((v) => grayOf(v, 0, 15)));
    const el = fixture.nativeElement as HTMLElement;
    expect([el.querySelector('.lo')?.textContent, el.querySelector('.hi')?.textContent]).toEqual(['0', '15']);
    expect(canvas.getAttribute('aria-label')).toBe('Running mean');
    fixture.destroy();
    expect(x.isDisposed).withContext('a tensor given stays the caller’s').toBeFalse();
    x.dispose();
  });

  it('a tensor is drawn again when an option changes: the colormap, the range', async () => {
    const x = tf.tensor2d([[0, 1, 2, 3]]);
    const { fixture, next } = make({ source: x, resolution: 'full' });
    let drawing = next();
    await fixture.whenStable();
    await drawing;
    expect(reds(canvasOf(fixture))).toEqual([0, 1, 2, 3].map((v) => grayOf(v, 0, 3)));
    drawing = next();
    fixture.componentRef.setInput('range', [0, 6]);
    await fixture.whenStable();
    expect(await drawing).toEqual({ lo: 0, hi: 6 });
    expect(reds(canvasOf(fixture))).toEqual([0, 1, 2, 3].map((v) => grayOf(v, 0, 6)));
    const viridis = colormapTable('viridis');
    drawing = next();
    fixture.componentRef.setInput('colormap', 'viridis');
    await fixture.whenStable();
    await drawing;
    const px = Array.from(canvasOf(fixture).getContext('2d')!.getImageData(3, 0, 1, 1).data).slice(0, 3);
    const k = Math.round((3 / 6) * 255);
    expect(px).toEqual([viridis[3 * k], viridis[3 * k + 1], viridis[3 * k + 2]]);
    fixture.destroy();
    x.dispose();
  });

  it('at display resolution: a 64x64 ramp on an 8-pixel-wide canvas is drawn as 8x8 block means', async () => {
    // column ramp v = x: block (oy, ox) has mean 8 ox + 3.5; the range is that of what is drawn
    const x = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, 64, 1, 'float32'), [1, 64]), [64, 1]));
    const { fixture, next } = make({ source: x });
    (fixture.nativeElement as HTMLElement).style.width = '8px';
    const drawing = next();
    await fixture.whenStable();
    const { lo, hi } = await drawing;
    expect([lo, hi]).toEqual([3.5, 59.5]);
    const canvas = canvasOf(fixture);
    expect([canvas.width, canvas.height]).toEqual([8, 8]);
    const row = Array.from({ length: 8 }, (_, ox) => grayOf(8 * ox + 3.5, 3.5, 59.5));
    expect(reds(canvas)).toEqual(Array.from({ length: 8 }, () => row).flat());
    fixture.destroy();
    x.dispose();
  });

  it('an Observable: each emission drawn as it arrives (read before the next), unsubscribed on destroy', async () => {
    const source = new Subject<tf.Tensor>();
    const { fixture, next } = make({ source, resolution: 'full', range: [0, 1] });
    await fixture.whenStable();
    expect(source.observed).withContext('subscribed while shown').toBeTrue();
    for (const v of [0.25, 1]) {
      const t = tf.fill([3, 3], v);
      const drawing = next();
      source.next(t);
      // as a scan does, the emission is gone once the next item comes
      t.dispose();
      await drawing;
      expect(new Set(reds(canvasOf(fixture)))).toEqual(new Set([grayOf(v, 0, 1)]));
    }
    fixture.destroy();
    expect(source.observed).withContext('unsubscribed on destroy').toBeFalse();
  });

  it('a signal: redrawn when it changes; null draws nothing', async () => {
    const a = tf.fill([2, 2], 2);
    const b = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const s = signal<tf.Tensor | null>(null);
    const { fixture, next } = make({ source: s, resolution: 'full' });
    await fixture.whenStable();
    let drawing = next();
    s.set(b);
    await fixture.whenStable();
    expect(await drawing).toEqual({ lo: 1, hi: 4 });
    expect(reds(canvasOf(fixture))).toEqual([1, 2, 3, 4].map((v) => grayOf(v, 1, 4)));
    drawing = next();
    s.set(a);
    await fixture.whenStable();
    expect(await drawing).toEqual({ lo: 2, hi: 2 });
    fixture.destroy();
    tf.dispose([a, b]);
  });

  it('offscreen: the canvas handed over once with its displayed size, drawn into elsewhere; the colour bar shows shownRange; source ignored', async () => {
    const source = new Subject<tf.Tensor>();
    const fixture = TestBed.createComponent(TensorImage);
    const handed: OffscreenTarget[] = [];
    fixture.componentInstance.transferred.subscribe((t) => handed.push(t));
    (fixture.nativeElement as HTMLElement).style.width = '40px';
    for (const [k, v] of Object.entries({ offscreen: true, source, colormap: 'gray', shownRange: null })) fixture.componentRef.setInput(k, v);
    await fixture.whenStable();
    expect(handed.length).toBe(1);
    const [{ canvas, pixels }] = handed;
    expect(canvas instanceof OffscreenCanvas).toBeTrue();
    // the image canvas is 40 CSS pixels square (aspect-ratio 1): its pixels along the longer side
    expect(pixels).toBe(Math.ceil(40 * (globalThis.devicePixelRatio || 1)));
    expect(source.observed).withContext('a source is not drawn here').toBeFalse();
    expect(() => canvasOf(fixture).getContext('2d'))
      .withContext('the page no longer draws into it')
      .toThrowError(/transferred/);
    const el = fixture.nativeElement as HTMLElement;
    expect([el.querySelector('.lo')?.textContent, el.querySelector('.hi')?.textContent]).toEqual(['–', '–']);
    // what a worker does with it (drawImage, here on this thread: the same OffscreenCanvas)
    const x = tf.tensor2d([[0, 5, 10, 15]]);
    const range = await drawImage(canvas, x, { colormap: 'gray', resolution: pixels });
    x.dispose();
    const px = Array.from(canvas.getContext('2d')!.getImageData(0, 0, 4, 1).data).filter((_, i) => i % 4 === 0);
    expect(px).toEqual([0, 5, 10, 15].map((v) => grayOf(v, 0, 15)));
    fixture.componentRef.setInput('shownRange', range);
    await fixture.whenStable();
    expect([el.querySelector('.lo')?.textContent, el.querySelector('.hi')?.textContent]).toEqual(['0', '15']);
    fixture.componentRef.setInput('colormap', 'viridis');
    await fixture.whenStable();
    expect(handed.length).withContext('handed over once').toBe(1);
    fixture.destroy();
  });

  it('a tensor it cannot draw (3-D of 2 channels) goes to `failed`, in words', async () => {
    const x = tf.zeros([2, 2, 2]);
    const { fixture } = make({ source: x });
    const failed = firstValueFrom(outputToObservable(fixture.componentInstance.failed));
    spyOn(console, 'error');
    await fixture.whenStable();
    expect(String(await failed)).toMatch(/drawImage/);
    fixture.destroy();
    x.dispose();
  });

  it('formatValue: four significant digits, exponents far from 1, a dash where not finite', () => {
    expect([0, 15, 3.14159, 1234567, 0.000123, -2.5e-7, NaN, Infinity].map(formatValue)).toEqual(['0', '15', '3.142', '1.23e+6', '1.23e-4', '-2.50e-7', '–', '–']);
  });
});
