import * as tf from '@tensorflow/tfjs-core';

/**
 * The library's accumulator kernels: a generic implementation made of tfjs ops, which
 * every backend can run, and optional per-backend implementations (a fused WebGL shader,
 * a wasm loop) registered later without touching any reduction or operator.
 * Modelled on tfjs's own kernel registry.
 */
const backendImpls = new Map<string, Map<string, (...args: never[]) => unknown>>();

/** Declares a kernel; the returned function dispatches to the active backend's implementation. */
export function defineKernel<A extends unknown[], R>(name: string, generic: (...args: A) => R): (...args: A) => R {
  const impls = new Map<string, (...args: never[]) => unknown>();
  backendImpls.set(name, impls);
  return (...args: A): R => {
    const impl = impls.size ? (impls.get(tf.getBackend()) as ((...args: A) => R) | undefined) : undefined;
    return (impl ?? generic)(...args);
  };
}

/** Gives a backend its own implementation of a kernel declared with `defineKernel`. */
export function registerKernelImpl<A extends unknown[], R>(name: string, backend: string, impl: (...args: A) => R): void {
  const impls = backendImpls.get(name);
  if (!impls) throw new Error(`registerKernelImpl: no kernel named '${name}'; known: ${[...backendImpls.keys()].join(', ')}`);
  impls.set(backend, impl as (...args: never[]) => unknown);
}
