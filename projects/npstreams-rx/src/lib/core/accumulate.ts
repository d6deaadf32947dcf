import * as tf from '@tensorflow/tfjs-core';
import { Observable, type OperatorFunction } from 'rxjs';
import { type AxisPlan, resolveAxis, validateAxisOption } from './axis';
import { CallbackError, EmptyStreamError, IntegerOverflow, OptionError, StreamInputError, describeThrown, overflowError } from './errors';
import { type ArrayInput, type FloatFrameData, FrameBatch, canCastSafely, castTo, floatFrame, formatShape, isTensor, toTensor } from './inputs';
import { emissionLease } from './ownership';
import { untilBackendReady } from './ready';
import type { PreparedItem, Reduction } from './reduction';
import { disposeExcept, tensorsIn, tidyState, withOwnTensors } from './tensors';
import { type WeightReader, type Weights, validateWeightsOption, weightReader } from './weights';

/** Options the core understands for every reduction. */
export interface AccumulateOptions {
  /** npstreams' axis: omitted/-1 the stream axis, null all axes, k an axis of each item. */
  axis?: number | null;
  /** Per-item weights, for reductions that take them. */
  weights?: Weights;
}

/** `scan` emits the running result after every item; `reduce` emits once, on complete;
 * `state` emits the final mergeable state itself, once (see `accumulateState`). */
export type EmitMode = 'scan' | 'reduce' | 'state';

/**
 * The one accumulation core behind every `scanX` and `reduceX` operator (rxjs's
 * `scanInternals`, for streams of arrays), for reductions written outside the library. It owns
 * the subscription, input coercion, the shape and dtype checks, weights, the axis convention,
 * tensor disposal and errors; the reduction only does arithmetic (see Reduction).
 *
 * @param operator The operator's name, which its error messages begin with.
 * @param reduction What to compute: init, update or updateFrames, merge, finalize.
 * @param options `axis` (npstreams' convention) and `weights`, checked now.
 * @param emit `'scan'` after every item, `'reduce'` once on complete, `'state'` the final state.
 * @returns An operator. A `scan` emission stays valid until the operator's next emission or its
 *   teardown (`.clone()` keeps one longer; never dispose it); a `reduce` or `state` emission
 *   belongs to the subscriber. Tensors the core made are disposed on complete, error and
 *   unsubscribe; a user's never are.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { from, lastValueFrom } from 'rxjs';
 * import { type Reduction, accumulate } from 'npstreams-rx';
 *
 * // the elementwise Euclidean norm of a stream: sqrt(x0² + x1² + ...)
 * const norm: Reduction<{ acc: tf.Tensor }> = {
 *   computeDtype: () => 'float32',
 *   init: ({ x }, axes) => ({ acc: axes.length ? tf.sum(tf.square(x), axes) : tf.square(x) }),
 *   update: (state, { x }) => ({ acc: tf.add(state.acc, tf.square(x)) }),
 *   merge: (a, b) => ({ acc: tf.add(a.acc, b.acc) }),
 *   finalize: ({ acc }) => tf.sqrt(acc),
 * };
 * const reduceNorm = () => accumulate('reduceNorm', norm, {}, 'reduce');
 *
 * const result = await lastValueFrom(from([[3, 0], [4, 12], [0, 5]]).pipe(reduceNorm()));
 * console.log(result.arraySync()); // [5, 13]
 * result.dispose();
 * ```
 */
export function accumulate<S extends object, O extends Output = tf.Tensor>(operator: string, reduction: Reduction<S, O>, options: AccumulateOptions, emit: EmitMode): OperatorFunction<ArrayInput, O> {
  validateAxisOption(operator, options.axis);
  validateWeightsOption(operator, options.weights);
  return (source) =>
    new Observable<O>((subscriber) => {
      const run = new Accumulation(operator, reduction, options);
      // made now, while every subscriber downstream is open (see downstreamOf)
      const lease = emissionLease(subscriber);
      const subscription = untilBackendReady(source).subscribe({
        next(item) {
          if (subscriber.closed) return;
          let out: O | null = null;
          try {
            run.push(item);
            if (emit === 'scan') out = run.result();
          } catch (err) {
            subscriber.error(err);
            return;
          }
          if (out) lease.emit(out);
        },
        error(err) {
          subscriber.error(err);
        },
        complete() {
          // A synchronous source may still complete after an item failed and closed the subscriber.
          if (subscriber.closed) return;
          if (emit !== 'scan') {
            if (run.count === 0) {
              subscriber.error(new EmptyStreamError(operator));
              return;
            }
            let out: O;
            try {
              out = emit === 'state' ? (run.takeState() as unknown as O) : run.result();
            } catch (err) {
              subscriber.error(err);
              return;
            }
            run.dispose();
            subscriber.next(out);
          }
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        run.dispose();
        lease.teardown();
      };
    });
}

/**
 * The final state of a reduction, emitted once on complete: partial results computed on separate
 * streams (workers, files, machines) combine with the reduction's `merge` into the same result as
 * one pass over everything. An empty stream errors with an EmptyStreamError.
 *
 * @param operator The operator's name, which its error messages begin with.
 * @param reduction The reduction whose state is wanted.
 * @param options `axis` (the stream axis or null: an item axis has no mergeable state) and `weights`.
 * @returns An operator emitting the state once. Its tensors belong to the subscriber: dispose
 *   them (or the merged state's) when done.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { from, lastValueFrom } from 'rxjs';
 * import { type Reduction, accumulateState } from 'npstreams-rx';
 *
 * const total: Reduction<{ acc: tf.Tensor }> = {
 *   computeDtype: () => 'float32',
 *   init: ({ x }, axes) => ({ acc: axes.length ? tf.sum(x, axes) : x.clone() }),
 *   merge: (a, b) => ({ acc: tf.add(a.acc, b.acc) }),
 *   finalize: ({ acc }) => acc.clone(),
 * };
 * // two parts of a stream reduced apart (in two workers, say), then merged
 * const a = await lastValueFrom(from([[1, 2], [3, 4]]).pipe(accumulateState('sumState', total, {})));
 * const b = await lastValueFrom(from([[5, 6]]).pipe(accumulateState('sumState', total, {})));
 * const merged = tf.tidy(() => total.merge(a, b));
 * console.log(merged.acc.arraySync()); // [9, 12]
 * tf.dispose([a.acc, b.acc, merged.acc]);
 * ```
 */
export function accumulateState<S extends object>(operator: string, reduction: Reduction<S, unknown>, options: AccumulateOptions): OperatorFunction<ArrayInput, S> {
  return accumulate(operator, reduction as unknown as Reduction<S, S & Output>, options, 'state');
}

/** The state of one subscription of one reduction. */
class Accumulation<S extends object, O extends Output> {
  /** Items accumulated so far. */
  count = 0;
  private state: S | null = null;
  /** Per-item results, for an item axis. */
  private columns: O[] = [];
  private shape: number[] = [];
  private dtype: tf.DataType = 'float32';
  private firstDtype: tf.DataType = 'float32';
  private computeDtype: tf.DataType = 'float32';
  private plan: AxisPlan = { kind: 'stream' };
  private readonly readWeight: WeightReader | null;

  constructor(
    private readonly operator: string,
    private readonly reduction: Reduction<S, O>,
    private readonly options: AccumulateOptions,
  ) {
    this.readWeight = options.weights === undefined ? null : weightReader(operator, options.weights, reduction.weightKind);
  }

  /** Folds one stream item into the state (a FrameBatch counts as its frames); throws, having
   * disposed what it made, on bad input. */
  push(value: ArrayInput | FrameBatch): void {
    if (value instanceof FrameBatch) this.pushBatch(value);
    else this.pushItem(value);
  }

  /** One item: through the frames path where it is a frame (float32 data, or 8/16-bit integers)
   * and the reduction and the backend take it, else through the tensor path. */
  private pushItem(value: ArrayInput): void {
    const index = this.count;
    // the item's weight, read once (an iterable of weights is consumed)
    let w: number | tf.Tensor | undefined;
    const weight = (): number | tf.Tensor => (w ??= this.readWeight ? this.readWeight(value, index, this.shape) : 1);
    const frame = this.framesOpen() ? floatFrame(value) : null;
    if (frame) {
      this.check(frame.shape, frame.dtype, index);
      const wv = weight();
      if (typeof wv === 'number' && this.foldFrames([frame.data], wv, index)) {
        this.count++;
        return;
      }
    }
    this.pushTensor(value, index, weight);
    this.count++;
  }

  /** A FrameBatch: its frames folded in at once where the reduction and the backend can, else
   * one by one as items (which names a bad one by its index). */
  private pushBatch({ frames, shape }: FrameBatch): void {
    let from = 0;
    if (this.state === null && frames.length > 0) {
      this.pushItem({ data: frames[0], shape }); // the first item starts the state, as any item does
      from = 1;
    }
    const rest = from === 0 ? frames : frames.slice(from);
    if (rest.length === 0) return;
    if (this.framesOpen() && this.readWeight === null) {
      const framed = rest.map((data) => floatFrame({ data, shape }));
      if (framed.every((f) => f !== null)) {
        framed.forEach((f, k) => this.check(f!.shape, f!.dtype, this.count + k));
        if (
          this.foldFrames(
            framed.map((f) => f!.data),
            1,
            this.count,
          )
        ) {
          this.count += rest.length;
          return;
        }
      }
    }
    for (const data of rest) this.pushItem({ data, shape });
  }

  /** Whether items may take the frames path: a state to fold into, along the stream axis, in
   * float32, and a reduction with updateFrames. */
  private framesOpen(): boolean {
    return this.state !== null && this.plan.kind === 'stream' && this.computeDtype === 'float32' && this.reduction.updateFrames !== undefined;
  }

  /** The frames path (Reduction.updateFrames), each frame of weight `w`: true when the reduction
   * folded them in, false where it cannot (the backend has no frame kernels). */
  private foldFrames(frames: readonly FloatFrameData[], w: number, index: number): boolean {
    const { reduction } = this;
    const state = this.state as S;
    const next = this.wrapItemErrors(index, () => tidyState(() => reduction.updateFrames!(state, frames, w)));
    if (next === null) return false;
    this.state = next;
    disposeExcept(tensorsIn(next), state);
    return true;
  }

  /** The tensor path: the item made a tensor, checked, cast to the compute dtype and folded in
   * (Reduction.init, update or merge), or reduced along its axis (an item axis). */
  private pushTensor(value: ArrayInput, index: number, weight: () => number | tf.Tensor): void {
    const raw = toTensor(value, `${this.operator}: item ${index}`, index);
    let x = raw;
    let w: number | tf.Tensor | undefined;
    try {
      if (index === 0) this.start(raw);
      else this.check(raw.shape, raw.dtype, index);
      if (raw.dtype !== this.computeDtype) {
        const { reduction, computeDtype } = this;
        x = tf.tidy(() => (reduction.prepare ? reduction.prepare(raw) : castTo(raw, computeDtype)));
      }
      w = weight();
      const item: PreparedItem = { x, w };
      const { reduction, plan } = this;
      const previous = this.state;
      if (plan.kind === 'item') {
        this.columns.push(this.wrapItemErrors(index, () => tidyState(() => finalizeOwned(reduction, reduction.init(item, [plan.axis])))));
      } else {
        const next = this.wrapItemErrors(index, () =>
          tidyState(() => {
            const axes = plan.kind === 'all' ? plan.axes : [];
            if (previous === null) return reduction.init(item, axes);
            if (plan.kind === 'stream' && reduction.update) return reduction.update(previous, item);
            return reduction.merge(previous, reduction.init(item, axes));
          }),
        );
        this.state = next;
        disposeExcept(tensorsIn(next), previous);
      }
    } finally {
      disposeExcept(tensorsIn(this.state), raw, x, w);
    }
  }

  /** The current result as a new tensor, owned by the caller. */
  result(): O {
    const { columns } = this;
    if (this.plan.kind === 'item') {
      if (isTensor(columns[0])) return tf.stack(columns as tf.Tensor[], -1) as O;
      const keys = Object.keys(columns[0]);
      return Object.fromEntries(
        keys.map((k) => [
          k,
          tf.stack(
            columns.map((c) => (c as Record<string, tf.Tensor>)[k]),
            -1,
          ),
        ]),
      ) as O;
    }
    const state = this.state as S;
    return tidyState(() => finalizeOwned(this.reduction, state));
  }

  /** Hands the state over to the caller (for `accumulateState`); the accumulation forgets it. */
  takeState(): S {
    if (this.plan.kind === 'item') {
      throw new OptionError(`${this.operator}: a reduction along an item axis stacks finished results and has no mergeable state; use axis -1 or null`);
    }
    const state = this.state as S;
    this.state = null;
    return state;
  }

  dispose(): void {
    disposeExcept(new Set(), this.state, this.columns);
    this.state = null;
    this.columns = [];
  }

  /** Runs the reduction's arithmetic on item `index`; anything it throws but the library's own
   * errors (shapes a linear algebra operation cannot combine, a user's ufunc failing, even a
   * thrown string) becomes a StreamInputError naming the operator and the item, with the
   * original as `cause`. */
  private wrapItemErrors<T>(index: number, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof IntegerOverflow) throw overflowError(this.operator, index, err);
      if (err instanceof StreamInputError || err instanceof OptionError) throw err;
      const cause = err instanceof CallbackError ? err.cause : err;
      throw new StreamInputError(`${this.operator}: item ${index}: ${err instanceof Error ? err.message : describeThrown(err)}`, index, { cause });
    }
  }

  private start(first: tf.Tensor): void {
    this.shape = first.shape;
    // bool counts as int32 (NumPy's sum of bools is an integer sum): int32 items may follow
    this.firstDtype = first.dtype;
    this.dtype = first.dtype === 'bool' ? 'int32' : first.dtype;
    this.computeDtype = this.reduction.computeDtype(first.dtype);
    this.plan = resolveAxis(this.operator, this.options.axis, first.rank);
  }

  private check(shape: readonly number[], dtype: tf.DataType, index: number): void {
    const sameShape = shape.length === this.shape.length && shape.every((d, i) => d === this.shape[i]);
    if (!sameShape && this.reduction.fixedShape !== false) {
      throw new StreamInputError(`${this.operator}: item ${index} has shape ${formatShape(shape)}, expected ${formatShape(this.shape)} (the shape of item 0)`, index);
    }
    if (!canCastSafely(dtype, this.dtype)) {
      throw new StreamInputError(
        `${this.operator}: item ${index} has dtype ${dtype}, expected ${this.dtype} (${this.firstDtype === this.dtype ? 'the dtype of item 0' : `item 0 was ${this.firstDtype}, which counts as ${this.dtype}`}); cast it before the operator`,
        index,
      );
    }
  }
}

/** What an operator emits: a tensor, or an object of tensors ({ average, variance }). */
export type Output = tf.Tensor | { [key: string]: tf.Tensor };

/** finalize, guaranteeing tensors that are not part of the state (so the state can be disposed). */
export function finalizeOwned<S extends object, O>(reduction: Reduction<S, O>, state: S): O {
  return withOwnTensors(reduction.finalize(state), state);
}
