/*
 * npstreams-rx/node: what needs Node (the file system, globs, worker threads, the command line).
 * The main entry stays free of Node built-ins for browser bundles.
 */
export { load, expandGlob, readNodeSource, type NodeSource } from './load';
export { save } from './save';
export { workerPool, setWorkerScript, defaultPoolSize, type WorkerPool, type WorkerPoolOptions, type PoolFunctionOptions } from './worker-pool';
export { parallelReduce, parallelPartial, parallelPool, reduceFilesPartial, type ParallelPool, type ParallelOptions, type ReduceFilesOptions } from './parallel-reduce';
export { runWorker } from './worker';
export { runCli, EXIT } from './cli/cli';
