/// <reference types="node" />
import cliProgress from 'cli-progress';

/** Where the command writes (runCli's second argument): the summary to stdout, progress and
 * problems to stderr. `process.stdout` and `process.stderr` fit, as does any object with `write`. */
export interface Output {
  /** Receives the summary (and `--help`, `--version`). */
  stdout: {
    /** Writes a piece of text. */
    write(s: string): unknown;
  };
  /** Receives the progress, the skipped files and the errors. */
  stderr: {
    /** Writes a piece of text. */
    write(s: string): unknown;
    /** A terminal: the progress is a bar; otherwise plain lines. */
    isTTY?: boolean;
  };
}

/**
 * Progress over a known number of files (or of frames, for HDF5 datasets, whose files hold
 * hundreds): a cli-progress bar with frames/s and ETA on a TTY, plain lines at every tenth of the
 * total (and the last) otherwise.
 */
export class Progress {
  frames = 0;
  private files = 0;
  private readonly started = performance.now();
  private readonly bar: cliProgress.SingleBar | null;
  /** The tenth of the total the last plain line passed, and what was done then. */
  private lastTenth = 0;
  private lastDone = -1;

  constructor(
    private readonly output: Output,
    private total: number,
    private readonly quiet: boolean,
    /** What `total` counts. */
    private readonly unit: 'files' | 'frames' = 'files',
  ) {
    this.bar =
      !quiet && output.stderr.isTTY
        ? new cliProgress.SingleBar(
            {
              format:
                unit === 'files'
                  ? 'npstreams-rx {bar} {percentage}% | {value}/{total} files | {frames} frames | {fps} frames/s | ETA {eta_formatted}'
                  : 'npstreams-rx {bar} {percentage}% | {value}/{total} frames | {files} files | {fps} frames/s | ETA {eta_formatted}',
              stream: output.stderr as NodeJS.WriteStream,
              hideCursor: true,
              etaBuffer: 20,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
    this.bar?.start(total, 0, { frames: 0, files: 0, fps: '0.0' });
  }

  private get fps(): string {
    return (this.frames / Math.max(1e-3, (performance.now() - this.started) / 1000)).toFixed(1);
  }

  update(files: number, frames: number): void {
    this.files = files;
    this.frames = frames;
    if (this.quiet) return;
    const done = this.unit === 'files' ? files : frames;
    if (this.bar) return this.bar.update(done, { frames, files, fps: this.fps });
    // a line at each tenth passed, and at the end (of the total as it stands: HDF5 datasets add
    // their frames as they open)
    const tenth = Math.floor((10 * done) / this.total);
    if (this.total > 0 && (tenth > this.lastTenth || (done === this.total && this.lastDone !== done))) {
      [this.lastTenth, this.lastDone] = [tenth, done];
      const elapsed = (performance.now() - this.started) / 1000;
      const eta = done > 0 ? (elapsed * (this.total - done)) / done : 0;
      const counts = this.unit === 'files' ? `${files}/${this.total} files, ${frames} frames` : `${frames}/${this.total} frames, ${files} files`;
      this.output.stderr.write(`npstreams-rx: ${counts}, ${this.fps} frames/s, ETA ${eta.toFixed(1)} s\n`);
    }
  }

  /** Counts `n` more to do (an HDF5 dataset's frames, as load opens it). */
  grow(n: number): void {
    this.total += n;
    this.bar?.setTotal(this.total);
  }

  /** A message between the progress (a skipped file). */
  note(message: string): void {
    if (this.bar) {
      this.bar.stop();
      this.output.stderr.write(`npstreams-rx: ${message}\n`);
      this.bar.start(this.total, this.unit === 'files' ? this.files : this.frames, { frames: this.frames, files: this.files, fps: this.fps });
    } else {
      this.output.stderr.write(`npstreams-rx: ${message}\n`);
    }
  }

  done(): void {
    this.bar?.stop();
  }
}
