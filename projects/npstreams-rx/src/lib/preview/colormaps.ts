import { rgb } from 'd3-color';
import { interpolateCividis, interpolateGreys, interpolateInferno, interpolateMagma, interpolatePlasma, interpolateTurbo, interpolateViridis } from 'd3-scale-chromatic';

/** The colormaps toImage knows: matplotlib's perceptually uniform ones (as d3-scale-chromatic
 * publishes them), turbo, and gray (black to white). */
export const COLORMAPS = ['viridis', 'magma', 'inferno', 'plasma', 'cividis', 'turbo', 'gray'] as const;
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

/** A colormap as 256 RGB entries (0..255 each), entry k the color of t = k / 255. */
export function colormapTable(name: ColormapName): Int32Array {
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
