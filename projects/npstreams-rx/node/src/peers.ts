/// <reference types="node" />
// The optional peers of npstreams-rx/node: packages only the queue (bullmq, ioredis) or the command
// line as a function (commander, cli-progress) need, loaded when first used, so that an
// application that never uses them installs none (the command's own bundle carries its two).

/** The queue's packages. */
export interface QueuePackages {
  bullmq: typeof import('bullmq');
  ioredis: typeof import('ioredis');
}

/** What `load` gives; where a package it imports is not installed, an Error saying `missing`. */
async function optionalPeers<T>(load: () => Promise<T>, missing: string): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new Error(missing, { cause: err });
    throw err;
  }
}

/** bullmq and ioredis, for the queue; missing, an Error naming `what` needed them. */
export function queuePackages(what: string): Promise<QueuePackages> {
  return optionalPeers(async () => {
    const [bullmq, ioredis] = await Promise.all([import('bullmq'), import('ioredis')]);
    return { bullmq, ioredis };
  }, `${what}: the queue needs the packages bullmq and ioredis, optional peers of npstreams-rx that are not installed here: npm install bullmq@^6 ioredis@^5`);
}

const cliMissing = (what: string) =>
  `${what}: the command line needs the packages commander and cli-progress, optional peers of npstreams-rx that are not installed here: npm install commander@^14 cli-progress@^3 (npx npstreams-rx runs without them)`;

/** commander, for the command line's parse (loaded first: --help needs nothing else). */
export async function commanderPackage(what: string): Promise<void> {
  await optionalPeers(() => import('commander'), cliMissing(what));
}

/** cli-progress, for the command line's progress, loaded only when a command is about to run. */
export async function progressPackage(what: string): Promise<void> {
  await optionalPeers(() => import('cli-progress'), cliMissing(what));
}
