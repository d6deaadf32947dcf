// What names an HDF5 source, light (no imports): the command checks its arguments with it before
// it loads the library.

/** Whether a source names an HDF5 file: a `::` dataset path (silx's convention) or an HDF5 or
 * NeXus extension. */
export function isHdf5Source(source: string): boolean {
  // not an http(s) URL (an IPv6 host holds '::')
  return !/^https?:\/\//i.test(source) && (source.includes('::') || /\.(h5|hdf5|hdf|nxs|nx5|nx)$/i.test(source));
}

/** A path and its dataset (`file.h5::/entry/data/data`; no `::`: the file's default). */
export function splitHdf5Source(source: string): { path: string; dataset: string | null } {
  const at = source.indexOf('::');
  return at < 0 ? { path: source, dataset: null } : { path: source.slice(0, at), dataset: source.slice(at + 2) || null };
}
