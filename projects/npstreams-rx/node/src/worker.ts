/// <reference types="node" />
import { workerData } from 'node:worker_threads';
import workerpool from 'workerpool';
import type { WorkerSetup } from './worker-pool';
import { buffersOf } from 'npstreams-rx/worker';
import { abandonRun, finishRun, pushShard } from './thread-run';

/** The result with its array buffers moved (not copied) back to the caller. */
const moved = (result: unknown) => new workerpool.Transfer(result as object, buffersOf(result));

/**
 * The body of a pool's thread (node/worker.mjs runs it). It registers the methods the pools call:
 * `__npstreamsRxCall(name, args)` runs a function exported by the setup's module (imported at
 * the first call: a module that cannot load fails each call with the reason, rather than
 * crashing the thread); `__npstreamsRxPush(run, shard)`, `__npstreamsRxFinish(run)` and
 * `__npstreamsRxAbandon(run)` run parallelReduce's stream in this thread (thread-run.ts).
 * Results move back with their array buffers transferred.
 *
 * @internal the package's node/worker.mjs calls it; not part of the published types
 */
export async function runWorker(): Promise<void> {
  const setup: WorkerSetup = (workerData as { npstreamsRx?: WorkerSetup } | null)?.npstreamsRx ?? {};
  let module: Promise<Record<string, unknown>> | null = null;
  workerpool.worker({
    __npstreamsRxPush: async (id: string, task: unknown) => pushShard(id, task as never, setup.backend),
    __npstreamsRxFinish: async (id: string) => moved(await finishRun(id)),
    __npstreamsRxAbandon: (id: string) => abandonRun(id),
    __npstreamsRxCall: async (name: string, args: unknown[]) => {
      if (!setup.module) throw new Error('workerPool: this pool has no module');
      module ??= import(setup.module).catch((err: unknown) => {
        throw new Error(`workerPool: the module ${setup.module} cannot be loaded in a worker thread: ${err instanceof Error ? err.message : String(err)}`);
      });
      const fn = (await module)[name];
      if (typeof fn !== 'function') throw new Error(`workerPool: the module ${setup.module} exports no function named '${name}'`);
      return moved(await (fn as (...a: unknown[]) => unknown)(...args));
    },
  });
}
