/** How a colorize kernel maps values: a fixed range, the finite min and max, or percentiles
 * of the finite values (fractions in [0, 1], from a 1024-bin histogram). */
export type ColorRange = readonly [number, number] | 'auto' | { fractions: readonly [number, number] };

/** What a fused colorize gives: the image as packed RGBA pixels (ImageData's bytes, from offset 0
 * of their buffer; valid until the next colorize, which may write the same memory) and the range
 * drawn. */
export interface Colorized {
  pixels: Int32Array;
  lo: number;
  hi: number;
}
