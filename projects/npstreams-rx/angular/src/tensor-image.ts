import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  type Signal,
  afterNextRender,
  booleanAttribute,
  computed,
  effect,
  inject,
  input,
  isSignal,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import type * as tf from '@tensorflow/tfjs-core';
import { type Observable, type Subscription, isObservable } from 'rxjs';
import { type ColormapName, type DrawOptions, type DrawnRange, type ImageOptions, colormapTable, drawImage } from 'npstreams-rx';

/** What `<nps-tensor-image>` draws: a tensor, an Observable of tensors (a scan's previews) or a
 * signal of one (`toTensorSignal`); null draws nothing. */
export type TensorSource = tf.Tensor | Observable<tf.Tensor> | Signal<tf.Tensor | null | undefined> | null | undefined;

/** The canvas an `offscreen` `<nps-tensor-image>` hands over (its `transferred` output): draw into
 * it from a worker with `drawImage(canvas, x, { resolution: pixels })`. */
export interface OffscreenTarget {
  /** The image canvas's control, transferable to a worker. */
  canvas: OffscreenCanvas;
  /** The pixels the canvas shows along its longer side (CSS size x devicePixelRatio): an image
   * drawn with more is reduced on the page to fit anyway. */
  pixels: number;
}

/**
 * Numbers for a colour bar's ends: four significant digits, exponent notation far from 1, '–'
 * where not finite.
 *
 * @param v The number.
 * @returns Its label.
 *
 * @example
 * ```ts
 * import { formatValue } from 'npstreams-rx/angular';
 *
 * console.log([0, 3.14159, 1234567, 0.000123, NaN].map(formatValue)); // ['0', '3.142', '1.23e+6', '1.23e-4', '–']
 * ```
 */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-2 || a >= 1e5) ? v.toExponential(2) : v.toPrecision(4).replace(/\.?0+$/, '');
}

/**
 * A 2-D tensor drawn through a colormap (`drawImage`: on the tensor's device, at display
 * resolution by default), with a colour bar labelled with the range drawn.
 *
 * `source` is a tensor, an Observable of tensors or a signal of one. Each is drawn when it
 * arrives and read then, before the next emission can invalidate it (a `scanX` emission may be
 * given as it is: pipe `previewEvery()` first to draw at most once per animation frame); a
 * tensor or a signal's tensor is drawn again when an option changes (unless it was disposed by
 * then), an Observable's next emissions take the new options. The component never disposes a
 * tensor it is given. It subscribes to an Observable while it is
 * shown and unsubscribes when the source changes or it is destroyed; it keeps no tensor of its
 * own, so after destroy `tf.memory().numTensors` is where it was. Works zoneless and under OnPush
 * (its labels are signals).
 *
 * Inputs: `source`, `colormap` (default viridis), `range` (`'auto'`, `[lo, hi]` or
 * `{ percentiles: [p, q] }`), `resolution` and `pool` (DrawOptions), `label` (the canvas's
 * accessible name). Outputs: `drawn`, the range of each image drawn; `failed`, a failure to draw
 * (also written to the console).
 *
 * Drawn off the page's thread: with `offscreen`, the component draws nothing itself; once laid
 * out it transfers its image canvas's control (`transferControlToOffscreen`) and emits it with its
 * displayed size (`transferred`, an OffscreenTarget) for a worker to draw into with drawImage, and
 * its colour bar shows `shownRange` (the range the worker's drawImage resolved to) in the
 * `colormap` the worker is told to use. `source` is then ignored.
 *
 * @example
 * ```ts
 * import { Component } from '@angular/core';
 * import { interval, map, take } from 'rxjs';
 * import { previewEvery, scanMean } from 'npstreams-rx';
 * import { TensorImage } from 'npstreams-rx/angular';
 *
 * // 100 frames of 64 x 64 noise, one every 50 ms
 * const frames$ = interval(50).pipe(
 *   take(100),
 *   map(() => ({ data: Float32Array.from({ length: 64 * 64 }, Math.random), shape: [64, 64] })),
 * );
 *
 * \@Component({
 *   selector: 'app-mean',
 *   imports: [TensorImage],
 *   template: `<nps-tensor-image [source]="mean$" colormap="magma" label="Running mean" />`,
 * })
 * export class MeanPanel {
 *   readonly mean$ = frames$.pipe(scanMean(), previewEvery());
 * }
 * ```
 */
@Component({
  selector: 'nps-tensor-image',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <canvas #image class="image" role="img" [attr.aria-label]="label() || null"></canvas>
    <div class="bar">
      <span class="lo">{{ lo() }}</span>
      <canvas #bar width="256" height="1" aria-hidden="true"></canvas>
      <span class="hi">{{ hi() }}</span>
    </div>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
    }
    .image {
      width: 100%;
      aspect-ratio: 1;
      image-rendering: pixelated;
      background: #222;
    }
    .bar {
      display: grid;
      grid-template-columns: auto 1fr auto;
      align-items: center;
      gap: 0.4rem;
      font-size: 0.8rem;
      font-variant-numeric: tabular-nums;
    }
    .bar canvas {
      width: 100%;
      height: 0.75rem;
    }
  `,
})
export class TensorImage {
  /** What to draw: a tensor, an Observable of tensors or a signal of one. */
  readonly source = input<TensorSource>(null);
  /** The colormap (one of COLORMAPS). */
  readonly colormap = input<ColormapName>('viridis');
  /** The values the colormap's ends stand for. */
  readonly range = input<ImageOptions['range']>('auto');
  /** How many pixels are drawn (DrawOptions). */
  readonly resolution = input<DrawOptions['resolution']>('display');
  /** How blocks of a reduced image become pixels (DrawOptions). */
  readonly pool = input<DrawOptions['pool']>('mean');
  /** The image's accessible name. */
  readonly label = input('');
  /** Drawn elsewhere: the canvas goes to `transferred` (see the class's description). */
  readonly offscreen = input(false, { transform: booleanAttribute });
  /** With `offscreen`: the range the image drawn elsewhere stands for (the colour bar's labels). */
  readonly shownRange = input<DrawnRange | null>(null);
  /** With `offscreen`: the canvas's control, once, for a worker to draw into. */
  readonly transferred = output<OffscreenTarget>();
  /** The range of each image drawn, once it is on the canvas. */
  readonly drawn = output<DrawnRange>();
  /** A failure to draw (a tensor of the wrong rank, a lost context...). */
  readonly failed = output<unknown>();
  /** The colour bar's low end, as shown. */
  protected readonly lo = signal('–');
  /** The colour bar's high end, as shown. */
  protected readonly hi = signal('–');
  private readonly image = viewChild.required<ElementRef<HTMLCanvasElement>>('image');
  private readonly bar = viewChild.required<ElementRef<HTMLCanvasElement>>('bar');
  private readonly rendered = signal(false);
  /** drawImage's options, from the inputs. */
  private readonly options = computed<DrawOptions>(() => ({ colormap: this.colormap(), range: this.range(), resolution: this.resolution(), pool: this.pool() }));

  constructor() {
    afterNextRender(() => this.rendered.set(true));
    let subscription: Subscription | null = null;
    inject(DestroyRef).onDestroy(() => subscription?.unsubscribe());
    // the source: per emission while subscribed (later emissions take a change of options), or a
    // tensor drawn as it is and again when an option changes (unless it was disposed meanwhile)
    let handedOver = false;
    // drawn elsewhere: the canvas handed over once, the labels from shownRange
    effect(() => {
      if (!this.rendered() || !this.offscreen()) return;
      const range = this.shownRange();
      this.lo.set(range ? formatValue(range.lo) : '–');
      this.hi.set(range ? formatValue(range.hi) : '–');
      if (handedOver) return;
      handedOver = true;
      const element = this.image().nativeElement;
      const dpr = globalThis.devicePixelRatio || 1;
      const pixels = Math.ceil(Math.max(element.clientWidth, element.clientHeight) * dpr) || element.width;
      untracked(() => this.transferred.emit({ canvas: element.transferControlToOffscreen(), pixels }));
    });
    effect(() => {
      if (!this.rendered() || this.offscreen()) return;
      const source = this.source();
      const value = isSignal(source) ? source() : source;
      const options = isObservable(value) ? null : this.options();
      untracked(() => {
        subscription?.unsubscribe();
        subscription = null;
        if (isObservable(value)) subscription = value.subscribe({ next: (t) => this.draw(t, this.options()), error: (err: unknown) => this.fail(err) });
        else if (value && !value.isDisposed) this.draw(value, options!);
      });
    });
    // the colour bar: the colormap's 256 entries, low to high
    effect(() => {
      const table = colormapTable(this.colormap());
      const ctx = this.bar().nativeElement.getContext('2d');
      if (!ctx) return;
      const row = ctx.createImageData(256, 1);
      for (let k = 0; k < 256; k++) row.data.set([table[3 * k], table[3 * k + 1], table[3 * k + 2], 255], 4 * k);
      ctx.putImageData(row, 0, 0);
    });
  }

  /** Draws a tensor now (drawImage reads it before it returns its promise). */
  private draw(t: tf.Tensor, options: DrawOptions): void {
    let drawing: Promise<DrawnRange>;
    try {
      drawing = drawImage(this.image().nativeElement, t, options);
    } catch (err) {
      this.fail(err);
      return;
    }
    drawing.then(
      (range) => {
        this.lo.set(formatValue(range.lo));
        this.hi.set(formatValue(range.hi));
        this.drawn.emit(range);
      },
      (err: unknown) => this.fail(err),
    );
  }

  private fail(err: unknown): void {
    this.failed.emit(err);
    console.error('nps-tensor-image:', err);
  }
}
