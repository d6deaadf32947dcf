/** The bytes of a file under spec/fixtures: read from disk in Node, fetched from Karma's server
 * (/base/spec/fixtures/..., see karma.conf.js) in the browser. */
export async function fixtureBytes(path: string): Promise<Uint8Array> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const fs = await import('node:fs/promises');
    return new Uint8Array(await fs.readFile(`spec/fixtures/${path}`));
  }
  const response = await fetch(`/base/spec/fixtures/${path}`);
  if (!response.ok) throw new Error(`fixture ${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Where a fixture is served, as a URL the library's `load` fetches (browser) */
export const fixtureUrl = (path: string): string => `/base/spec/fixtures/${path}`;

/** Values as expected.json writes them (NaN as null, ±inf as strings) back to numbers. */
export const fromJson = (values: (number | string | null)[]): number[] => values.map((v) => (v === null ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number)));
