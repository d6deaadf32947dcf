// The process `npm run bench:hostile` (bench/hostile/run.ts) watches: it loads each file of a list
// alone through load() from npstreams-rx/node, as a user's script would (no workers: the
// library's decoders in this thread, what only a dependency decodes on a thread under a 5 s
// deadline), and says what came of it on stdout, one line per file: `start K` before, then a JSON
// line. run.ts kills it where a file takes too long or too much memory, and starts another from
// the next file.
//   node child.mjs LIST FROM
import { readFileSync, writeSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import { load } from 'npstreams-rx/node';

const [list, from = '0'] = process.argv.slice(2);
const paths = readFileSync(list, 'utf8').split('\n').filter(Boolean);
const say = (line: string) => writeSync(1, `${line}\n`);

for (let k = Number(from); k < paths.length; k++) {
  say(`start ${k}`);
  const started = performance.now();
  let result: object;
  try {
    const frames = await lastValueFrom(load(paths[k], { deadline: 5000 }).pipe(toArray()));
    result = { frames: frames.map((f) => ({ shape: f.shape, samples: f.data.length })) };
  } catch (err) {
    result = { refused: err instanceof Error ? err.message : String(err), name: err instanceof Error ? err.name : typeof err };
  }
  say(JSON.stringify({ k, ms: Math.round(performance.now() - started), ...result }));
}
