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

/** Gives a backend its own implementation of a kernel declared with `defineKernel`. */
export function registerKernelImpl<A extends unknown[], R>(name: string, backend: string, impl: (...args: A) => R): void {
  const impls = registry.get(name);
  if (!impls) throw new Error(`registerKernelImpl: no kernel named '${name}'; known: ${[...registry.keys()].join(', ')}`);
  impls.set(backend, impl as (...args: never[]) => unknown);
}

/** Registers a backend's implementations of several kernels, by kernel name. */
export function registerKernels(backend: string, impls: Record<string, (...args: never[]) => unknown>): void {
  for (const [name, impl] of Object.entries(impls)) registerKernelImpl(name, backend, impl as (...args: unknown[]) => unknown);
}

/**
 * Selects the fused kernels (the default) or the tfjs-op reference implementations for every
 * backend: the reference is slower but is what the fused kernels are tested against.
 */
export function setKernelImplementation(which: KernelImplementation): void {
  if (which !== 'fused' && which !== 'reference') throw new Error(`setKernelImplementation: expected 'fused' or 'reference'; received ${String(which)}`);
  implementation = which;
}

/** The kernels that have a fused implementation on `backend` (the active one by default). */
export function fusedKernels(backend = tf.getBackend()): string[] {
  return [...registry].filter(([, impls]) => impls.has(backend)).map(([name]) => name);
}
