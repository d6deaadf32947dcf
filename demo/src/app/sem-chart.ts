import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { ConvergenceChart, type ConvergencePoint } from 'npstreams-rx/angular';

/** The mean standard error against frames on log axes with the 1/sqrt(n) reference: the library's
 * <nps-convergence-chart>, under a caption. */
@Component({
  selector: 'app-sem-chart',
  imports: [ConvergenceChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<figure>
    <figcaption>Mean standard error of the running mean</figcaption>
    <nps-convergence-chart [source]="points()" label="Mean standard error" />
  </figure>`,
  styles: `
    figure { margin: 0; }
    figcaption { font-weight: 600; margin-bottom: 0.25rem; }
    nps-convergence-chart { min-height: 260px; border: 1px solid #999; }
  `,
})
export class SemChart {
  readonly points = input.required<readonly ConvergencePoint[]>();
}
