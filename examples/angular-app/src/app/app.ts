// A new user's dashboard, written from the README alone: a synthetic 256x256 stream cleaned on Web
// Workers (npstreams-rx/worker), its running mean drawn and its standard error's convergence
// plotted by the library's Angular components (npstreams-rx/angular). scripts/test-dist.mjs
// builds it from the packed tarball under Angular's default budgets and opens it in Chromium.
import { ChangeDetectionStrategy, Component, type OnDestroy, signal } from '@angular/core';
import { Subject, connect, map, merge, range, tap } from 'rxjs';
import type * as tf from '@tensorflow/tfjs-core';
import { type FrameStats, frameStats, pmap, previewEvery, scanMean, scanSem, setWasmPaths, useBackend } from 'npstreams-rx';
import { ConvergenceChart, TensorImage } from 'npstreams-rx/angular';
import { workerPool } from 'npstreams-rx/worker';

type Denoise = typeof import('./denoise.worker').functions;

const SIZE = 256;
const FRAMES = 40;

/** Frame i: a ramp plus deterministic noise in [-0.5, 0.5). */
function synthetic(i: number): { data: Float32Array; shape: number[] } {
  const data = new Float32Array(SIZE * SIZE);
  for (let k = 0; k < data.length; k++) data[k] = (k % SIZE) / SIZE + (((k * 7919 + i * 104729) % 1000) / 1000 - 0.5);
  return { data, shape: [SIZE, SIZE] };
}

@Component({
  selector: 'app-root',
  imports: [TensorImage, ConvergenceChart],
  template: `
    <nps-tensor-image [source]="mean$" colormap="magma" label="Running mean" style="width: 256px" />
    <nps-convergence-chart [source]="stats$" />
    <p data-testid="status">{{ status() }}</p>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App implements OnDestroy {
  protected readonly mean$ = new Subject<tf.Tensor>();
  protected readonly stats$ = new Subject<FrameStats>();
  protected readonly status = signal('starting');
  private readonly pool = workerPool<Denoise>(() => new Worker(new URL('./denoise.worker', import.meta.url), { type: 'module' }), { size: 2 });
  private readonly run = (async () => {
    await setWasmPaths('/tfjs-wasm/');
    const backend = await useBackend();
    let last: FrameStats | undefined;
    return range(0, FRAMES)
      .pipe(
        map(synthetic),
        pmap(this.pool.fn('denoise'), { concurrency: this.pool.size }),
        connect((clean$) =>
          merge(
            // each preview drawn as it comes (the component reads it before the scan's next one)
            clean$.pipe(scanMean(), previewEvery(), tap(this.mean$)),
            clean$.pipe(
              scanSem(),
              frameStats(),
              tap((s) => ((last = s), this.stats$.next(s))),
            ),
          ),
        ),
      )
      .subscribe({
        complete: () => this.status.set(`done: ${last?.frames} frames on ${backend}, mean standard error ${last?.mean.toPrecision(3)}`),
        error: (err: unknown) => this.status.set(`failed: ${String(err)}`),
      });
  })();

  ngOnDestroy(): void {
    void this.run.then((s) => s.unsubscribe());
    this.pool.terminate();
  }
}
