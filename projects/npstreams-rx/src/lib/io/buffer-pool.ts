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
  /** Memory for one buffer of the file (its bytes, its samples), taken from the pool. */
  alloc: Alloc;
  /** Returns the buffers to the pool, but those in `keep` (which left: moved to another thread). */
  release(keep?: ReadonlySet<ArrayBufferLike>): void;
  /** Runs `fn` when the lease is released (a reader's own memory: buffers a thread sent). */
  onRelease(fn: () => void): void;
}

export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** Allocations for one file; `release` returns them to the pool. */
  lease(): Lease {
    const taken: ArrayBuffer[] = [];
    const callbacks: (() => void)[] = [];
    let released = false;
    return {
      alloc: (bytes) => {
        const buffer = this.take(bytes);
        taken.push(buffer);
        return new Uint8Array(buffer, 0, bytes);
      },
      release: (keep) => {
        if (released) return;
        released = true;
        this.give(keep ? taken.filter((b) => !keep.has(b)) : taken);
        callbacks.forEach((fn) => fn());
      },
      onRelease: (fn) => void callbacks.push(fn),
    };
  }

  /** Buffers to hand out again (a few at most: files of other sizes do not pile buffers up). */
  give(buffers: readonly ArrayBuffer[]): void {
    this.free.push(...buffers.filter((b) => b.byteLength > 0)); // a detached buffer has none
    if (this.free.length > 8) this.free.splice(0, this.free.length - 8);
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
