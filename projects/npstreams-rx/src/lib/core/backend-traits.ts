/**
 * What the core must know of a tfjs backend's behaviour to keep its contracts, declared by
 * backends/ (backends/traits.ts) for the backends it knows: the core names no backend.
 */
export interface BackendTraits {
  /** It frees a tensor's buffer while a `data()` of it is pending (the read then fails): the
   * core counts an emission's reads and disposes it after them (see core/ownership.ts). */
  disposeOutrunsReads?: boolean;
  /** Its cast of int32 or bool to float32 relabels the int32 buffer, which some of its own
   * programs then reject: the core writes a real float32 buffer (see castTo). */
  castRelabelsBuffers?: boolean;
  /** It has no reliable synchronous read (`dataSync`): the core reads nothing back in an item's
   * turn (a weight tensor's values go unchecked there; see core/weights.ts). */
  noSyncRead?: boolean;
}

const declared = new Map<string, BackendTraits>();

/** Declares a backend's traits (backends/traits.ts). */
export function declareBackendTraits(backend: string, traits: BackendTraits): void {
  declared.set(backend, { ...declared.get(backend), ...traits });
}

/** The traits declared for a backend; none for a backend nobody declared. */
export function traitsOf(backend: string): BackendTraits {
  return declared.get(backend) ?? {};
}
