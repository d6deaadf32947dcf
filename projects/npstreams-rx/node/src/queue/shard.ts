import { type FormatName, type PartialRecipe, ɵpartialOperatorOf as partialOperatorOf, ɵcheckRecipe as checkRecipe } from 'npstreams-rx';

/** The job name of a shard on the queue. */
export const SHARD_JOB = 'npstreams-rx/shard';
const LOADERS = new Set<FormatName>(['npy', 'png', 'tiff', 'jpeg']);
/** At most this many files per shard, and this long a path. */
const MAX_FILES = 100_000;
const MAX_PATH = 4096;

/**
 * A shard as it travels on the queue (the job's data): plain JSON a worker checks before it
 * touches anything. The state a worker makes goes to the Redis key `stateKey(queue, run, shard)`:
 * derived from the run and the shard, never named by the payload.
 */
export interface ShardJob {
  kind: typeof SHARD_JOB;
  version: 1;
  /** The submit's run id (letters, digits, - and _). */
  run: string;
  /** The shard's index (its place in the merge) and the run's number of shards so far. */
  shard: number;
  /** The files, read by the worker (a shared file system or the same paths on every machine). */
  files: string[];
  /** The statistic (unweighted: files carry no weights). */
  recipe: PartialRecipe;
  skipBad: boolean;
  loader?: FormatName;
}

/** What a worker answers for a shard (the job's return value). */
export interface ShardOutcome {
  /** Where the serialized partial state is (null: every file was skipped, no state). */
  stateKey: string | null;
  frames: number;
  files: number;
  skipped: { file: string; message: string }[];
  bytes: number;
  /** The worker's name (host:pid). */
  worker: string;
  /** Milliseconds the worker spent on the shard. */
  ms: number;
}

/** Progress a worker reports while it reduces a shard. */
export interface ShardProgress {
  frames: number;
  files: number;
}

/** Raised for a job whose data is not a shard descriptor: that job fails, the worker goes on. */
export class ShardPayloadError extends Error {
  constructor(message: string) {
    super(`not a shard descriptor: ${message}`);
    this.name = 'ShardPayloadError';
  }
}

/** What a run's id is made of: 8 to 64 letters, digits, - or _ (it goes into Redis keys). */
export const RUN_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The Redis key of a shard's state. */
export function stateKey(queue: string, run: string, shard: number): string {
  return `npstreams-rx:state:${queue}:${run}:${shard}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The job's data as a ShardJob, or a ShardPayloadError saying what is wrong with it. */
export function checkShardJob(data: unknown): ShardJob {
  const bad = (what: string): never => {
    throw new ShardPayloadError(what);
  };
  if (!isObject(data)) return bad(`the data is ${data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data}, not an object`);
  const allowed = new Set(['kind', 'version', 'run', 'shard', 'files', 'recipe', 'skipBad', 'loader']);
  const extra = Object.keys(data).filter((k) => !allowed.has(k));
  if (extra.length) bad(`unknown fields ${extra.slice(0, 5).join(', ')}`);
  if (data['kind'] !== SHARD_JOB) bad(`kind is ${JSON.stringify(data['kind'])?.slice(0, 40)}, not '${SHARD_JOB}'`);
  if (data['version'] !== 1) bad(`version ${JSON.stringify(data['version'])?.slice(0, 20)} (this worker reads version 1)`);
  const run = data['run'];
  if (typeof run !== 'string' || !RUN_ID.test(run)) bad('run is not 8 to 64 letters, digits, - or _');
  const shard = data['shard'];
  if (!Number.isInteger(shard) || (shard as number) < 0 || (shard as number) > 1e7) bad('shard is not an integer in 0..1e7');
  const files = data['files'];
  if (!Array.isArray(files) || files.length === 0 || files.length > MAX_FILES) bad(`files is not a list of 1 to ${MAX_FILES} paths`);
  for (const f of files as unknown[]) {
    if (typeof f !== 'string' || f.length === 0 || f.length > MAX_PATH || f.includes('\0')) bad(`files holds ${JSON.stringify(f)?.slice(0, 60)}, not a path`);
  }
  if (typeof data['skipBad'] !== 'boolean') bad('skipBad is not a boolean');
  const loader = data['loader'];
  if (loader !== undefined && !LOADERS.has(loader as FormatName)) bad(`loader ${JSON.stringify(loader)?.slice(0, 20)} is not npy, png, tiff or jpeg`);
  const recipe = checkJobRecipe(data['recipe'], bad);
  return {
    kind: SHARD_JOB,
    version: 1,
    run: run as string,
    shard: shard as number,
    files: files as string[],
    recipe,
    skipBad: data['skipBad'] as boolean,
    ...(loader ? { loader: loader as FormatName } : {}),
  };
}

/** The recipe: the catalogue's checks of its data, then the library's own as it makes the
 * operator (ufunc names, bin edges...). */
function checkJobRecipe(recipe: unknown, bad: (what: string) => never): PartialRecipe {
  let checked: PartialRecipe;
  try {
    checked = checkRecipe(recipe);
  } catch (err) {
    return bad((err as Error).message);
  }
  try {
    partialOperatorOf(checked);
  } catch (err) {
    bad(`recipe: ${(err as Error).message}`);
  }
  return checked;
}
