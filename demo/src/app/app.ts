import { Component, inject, signal } from '@angular/core';
import { type BackendName, COLORMAPS, type ColormapName } from 'npstreams-rx';
import { DashboardService } from './dashboard.service';
import { ImagePanel } from './image-panel';
import { SemChart } from './sem-chart';

const SIZES = [256, 512, 1024, 2048];
const BACKENDS: BackendName[] = ['webgl', 'webgpu', 'wasm', 'cpu'];

/** The dashboard: a stream of detector frames (or your files) averaged live. */
@Component({
  selector: 'app-root',
  imports: [ImagePanel, SemChart],
  template: `
    <header>
      <h1>npstreams-rx: watching an average converge</h1>
      <p class="status" role="status" aria-live="polite">
        <span>Source: <b>{{ dashboard.source() }}{{ dashboard.finished() ? ' (done)' : '' }}</b></span>
        <span>Frames: <b data-testid="frames">{{ dashboard.frames() }}</b> (<span data-testid="queued">{{ dashboard.queued() }}</span> queued)</span>
        <span>Reduction: <b data-testid="reduction-fps">{{ dashboard.reductionFps().toFixed(1) }}</b> frames/s</span>
        <span>Preview: <b data-testid="preview-fps">{{ dashboard.previewFps() }}</b> fps</span>
        <span>Tensors: <b data-testid="tensors">{{ dashboard.tensors() }}</b> ({{ (dashboard.bytes() / 2 ** 20).toFixed(1) }} MiB)</span>
        <span>Backend: <b data-testid="backend">{{ dashboard.backend() }}</b> <small>{{ dashboard.renderer() }}</small></span>
      </p>
      @if (dashboard.error()) {
        <p class="error" role="alert">{{ dashboard.error() }}</p>
      }
    </header>

    <form class="controls" (submit)="$event.preventDefault()" aria-label="Stream controls">
      <button type="button" (click)="toggle()" [attr.aria-pressed]="dashboard.running()">{{ dashboard.running() ? 'Pause' : 'Start' }}</button>
      <button type="button" (click)="dashboard.reset()">Reset</button>
      <label>Frame size
        <!-- [selected] per option: a select's [value] is set before its @for options exist -->
        <select (change)="setSize($event)" [disabled]="fromFiles()">
          @for (s of sizes; track s) { <option [value]="s" [selected]="s === size()">{{ s }} x {{ s }}</option> }
        </select>
      </label>
      <label>Rate (frames/s)
        <input type="number" min="1" max="60" [value]="rate()" (change)="setRate($event)" [disabled]="fromFiles()" />
      </label>
      <label>Backend
        <select (change)="setBackend($event)">
          @for (b of backends; track b) { <option [value]="b" [selected]="b === dashboard.backend()">{{ b }}</option> }
        </select>
      </label>
      <label>Colormap
        <select (change)="setColormap($event)">
          @for (c of colormaps; track c) { <option [value]="c" [selected]="c === colormap()">{{ c }}</option> }
        </select>
      </label>
      <button type="button" (click)="download()">Download mean (.npy)</button>
      <label class="files">Average files
        <input type="file" multiple accept=".npy,.png,.tif,.tiff,.jpg,.jpeg,.h5,.hdf5,.nxs" (change)="pick($event)" />
      </label>
      @if (fromFiles()) {
        <button type="button" (click)="backToDetector()">Back to the detector</button>
      }
    </form>

    <main (dragover)="$event.preventDefault()" (drop)="drop($event)">
      <section class="panels" aria-label="Images and convergence">
        <app-image-panel kind="frame" title="Latest frame" [colormap]="colormap()" />
        <app-image-panel kind="mean" title="Running mean" [colormap]="colormap()" />
        <app-image-panel kind="sem" title="Running standard error" [colormap]="colormap()" />
        <app-sem-chart [points]="dashboard.sem()" />
      </section>
      <p class="hint">Drop .npy, PNG, TIFF, JPEG or HDF5/NeXus files anywhere here to average them.</p>
      @if (dashboard.problems().length) {
        <p class="error">Skipped: {{ dashboard.problems().join('; ') }}</p>
      }
    </main>
  `,
  styles: `
    :host { display: block; padding: 1rem clamp(0.5rem, 3vw, 2rem); max-width: 1400px; margin: 0 auto; }
    h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
    .status small { margin-left: 0.4em; }
    .status { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0 0 0.75rem; font-variant-numeric: tabular-nums; }
    .controls { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin-bottom: 1rem; }
    .controls label { display: flex; flex-direction: column; font-size: 0.85rem; gap: 0.15rem; }
    button, select, input { font: inherit; padding: 0.3rem 0.6rem; }
    button:focus-visible, select:focus-visible, input:focus-visible { outline: 3px solid #3b528b; outline-offset: 2px; }
    .panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 1rem; margin-bottom: 1rem; }
    .error { color: #a00; }
    .hint { color: #555; font-size: 0.85rem; }
  `,
})
export class App {
  protected readonly dashboard = inject(DashboardService);
  protected readonly sizes = SIZES;
  protected readonly backends = BACKENDS;
  protected readonly colormaps = COLORMAPS;
  protected readonly size = signal(this.dashboard.size);
  protected readonly rate = signal(this.dashboard.rate);
  /** The panels' colormap (they draw with it, or the service's worker does). */
  protected readonly colormap = signal<ColormapName>('viridis');
  protected readonly fromFiles = signal(false);

  constructor() {
    void this.dashboard.init();
  }

  protected toggle(): void {
    if (this.dashboard.running()) this.dashboard.pause();
    else this.dashboard.start();
  }

  protected setSize(event: Event): void {
    this.size.set(Number((event.target as HTMLSelectElement).value));
    this.dashboard.size = this.size();
    this.dashboard.reset();
  }

  protected setRate(event: Event): void {
    const rate = Math.min(60, Math.max(1, Number((event.target as HTMLInputElement).value) || 1));
    this.rate.set(rate);
    this.dashboard.rate = rate;
    // the new period applies from the next start
    if (this.dashboard.running()) {
      this.dashboard.pause();
      this.dashboard.start();
    }
  }

  protected setBackend(event: Event): void {
    void this.dashboard.setBackend((event.target as HTMLSelectElement).value as BackendName);
  }

  protected setColormap(event: Event): void {
    this.colormap.set((event.target as HTMLSelectElement).value as ColormapName);
    // the worker draws with it too, where it draws
    this.dashboard.setColormap(this.colormap());
  }

  protected async download(): Promise<void> {
    const blob = await this.dashboard.downloadMean();
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'mean.npy';
    a.click();
    // the browser reads the blob after this task: free it a while later
    setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  }

  protected pick(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    // cleared, so that picking the same files again averages them again
    input.value = '';
    if (files.length) this.averageFiles(files);
  }

  protected drop(event: DragEvent): void {
    event.preventDefault();
    const files = event.dataTransfer?.files;
    if (files?.length) this.averageFiles(Array.from(files));
  }

  protected backToDetector(): void {
    this.fromFiles.set(false);
    this.dashboard.useDetector();
  }

  private averageFiles(files: File[]): void {
    this.fromFiles.set(true);
    this.dashboard.averageFiles(files);
  }
}
