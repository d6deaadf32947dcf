import { Component, DestroyRef, type ElementRef, afterNextRender, effect, inject, input, viewChild } from '@angular/core';
import uPlot from 'uplot';
import type { SemPoint } from './dashboard.service';

/** The series of the plot: frames, the mean standard error, and the 1/sqrt(n) reference through
 * the first point. */
export function semSeries(points: readonly SemPoint[]): [number[], number[], number[]] {
  const x = points.map((p) => p.frames);
  const y = points.map((p) => p.sem);
  const [n0, s0] = points.length ? [points[0].frames, points[0].sem] : [1, 1];
  return [x, y, x.map((n) => s0 * Math.sqrt(n0 / n))];
}

/** The mean standard error against frames on log axes, with the 1/sqrt(n) reference (uPlot). */
@Component({
  selector: 'app-sem-chart',
  template: `<figure>
    <figcaption>Mean standard error of the running mean</figcaption>
    <div #host class="chart" role="img" [attr.aria-label]="label()"></div>
  </figure>`,
  styles: `
    figure { margin: 0; }
    figcaption { font-weight: 600; margin-bottom: 0.25rem; }
    .chart { width: 100%; min-height: 260px; background: #fff; border: 1px solid #999; }
  `,
})
export class SemChart {
  readonly points = input.required<SemPoint[]>();
  private readonly host = viewChild.required<ElementRef<HTMLDivElement>>('host');
  private plot: uPlot | null = null;

  protected label(): string {
    const p = this.points();
    const last = p[p.length - 1];
    return last ? `Mean standard error ${last.sem.toPrecision(3)} after ${last.frames} frames, on log axes with the 1/sqrt(n) reference` : 'No frames yet';
  }

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      const host = this.host().nativeElement;
      const options: uPlot.Options = {
        width: Math.max(280, host.clientWidth),
        height: 260,
        scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
        axes: [{ label: 'frames' }, { label: 'mean SEM', size: 70 }],
        series: [{ label: 'frames' }, { label: 'mean SEM', stroke: '#3b528b', width: 2 }, { label: '1/sqrt(n)', stroke: '#aaa', dash: [6, 4] }],
        legend: { show: true },
      };
      this.plot = new uPlot(options, semSeries(this.points()), host);
      const resize = new ResizeObserver(() => this.plot?.setSize({ width: Math.max(280, host.clientWidth), height: 260 }));
      resize.observe(host);
      destroyRef.onDestroy(() => {
        resize.disconnect();
        this.plot?.destroy();
      });
    });
    effect(() => {
      const series = semSeries(this.points());
      this.plot?.setData(series);
    });
  }
}
