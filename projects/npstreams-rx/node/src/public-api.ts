/*
 * npstreams-rx/node: what needs Node (the file system, globs, worker threads, the command line).
 * The main entry stays free of Node built-ins for browser bundles.
 */
export { load, readNodeSource, type NodeSource, type NodeLoadOptions } from './load';
export { expandGlob } from './glob';
export { setDecodeWorkerScript } from './thread-pool';
export { readBytes } from './read';
export { foldFiles, type FoldFilesOptions, type FoldFilesResult, type FoldStatistic } from './fold/fold-files';
export { save, type SaveOptions } from './save';
export type { Hdf5Attributes } from './hdf5';
export { workerPool, setWorkerScript, defaultPoolSize, type WorkerPool, type WorkerPoolOptions, type PoolFunctionOptions } from './worker-pool';
export { parallelReduce, parallelPartial, parallelPool, reduceFilesPartial, type ParallelPool, type ParallelOptions, type ReduceFilesOptions } from './parallel-reduce';
// the threads' script (node/worker.mjs) imports it from the bundle; @internal: not in the types
export { runWorker } from './worker';
export { reduceOnQueue, QueueRunError, type ShardInput, type QueueReduceOptions, type QueueProgress } from './queue/reduce-on-queue';
export { queueWorker, type QueueWorker, type QueueWorkerOptions } from './queue/queue-worker';
export { parseQueueUrl, QueueUrlError, type QueueConnection, type QueueTlsOptions } from './queue/connection';
// the shard jobs' format (checkShardJob, SHARD_JOB...) is the queue's own: only its error is public
export { ShardPayloadError } from './queue/shard';
export { runCli, EXIT } from './cli/cli';
export type { Output } from './cli/progress';
export type { CliSetup } from './cli/statistics';
