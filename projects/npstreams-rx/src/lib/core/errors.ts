/** Errors raised by npstreams-rx operators. Every message names the operator and, where
 * there is one, the index of the stream item at fault. */

/** Raised by `reduceX` operators and `lastValue()` when the stream completes without an item. */
export class EmptyStreamError extends Error {
  constructor(operator: string) {
    super(`${operator}: the stream completed without emitting any array, so there is nothing to reduce`);
    this.name = 'EmptyStreamError';
  }
}

/** Raised when a stream item (or its weight) cannot be used: not an array, wrong shape or dtype. */
export class StreamInputError extends Error {
  constructor(
    message: string,
    /** Index of the offending stream item (0-based), or -1 when the error is not about one item. */
    readonly index: number,
  ) {
    super(message);
    this.name = 'StreamInputError';
  }
}

/** Raised when an operator's options are invalid (checked when the first item arrives). */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

/** Raised by `useBackend` when the requested backend cannot start. */
export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendError';
  }
}
