/*
 * npstreams-rx/worker: Web Workers for browsers, through comlink: `workerPool` on the page,
 * `exposeFunctions` in the worker's module. It imports neither tfjs nor Node built-ins, so a
 * worker's bundle stays small. (In Node, `workerPool` from npstreams-rx/node runs worker_threads.)
 */
export { workerPool, type WorkerPool, type PoolFn, type PoolExec, type FunctionName, type ProjectOf } from './pool';
export { exposeFunctions } from './expose';
export { buffersOf } from './transfer';
