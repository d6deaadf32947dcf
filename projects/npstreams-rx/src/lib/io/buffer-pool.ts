/**
 * Memory that `load({ reuse: true })` hands out again and again: a file's bytes and its decoded
 * samples go into buffers that served earlier files, instead of fresh allocations the garbage
 * collector must find and free (a 16 MiB frame per file costs a read into untouched pages, then a
 * collection; reused memory costs the read alone).
 */

/** Memory for `bytes` bytes (uninitialised: whoever asks writes all of it). */
export type Alloc = (bytes: number) => Uint8Array;

/** The buffers one file was read and decoded into, released together. */
export interface Lease {
  alloc: Alloc;
  release(): void;
}

export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** Allocations for one file; `release` returns them to the pool. */
  lease(): Lease {
    const taken: ArrayBuffer[] = [];
    let released = false;
    return {
      alloc: (bytes) => {
        const buffer = this.take(bytes);
        taken.push(buffer);
        return new Uint8Array(buffer, 0, bytes);
      },
      release: () => {
        if (released) return;
        released = true;
        this.free.push(...taken);
        // a few spares at most: files of other sizes do not pile buffers up
        if (this.free.length > 8) this.free.splice(0, this.free.length - 8);
      },
    };
  }

  /** The smallest free buffer that holds `bytes`, or a new one. */
  private take(bytes: number): ArrayBuffer {
    let best = -1;
    this.free.forEach((b, i) => {
      if (b.byteLength >= bytes && (best < 0 || b.byteLength < this.free[best].byteLength)) best = i;
    });
    // a free buffer far larger than asked stays for a file that needs it
    if (best >= 0 && this.free[best].byteLength <= 2 * bytes + 65536) return this.free.splice(best, 1)[0];
    return new ArrayBuffer(bytes);
  }
}
