import { OptionError } from '../core/errors';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The library's accumulator kernels: a reference implementation made of tfjs ops, which every
 * backend runs (kernels/reference/), and fused per-backend implementations (kernels/cpu/,
 * kernels/wasm/, kernels/webgl/, kernels/webgpu/) that do one pass over a frame per item.
 * Modelled on tfjs's own kernel registry: a kernel is declared once with its reference
 * implementation, and a backend registers its own without touching any reduction or operator.
 */
const registry = new Map<string, Map<string, (...args: never[]) => unknown>>();

/** Which implementations the kernels dispatch to: the backend's fused one where it has one, or the tfjs-op reference. */
export type KernelImplementation = 'fused' | 'reference';
let implementation: KernelImplementation = 'fused';

/** Declares a kernel; the returned function dispatches to the active backend's implementation. */
export function defineKernel<A extends unknown[], R>(name: string, reference: (...args: A) => R): (...args: A) => R {
  const impls = new Map<string, (...args: never[]) => unknown>();
  registry.set(name, impls);
  return (...args: A): R => {
    const impl = implementation === 'fused' && impls.size ? (impls.get(tf.getBackend()) as ((...args: A) => R) | undefined) : undefined;
    return (impl ?? reference)(...args);
  };
}

/**
 * Gives a backend its own implementation of one of the library's accumulator kernels (sumAdd,
 * sumValue, momentsUpdate, momentsValue, momentsMerge, extremaUpdate, histogramUpdate, the frame
 * kernels, colorize, pool2d, meanAll, bitwiseAnd, intSumAlong), as the library's kernels/<backend>/register.ts
 * do: while that backend is active (and `setKernelImplementation('fused')`, the default), the
 * kernel runs it instead of its tfjs-op reference. It must take the reference's arguments and
 * give what the reference gives, with the same ownership (see the kernel's comment). A later
 * registration for the same kernel and backend replaces the earlier one. An unknown kernel name
 * throws an Error listing the known ones.
 *
 * @param name The kernel's name, e.g. `'sumAdd'`.
 * @param backend The tfjs backend's name (`tf.getBackend()` while it is active).
 * @param impl The implementation, called with the kernel's arguments.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { fusedKernels, registerKernelImpl } from 'npstreams-rx';
 *
 * // a backend of your own, registered with tf.registerBackend('my-backend', ...), whose
 * // BitwiseAnd kernel the bitwiseAnd ufunc should use
 * registerKernelImpl('bitwiseAnd', 'my-backend', (a: tf.Tensor, b: tf.Tensor) => tf.bitwiseAnd(a, b));
 * console.log(fusedKernels('my-backend')); // ['bitwiseAnd']
 * ```
 */
export function registerKernelImpl<A extends unknown[], R>(name: string, backend: string, impl: (...args: A) => R): void {
  const impls = registry.get(name);
  if (!impls) throw new OptionError(`registerKernelImpl: no kernel named '${name}'; known: ${[...registry.keys()].join(', ')}`);
  impls.set(backend, impl as (...args: never[]) => unknown);
}

/** Registers a backend's implementations of several kernels, by kernel name. */
export function registerKernels(backend: string, impls: Record<string, (...args: never[]) => unknown>): void {
  for (const [name, impl] of Object.entries(impls)) registerKernelImpl(name, backend, impl as (...args: unknown[]) => unknown);
}

/**
 * Selects the fused kernels (the default) or the tfjs-op reference implementations for every
 * backend: the reference is slower but is what the fused kernels are tested against. It applies
 * to every operator from the next kernel call on (streams in progress included). Anything but
 * 'fused' or 'reference' throws an Error.
 *
 * @param which `'fused'` or `'reference'`.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceSum, setKernelImplementation } from 'npstreams-rx';
 *
 * setKernelImplementation('reference'); // tfjs ops only, on every backend
 * const sum = await lastValueFrom(from([[1, 2], [3, 4]]).pipe(reduceSum()));
 * console.log(sum.arraySync()); // [4, 6], as with the fused kernels
 * sum.dispose();
 * setKernelImplementation('fused');
 * ```
 */
export function setKernelImplementation(which: KernelImplementation): void {
  if (which !== 'fused' && which !== 'reference') throw new OptionError(`setKernelImplementation: expected 'fused' or 'reference'; received ${String(which)}`);
  implementation = which;
}

/**
 * The kernels that have a fused implementation on a backend: what runs there instead of the
 * tfjs-op reference (while `setKernelImplementation` is 'fused').
 *
 * @param backend A tfjs backend's name; default: the active one (`tf.getBackend()`; before any
 *   backend is set, there is none, and the list is empty).
 * @returns A new array of kernel names, in the order the kernels were declared.
 *
 * @example
 * ```ts
 * import { fusedKernels } from 'npstreams-rx';
 *
 * console.log(fusedKernels('cpu'));
 * // ['sumAdd', 'sumValue', 'momentsUpdate', 'momentsValue', 'momentsMerge', 'extremaUpdate',
 * //  'histogramUpdate', 'momentsUpdateFrames', 'colorize']
 * ```
 */
export function fusedKernels(backend = tf.getBackend()): string[] {
  return [...registry].filter(([, impls]) => impls.has(backend)).map(([name]) => name);
}
