/// <reference types="node" />
// Threads (workerpool) and where the scripts of the decoding threads are: light (no tfjs, no
// library entry), so that the command starts its threads before it loads the rest.
import workerpool from 'workerpool';

/** Where the decoding threads start: the script shipped beside this entry (dist/npstreams-rx/
 * node/decode-worker.mjs; scripts/bundle-specs.mjs puts a bundle at the same place for the specs
 * and the workspace's command). */
let decodeScript: URL = new URL('../node/decode-worker.mjs', import.meta.url);

/** Points load({ workers }) at another copy of the decoding threads' script (node/decode-worker.mjs
 * of the package): for applications that bundle npstreams-rx/node into one file. */
export function setDecodeWorkerScript(url: URL | string): void {
  decodeScript = new URL(url, import.meta.url);
}

/** Where the decoding threads' script is (load({ workers }), foldFiles). */
export const decodeScriptUrl = (): URL => decodeScript;

/** A workerpool pool of `size` threads running `script`, and its one way to run a method there:
 * with a transfer list, cancelled (the thread replaced) when `signal` aborts, `on` receiving
 * what the method emits (workerpool.workerEmit). */
export function threadPool(script: URL, size: number, workerData?: unknown) {
  const pool = workerpool.pool(script.pathname, {
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
  return { run, terminate: async () => void (await pool.terminate(true)) };
}
