/// <reference types="node" />
import { type FormatName, FileFormatError, type Frame, type ReadSource } from 'npstreams-rx';
import { buffersOf } from 'npstreams-rx/worker';
import { threadPool } from './worker-pool';

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

/** What a decoding thread sends back for one file. */
export type DecodeOutcome = { frames: Frame[] } | { error: { stage: 'read' | 'decode'; message: string; code?: string } };

/** Threads that read and decode files, and the ReadSource that hands them paths. */
export interface DecodePool {
  read: ReadSource<string>;
  terminate(): Promise<void>;
}

/**
 * `size` worker threads (workerpool) that each read a file and decode it (the library's decoders;
 * no tfjs in them), the frames' buffers moved back to this thread without a copy. `loader` is a
 * format name (a function cannot cross to a thread). With load's reuse, a frame's buffers go back
 * to a thread once load is done with the frame, and the thread reads and decodes into them again.
 */
export function decodePool(size: number, loader?: FormatName): DecodePool {
  const { run, terminate } = threadPool(decodeScript, size);
  // load's reuse: the memory of frames that are done with goes back to a thread with its next file
  const spares: ArrayBuffer[] = [];
  const read: ReadSource<string> = async (path, signal, lease) => {
    const give = spares.splice(0, 2);
    const outcome = await run<DecodeOutcome>('decode', [path, loader, give], give, signal);
    if ('frames' in outcome) {
      lease?.onRelease(() => spares.push(...buffersOf(outcome.frames).slice(0, Math.max(0, 2 * size + 2 - spares.length))));
      return { frames: outcome.frames, name: path };
    }
    const { stage, message, code } = outcome.error;
    if (stage === 'decode') throw new FileFormatError(path, message);
    throw Object.assign(new Error(message), { code });
  };
  return { read, terminate };
}
