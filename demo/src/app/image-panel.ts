import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ColormapName } from 'npstreams-rx';
import { TensorImage } from 'npstreams-rx/angular';
import { DashboardService, type PanelKind } from './dashboard.service';

/** One image of the dashboard: the library's <nps-tensor-image> (drawn on the device, at display
 * resolution, with its colour bar) fed by one of the service's previews, under a caption. */
@Component({
  selector: 'app-image-panel',
  imports: [TensorImage],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure>
      <figcaption>{{ title() }}</figcaption>
      <nps-tensor-image [source]="source()" [colormap]="colormap()" [label]="title() + ', colormap ' + colormap()" />
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
  /** The service's previews for this panel. */
  protected readonly source = computed(() => this.dashboard.images[this.kind()]);
}
