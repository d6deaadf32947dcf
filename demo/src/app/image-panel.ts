import { Component, type ElementRef, afterNextRender, effect, inject, input, signal, viewChild } from '@angular/core';
import { type ColormapName, colormapTable } from 'npstreams-rx';
import { DashboardService, type PanelKind } from './dashboard.service';

/** Numbers for a colour bar's ends: few digits, exponent notation when far from 1. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-2 || a >= 1e5) ? v.toExponential(2) : v.toPrecision(4).replace(/\.?0+$/, '');
}

/** One image of the dashboard: a canvas the service draws into, and its colour bar. */
@Component({
  selector: 'app-image-panel',
  template: `
    <figure>
      <figcaption>{{ title() }}</figcaption>
      <canvas #image role="img" [attr.aria-label]="title() + ', colormap ' + colormap()"></canvas>
      <div class="bar">
        <span class="end">{{ lo() }}</span>
        <canvas #bar width="256" height="1" aria-hidden="true"></canvas>
        <span class="end">{{ hi() }}</span>
      </div>
    </figure>
  `,
  styles: `
    figure { margin: 0; display: flex; flex-direction: column; gap: 0.25rem; }
    figcaption { font-weight: 600; }
    canvas[role='img'] { width: 100%; aspect-ratio: 1; image-rendering: pixelated; background: #222; border: 1px solid #999; }
    .bar { display: grid; grid-template-columns: auto 1fr auto; align-items: center; gap: 0.4rem; font-size: 0.8rem; font-variant-numeric: tabular-nums; }
    .bar canvas { width: 100%; height: 0.75rem; border: 1px solid #999; }
  `,
})
export class ImagePanel {
  readonly kind = input.required<PanelKind>();
  readonly title = input.required<string>();
  readonly colormap = input<ColormapName>('viridis');
  protected readonly lo = signal('–');
  protected readonly hi = signal('–');
  private readonly image = viewChild.required<ElementRef<HTMLCanvasElement>>('image');
  private readonly bar = viewChild.required<ElementRef<HTMLCanvasElement>>('bar');
  private readonly dashboard = inject(DashboardService);

  constructor() {
    afterNextRender(() => {
      this.dashboard.attach(this.kind(), {
        canvas: this.image().nativeElement,
        range: (lo, hi) => {
          this.lo.set(formatValue(lo));
          this.hi.set(formatValue(hi));
        },
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
}
