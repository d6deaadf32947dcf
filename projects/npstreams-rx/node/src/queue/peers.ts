/// <reference types="node" />

/** The queue's packages: optional peers of npstreams-rx, installed by those who use the queue. */
export interface QueuePackages {
  bullmq: typeof import('bullmq');
  ioredis: typeof import('ioredis');
}

/**
 * bullmq and ioredis, loaded when a queue is first used (so that an application that never uses
 * the queue installs neither: they are optional peers). Missing, they are an Error saying what
 * to install, naming `what` needed them.
 */
export async function queuePackages(what: string): Promise<QueuePackages> {
  try {
    const [bullmq, ioredis] = await Promise.all([import('bullmq'), import('ioredis')]);
    return { bullmq, ioredis };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(`${what}: the queue needs the packages bullmq and ioredis, optional peers of npstreams-rx that are not installed here: npm install bullmq@^6 ioredis@^5`, { cause: err });
    }
    throw err;
  }
}
