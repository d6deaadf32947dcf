/*
 * Public API of npstreams-rx: streaming reductions of arrays as RxJS operators on
 * TensorFlow.js kernels.
 */

export { useBackend, type BackendName } from './lib/backends/use-backend';
export { setWasmPaths } from './lib/backends/wasm';
export { hasHardwareWebGL } from './lib/backends/webgl-probe';
export { hasHardwareWebGPU } from './lib/backends/webgpu-probe';

export { scanSum, reduceSum } from './lib/operators/sum';
export { scanProd, reduceProd } from './lib/operators/prod';
export { scanMax, reduceMax } from './lib/operators/max';
export { scanMin, reduceMin } from './lib/operators/min';
export { scanAll, reduceAll } from './lib/operators/all';
export { scanAny, reduceAny } from './lib/operators/any';
export { scanSub, reduceSub } from './lib/operators/sub';
export { scanUfunc, reduceUfunc } from './lib/operators/ufunc';
export { scanMean, reduceMean } from './lib/operators/mean';
export { scanAverage, reduceAverage, type AverageOptions } from './lib/operators/average';
export { scanVar, reduceVar } from './lib/operators/var';
export { scanStd, reduceStd } from './lib/operators/std';
export { scanSem, reduceSem } from './lib/operators/sem';
export { scanAverageAndVar, reduceAverageAndVar } from './lib/operators/average-and-var';
export { scanHistogram, reduceHistogram, type HistogramOptions } from './lib/operators/histogram';
export { lastValue } from './lib/operators/last-value';
export { previewEvery } from './lib/preview/preview-every';
export { frameStats, type FrameStats } from './lib/preview/frame-stats';
export { toImage, type ImageOptions } from './lib/preview/to-image';
export { drawImage, drawTo, type Canvas, type DrawOptions, type DrawnRange } from './lib/preview/draw';
export { COLORMAPS, colormapTable, type ColormapName } from './lib/preview/colormaps';
export { stack } from './lib/operators/stack';
export { scanDot, scanInner, scanTensordot, scanEinsum } from './lib/operators/linalg';
export { nanToNum, nanToNumArray } from './lib/operators/nan-to-num';
export { linspace, multilinspace, cyclic } from './lib/sources/linspace';
export { pmap, pmapUnordered, type PmapOptions, type Project, type ProjectResult } from './lib/parallel/pmap';
export { pipeArrays, type ArrayFn } from './lib/parallel/pipe-arrays';
export { load, loadWith, type LoadOptions, type LoadedFrame, type BrowserSource, type ReadSource } from './lib/io/load';
export { decodeFile, formatOf, type FormatName, type Loader } from './lib/io/formats';
export { encodeArray, type EncodeOptions, type SaveFormat, ɵframeToWrite } from './lib/io/encode';
export { type Frame, type FrameData, FileFormatError } from './lib/io/frame';
export { setInflate, InflateError, type Inflate } from './lib/io/inflate';
export { type Lease, type Alloc } from './lib/io/buffer-pool';
export { setJpegDecoder, type JpegDecoder, type DecodedJpeg } from './lib/io/jpeg';
export { rawLayout, RAW_HEAD_BYTES, type RawLayout, type RawSample } from './lib/io/raw-layout';
export * from './lib/io/hdf5/internal';
export {
  type Hdf5Frame as ɵHdf5Frame,
  type Hdf5FrameAt as ɵHdf5FrameAt,
  type Hdf5Unopened as ɵHdf5Unopened,
  type Hdf5Tag as ɵHdf5Tag,
  type Hdf5Read as ɵHdf5Read,
  hdf5Frames as ɵhdf5Frames,
  isHdf5Frame as ɵisHdf5Frame,
  readHdf5Frame as ɵreadHdf5Frame,
} from './lib/io/hdf5/frame-sources';
export { setHdf5Plugins } from './lib/io/hdf5/browser';
export { type DecodeLimits, type DecodeOptions, type SampleOptions, ɵmaskMaxSamples, DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES, IsolationNeeded } from './lib/io/limits';
export { type MomentState, type VarOptions, type AverageAndVar, type MomentsOutput } from './lib/reductions/moments';
export { partials, type PartialOf, type WithWeights } from './lib/operators/partials';
// for npstreams-rx/node (load, the queue's job checks, the threads): not part of the API (ɵ, as
// Angular marks its own)
export { checkRecipe as ɵcheckRecipe, travels as ɵtravels } from './lib/reductions/catalogue';
export { loadAs as ɵloadAs, checkLoadOptions as ɵcheckLoadOptions, readBrowserSource as ɵreadBrowserSource } from './lib/io/load';
export { partialOperatorOf as ɵpartialOperatorOf } from './lib/operators/partials';
export { toFrame as ɵtoFrame } from './lib/io/to-frame';
export { backendReady as ɵbackendReady } from './lib/core/ready';
export { SlabSum as ɵSlabSum } from './lib/kernels/wasm/slab-sum';
export { type PartialResult, type PartialRecipe, MergeError, mergePartials, partialValue, disposePartial } from './lib/core/partial';
export { serializePartial, deserializePartial, PartialFormatError } from './lib/parallel/serialize';

export type { UfuncOptions, UfuncOptions as SumOptions } from './lib/reductions/ufunc';
export { UFUNCS, type Ufunc, type UfuncAccumulator, type UserUfunc } from './lib/ops/ufuncs';
export type { MeanOptions, AverageState } from './lib/reductions/average';
export type { ArrayInput, DataAndShape, FloatFrameData, NestedNumbers, NumericDtype, TypedArray1D } from './lib/core/inputs';
export { FrameBatch } from './lib/core/inputs';
export type { Weights, WeightKind } from './lib/core/weights';
export { EmptyStreamError, StreamInputError, OverflowError, OptionError, BackendError } from './lib/core/errors';

// The machinery that defines a reduction, for reductions written outside the library.
export { accumulate, accumulateState, type AccumulateOptions, type EmitMode, type Output } from './lib/core/accumulate';
export type { Reduction, PreparedItem } from './lib/core/reduction';
export { sumAdd, sumInit, sumMerge, sumValue, momentsUpdate, extremaUpdate, histogramUpdate } from './lib/kernels/accumulators';
export type { ExtremumOp } from './lib/kernels/reference/extrema';
export { registerKernelImpl, setKernelImplementation, fusedKernels, type KernelImplementation } from './lib/kernels/registry';
