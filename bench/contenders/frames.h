/* The benchmark's frames, identical in every contender (C, JS, Python): element i of frame k
 * is a 32-bit integer hash of (i, k) scaled to [0, 1) with 24 bits, so exactly a float32. */
#include <stdint.h>
static inline float frame_value(uint32_t i, uint32_t k) {
  uint32_t h = i * 0x9E3779B1u + (k + 1u) * 0x85EBCA77u;
  h ^= h >> 15; h *= 0x2C1B3C6Du; h ^= h >> 12; h *= 0x297A2D39u; h ^= h >> 15;
  return (float)(h >> 8) * (1.0f / 16777216.0f);
}
