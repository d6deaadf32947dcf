/// <reference types="node" />
// Threads (workerpool) and where the scripts of the decoding threads are: light (no tfjs, no
// library entry), so that the command starts its threads before it loads the rest.
import { fileURLToPath } from 'node:url';
import workerpool from 'workerpool';

/** Where the decoding threads start: the script shipped beside this entry (dist/npstreams-rx/
 * node/decode-worker.mjs; scripts/bundle-specs.mjs puts a bundle at the same place for the specs
 * and the workspace's command). */
let decodeScript: URL = new URL('../node/decode-worker.mjs', import.meta.url);

/**
 * Points the decoding threads (`load` with `workers`, and `foldFiles`) at another copy of their
 * script, the package's `node/decode-worker.mjs`: for applications that bundle npstreams-rx/node
 * into one file, which then no longer finds the script beside it. Copy the script beside your
 * bundle (it imports only workerpool), and call this before the first `load` or `foldFiles`.
 *
 * @param url The script's file URL, or a path. A relative path is resolved against
 *   npstreams-rx/node's own module, not the working directory: give a URL (built from your
 *   bundle's `import.meta.url`) or an absolute path.
 *
 * @example
 * ```ts
 * import { load, setDecodeWorkerScript } from 'npstreams-rx/node';
 *
 * // the bundle's folder holds a copy of the package's node/decode-worker.mjs
 * setDecodeWorkerScript(new URL('./decode-worker.mjs', import.meta.url));
 * load('data/*.png', { workers: 4 }).subscribe((frame) => console.log(frame.file, frame.shape));
 * ```
 */
export function setDecodeWorkerScript(url: URL | string): void {
  decodeScript = new URL(url, import.meta.url);
}

/** Where the decoding threads' script is (load({ workers }), foldFiles). */
export const decodeScriptUrl = (): URL => decodeScript;

/** A workerpool pool of `size` threads running `script`, and its one way to run a method there:
 * with a transfer list, cancelled (the thread replaced) when `signal` aborts, `on` receiving
 * what the method emits (workerpool.workerEmit). */
export function threadPool(script: URL, size: number, workerData?: unknown) {
  // a path, not the URL's pathname: that keeps %20 for a space, which no file is named
  const pool = workerpool.pool(fileURLToPath(script), {
    maxWorkers: size,
    minWorkers: size,
    workerType: 'thread',
    ...(workerData === undefined ? {} : { workerThreadOpts: { workerData } }),
  });
  const run = <R>(method: string, args: unknown[], transfer: ArrayBuffer[] = [], signal?: AbortSignal, on?: (payload: never) => void): Promise<R> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // what the thread emits is what the caller declares (the method and its listener are a pair)
    const task = pool.exec(method, args, { transfer, ...(on ? { on: on as (payload: unknown) => void } : {}) });
    const cancel = (): void => {
      try {
        task.cancel(); // rejects the task with a CancellationError; the thread is replaced
      } catch {
        // workerpool throws the CancellationError back here for a task still waiting for a
        // thread that is starting; the task is rejected all the same
      }
    };
    signal?.addEventListener('abort', cancel, { once: true });
    return new Promise<R>((resolve, reject) =>
      task.then(
        (value: R) => (signal?.removeEventListener('abort', cancel), resolve(value)),
        (err: unknown) => (signal?.removeEventListener('abort', cancel), reject(err)),
      ),
    );
  };
  // once: a fold ends its decoding threads early, and the pool's owner ends them again
  let ended: Promise<void> | null = null;
  return { run, terminate: (): Promise<void> => (ended ??= pool.terminate(true).then(() => undefined)) };
}
