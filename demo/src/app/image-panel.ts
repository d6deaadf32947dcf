import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ColormapName } from 'npstreams-rx';
import { type OffscreenTarget, TensorImage } from 'npstreams-rx/angular';
import { DashboardService, type PanelKind } from './dashboard.service';

/** One image of the dashboard: the library's <nps-tensor-image> (drawn on the device, at display
 * resolution, with its colour bar) under a caption, fed by one of the service's previews on the
 * page's thread, or handing its canvas to the service's worker, which draws into it. */
@Component({
  selector: 'app-image-panel',
  imports: [TensorImage],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure>
      <figcaption>{{ title() }}</figcaption>
      @if (offscreen) {
        <nps-tensor-image offscreen [shownRange]="range()" [colormap]="colormap()" [label]="title() + ', colormap ' + colormap()" (transferred)="attach($event)" />
      } @else {
        <nps-tensor-image [source]="source()" [colormap]="colormap()" [label]="title() + ', colormap ' + colormap()" />
      }
    </figure>
  `,
  styles: `
    figure { margin: 0; display: flex; flex-direction: column; gap: 0.25rem; }
    figcaption { font-weight: 600; }
    nps-tensor-image ::ng-deep canvas.image { border: 1px solid #999; }
    nps-tensor-image ::ng-deep .bar canvas { border: 1px solid #999; }
  `,
})
export class ImagePanel {
  readonly kind = input.required<PanelKind>();
  readonly title = input.required<string>();
  readonly colormap = input<ColormapName>('viridis');
  private readonly dashboard = inject(DashboardService);
  /** Drawn by the service's worker (its thread is 'worker'). */
  protected readonly offscreen = this.dashboard.thread === 'worker';
  /** The service's previews for this panel (on the page's thread). */
  protected readonly source = computed(() => this.dashboard.images[this.kind()]);
  /** The range the worker drew this panel's last image with. */
  protected readonly range = computed(() => this.dashboard.ranges[this.kind()]());

  protected attach({ canvas, pixels }: OffscreenTarget): void {
    this.dashboard.attachCanvas(this.kind(), canvas, pixels);
  }
}
