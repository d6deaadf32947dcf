// Registers every backend's fused accumulator kernels (tfjs-backend-webgl's
// register_all_kernels, for this library). A backend's kernels touch its internals only when
// called with that backend active.
import './cpu/register';
import './wasm/register';
import './webgl/register';
import './webgpu/register';
