import { rgb } from 'd3-color';
import { interpolateCividis, interpolateGreys, interpolateInferno, interpolateMagma, interpolatePlasma, interpolateTurbo, interpolateViridis } from 'd3-scale-chromatic';

/** The colormaps toImage knows: matplotlib's perceptually uniform ones (as d3-scale-chromatic
 * publishes them), turbo, and gray (black to white). */
export const COLORMAPS = ['viridis', 'magma', 'inferno', 'plasma', 'cividis', 'turbo', 'gray'] as const;
/** The name of a colormap of `COLORMAPS`. */
export type ColormapName = (typeof COLORMAPS)[number];

const INTERPOLATORS: Record<ColormapName, (t: number) => string> = {
  viridis: interpolateViridis,
  magma: interpolateMagma,
  inferno: interpolateInferno,
  plasma: interpolatePlasma,
  cividis: interpolateCividis,
  turbo: interpolateTurbo,
  // d3's Greys runs from white to black: reversed, black (low) to white (high)
  gray: (t) => interpolateGreys(1 - t),
};

const tables = new Map<ColormapName, Int32Array>();

/**
 * A colormap as 256 RGB entries (0..255 each), entry k the color of t = k / 255: the table
 * `toImage` and `drawImage` map values through (for a colour bar, or a legend drawn apart).
 *
 * @param name A colormap of `COLORMAPS`.
 * @returns An Int32Array of 768 values, r, g, b of entry 0, then of entry 1...: a copy, yours
 *   to change (the library keeps its own).
 *
 * @example
 * ```ts
 * import { colormapTable } from 'npstreams-rx';
 *
 * const gray = colormapTable('gray');
 * console.log(gray.length, Array.from(gray.subarray(0, 3)), Array.from(gray.subarray(765))); // 768 [0, 0, 0] [255, 255, 255]
 * ```
 */
export function colormapTable(name: ColormapName): Int32Array {
  return sharedTable(name).slice();
}

/** The library's own table of a colormap, made once (never handed out: a caller could change it). */
export function sharedTable(name: ColormapName): Int32Array {
  let table = tables.get(name);
  if (!table) {
    const interpolate = INTERPOLATORS[name];
    table = new Int32Array(256 * 3);
    for (let k = 0; k < 256; k++) {
      const c = rgb(interpolate(k / 255));
      table.set([Math.round(c.r), Math.round(c.g), Math.round(c.b)], 3 * k);
    }
    tables.set(name, table);
  }
  return table;
}
