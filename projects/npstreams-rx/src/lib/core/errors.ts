/** Errors raised by npstreams-rx operators. Every message names the operator and, where
 * there is one, the index of the stream item at fault. */

/** Raised by `reduceX` operators and `lastValue()` when the stream completes without an item. */
export class EmptyStreamError extends Error {
  constructor(operator: string) {
    super(`${operator}: the stream completed without emitting any array, so there is nothing to reduce`);
    this.name = 'EmptyStreamError';
  }
}

/** Raised when a stream item (or its weight) cannot be used: not an array, wrong shape or
 * dtype, a NaN weight; or when a user's callback (weights, ufunc) failed on it, with what it
 * threw as `cause`. */
export class StreamInputError extends Error {
  constructor(
    message: string,
    /** Index of the offending stream item (0-based), or -1 when the error is not about one item. */
    readonly index: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StreamInputError';
  }
}

/** Thrown where a user's callback failed (threw, returned no tensor or one of the wrong
 * shape); the core turns it into a StreamInputError naming the operator and the item, with
 * `cause` (what the callback threw, where it threw) carried over. */
export class CallbackError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'CallbackError';
  }
}

/** What a user's callback threw (an Error or anything else), as text for a message. */
export function describeThrown(err: unknown): string {
  return err instanceof Error ? err.message : `${typeof err === 'string' ? JSON.stringify(err) : String(err)} (not an Error)`;
}

/**
 * Raised when an int32 sum leaves the int32 range (NumPy would accumulate in int64; this
 * library never wraps silently): the message names the operator and the item, and the
 * alternative (`dtype: 'float32'`).
 */
export class OverflowError extends StreamInputError {
  constructor(message: string, index: number) {
    super(message, index);
    this.name = 'OverflowError';
  }
}

/** What a kernel throws when an int32 sum would wrap; the core turns it into an OverflowError
 * naming the operator and the item. */
export class IntegerOverflow extends Error {
  constructor(
    readonly limit: number,
    /** What overflowed: the sum, or the product. */
    what: 'sum' | 'product' = 'sum',
  ) {
    super(
      limit === 2 ** 31 - 1
        ? `the int32 ${what} leaves the int32 range (|${what}| > 2147483647) and would wrap`
        : `the int32 ${what} passes ${limit}, beyond which this backend is not exact (WebGL keeps int32 in float32)`,
    );
    this.name = 'IntegerOverflow';
  }
}

/** The OverflowError for an IntegerOverflow at item `index` (-1: in a merge) of `operator`. */
export function overflowError(operator: string, index: number, err: IntegerOverflow): OverflowError {
  const where = index >= 0 ? `${operator}: item ${index}` : operator;
  const float32 = err.message.includes('product') ? "(dtype: 'float32', or float32 data)" : "(dtype: 'float32', or float32 data or weights), compensated to ~48 bits";
  return new OverflowError(`${where}: ${err.message} (NumPy accumulates int32 in int64); accumulate in float32 instead ${float32}`, index);
}

/** Raised when an operator's options are invalid (checked when the operator is made). */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

/** Raised by `useBackend` when the requested backend cannot start, or (with no name) when none
 * can; the message says why. */
export class BackendError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
  }
}
