// The script every worker thread of npstreams-rx/node's pools runs (workerPool, parallelReduce):
// it loads the library in the thread and registers the functions the pool calls.
import { runWorker } from '../fesm2022/npstreams-rx-node.mjs';

await runWorker();
