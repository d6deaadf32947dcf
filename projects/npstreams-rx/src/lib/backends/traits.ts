import { declareBackendTraits } from '../core/backend-traits';

/**
 * What the core must know of the tfjs backends it runs on (see core/backend-traits.ts), as
 * measured with tfjs 4.22. Imported once by backends/use-backend.ts.
 */
export function declareKnownBackendTraits(): void {
  // tfjs-backend-webgpu frees a buffer under a pending read ("Cannot read properties of
  // undefined"), casts int32 to float32 by relabelling the buffer (TransposeProgram: "expected
  // f32, got i32"), and its dataSync is unreliable in browsers; webgl, wasm and cpu do none of these
  declareBackendTraits('webgpu', { disposeOutrunsReads: true, castRelabelsBuffers: true, noSyncRead: true });
}
