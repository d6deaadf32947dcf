// Bundles the specs for Node with esbuild (TypeScript in, one ESM file out; packages stay external).
import { build } from 'esbuild';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every *.spec.ts under spec/, sorted, as paths relative to the repo root. */
export function specFiles(dir = 'spec') {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? specFiles(path) : name.endsWith('.spec.ts') ? [path] : [];
    })
    .sort();
}

export async function bundleNodeSpecs(outDir = '.tmp/node') {
  mkdirSync(outDir, { recursive: true });
  const entry = join(outDir, 'entry.ts');
  writeFileSync(entry, specFiles().map((f) => `import '${relative(outDir, f).replace(/\\/g, '/')}';`).join('\n') + '\n');
  const outfile = join(outDir, 'specs.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
