import { ChangeDetectionStrategy, Component, DestroyRef, type ElementRef, type Signal, afterNextRender, computed, effect, inject, input, isSignal, signal, untracked, viewChild } from '@angular/core';
import { type Observable, type Subscription, isObservable } from 'rxjs';
import type { FrameStats } from 'npstreams-rx';
import uPlot from 'uplot';

/** One point of a convergence plot: a value after so many frames. */
export interface ConvergencePoint {
  /** Frames reduced so far. */
  frames: number;
  /** The value after them (a mean standard error, say). */
  value: number;
}

/** What `<nps-convergence-chart>` plots: points (an array or a signal of one), or an Observable
 * of `frameStats()` (its `mean` against `frames`: behind `scanSem()`, the mean standard error) or
 * of points, which it collects at log-spaced frame counts. */
export type ConvergenceSource = readonly ConvergencePoint[] | Signal<readonly ConvergencePoint[]> | Observable<FrameStats | ConvergencePoint> | null | undefined;

/**
 * `points` with `p` added, kept at log-spaced frame counts (the last kept point is replaced
 * while it is within 2% of the one before): a few hundred points for a run of hours, on log axes.
 * Non-finite values are left out. A new array; `points` stays as it was.
 *
 * @param points The points so far.
 * @param p The new point.
 * @returns The points to plot.
 *
 * @example
 * ```ts
 * import { type ConvergencePoint, addConvergencePoint } from 'npstreams-rx/angular';
 *
 * let points: ConvergencePoint[] = [];
 * for (let n = 1; n <= 100000; n++) points = addConvergencePoint(points, { frames: n, value: 1 / Math.sqrt(n) });
 * console.log(points.length); // a few hundred, the last at 100000 frames
 * ```
 */
export function addConvergencePoint(points: readonly ConvergencePoint[], p: ConvergencePoint): ConvergencePoint[] {
  if (!Number.isFinite(p.value) || !(p.frames > 0)) return points.slice();
  const n = points.length;
  const kept = n > 1 && points[n - 1].frames < points[n - 2].frames * 1.02 ? points.slice(0, -1) : points.slice();
  kept.push(p);
  return kept;
}

/**
 * The plot's series: frames, the values, and the 1/sqrt(n) reference through the first point
 * (value0 x sqrt(frames0 / n)), as uPlot takes them.
 *
 * @param points The points.
 * @returns `[frames, values, reference]`.
 *
 * @example
 * ```ts
 * import { convergenceSeries } from 'npstreams-rx/angular';
 *
 * console.log(convergenceSeries([{ frames: 4, value: 1 }, { frames: 16, value: 0.6 }])); // [[4, 16], [1, 0.6], [1, 0.5]]
 * ```
 */
export function convergenceSeries(points: readonly ConvergencePoint[]): [number[], number[], number[]] {
  const x = points.map((p) => p.frames);
  const y = points.map((p) => p.value);
  const [n0, v0] = points.length ? [points[0].frames, points[0].value] : [1, 1];
  return [x, y, x.map((n) => v0 * Math.sqrt(n0 / n))];
}

/**
 * A scalar against frames on log axes with the 1/sqrt(n) reference through the first point
 * (uPlot, an optional peer of the package: install `uplot` and add
 * `node_modules/uplot/dist/uPlot.min.css` to the app's styles): the convergence of a running mean
 * (`scanSem()` then `frameStats()`), or any series of `{ frames, value }`.
 *
 * `source` is an array or signal of points, or an Observable of frameStats or points (subscribed
 * while shown, collected with addConvergencePoint). Inputs: `source`, `label` (the series' name,
 * default 'mean SEM'), `height` (pixels, default 260); the width follows the host's. The accessible
 * name says the latest value and frames. Nothing to dispose: uPlot and the subscription end with
 * the component. Zoneless and OnPush-safe.
 *
 * @example
 * ```ts
 * import { Component } from '@angular/core';
 * import { interval, map, take } from 'rxjs';
 * import { frameStats, scanSem } from 'npstreams-rx';
 * import { ConvergenceChart } from 'npstreams-rx/angular';
 *
 * // 100 frames of 64 x 64 noise, one every 50 ms
 * const frames$ = interval(50).pipe(
 *   take(100),
 *   map(() => ({ data: Float32Array.from({ length: 64 * 64 }, Math.random), shape: [64, 64] })),
 * );
 *
 * \@Component({
 *   selector: 'app-convergence',
 *   imports: [ConvergenceChart],
 *   template: `<nps-convergence-chart [source]="stats$" />`,
 * })
 * export class Convergence {
 *   readonly stats$ = frames$.pipe(scanSem(), frameStats());
 * }
 * ```
 */
@Component({
  selector: 'nps-convergence-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div #host class="chart" role="img" [attr.aria-label]="description()"></div>`,
  styles: `
    :host {
      display: block;
    }
    .chart {
      width: 100%;
      background: #fff;
    }
  `,
})
export class ConvergenceChart {
  /** The points, or where they come from. */
  readonly source = input<ConvergenceSource>(null);
  /** The series' name (legend, axis, accessible name). */
  readonly label = input('mean SEM');
  /** The plot's height in pixels. */
  readonly height = input(260);
  private readonly host = viewChild.required<ElementRef<HTMLDivElement>>('host');
  /** Points collected from an Observable source. */
  private readonly collected = signal<readonly ConvergencePoint[]>([]);
  /** The points plotted. */
  readonly points = computed(() => {
    const source = this.source();
    if (isObservable(source)) return this.collected();
    return (isSignal(source) ? source() : source) ?? [];
  });
  /** The accessible name: the latest value and frames. */
  protected readonly description = computed(() => {
    const p = this.points();
    const last = p[p.length - 1];
    return last ? `${this.label()} ${last.value.toPrecision(3)} after ${last.frames} frames, on log axes with the 1/sqrt(n) reference` : `${this.label()}: no frames yet`;
  });
  private plot: uPlot | null = null;

  constructor() {
    let subscription: Subscription | null = null;
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(() => subscription?.unsubscribe());
    effect(() => {
      const source = this.source();
      untracked(() => {
        subscription?.unsubscribe();
        subscription = null;
        this.collected.set([]);
        if (isObservable(source)) {
          subscription = source.subscribe((s) => {
            const p = 'value' in s ? s : { frames: s.frames, value: s.mean };
            this.collected.update((points) => addConvergencePoint(points, p));
          });
        }
      });
    });
    afterNextRender(() => {
      const host = this.host().nativeElement;
      const width = () => Math.max(200, host.clientWidth);
      this.plot = new uPlot(
        {
          width: width(),
          height: this.height(),
          scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
          axes: [{ label: 'frames' }, { label: this.label(), size: 70 }],
          series: [{ label: 'frames' }, { label: this.label(), stroke: '#3b528b', width: 2 }, { label: '1/sqrt(n)', stroke: '#aaa', dash: [6, 4] }],
          legend: { show: true },
        },
        convergenceSeries(this.points()),
        host,
      );
      const resize = new ResizeObserver(() => this.plot?.setSize({ width: width(), height: this.height() }));
      resize.observe(host);
      destroyRef.onDestroy(() => {
        resize.disconnect();
        this.plot?.destroy();
        this.plot = null;
      });
    });
    effect(() => {
      const series = convergenceSeries(this.points());
      this.plot?.setData(series);
    });
  }
}
