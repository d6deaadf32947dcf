/*
 * npstreams-rx/angular: the panels a dashboard builder would otherwise copy out of the library's
 * demo, as standalone, zoneless and OnPush-safe Angular components, and a signal for templates.
 * @angular/core is an optional peer of the package (only this entry imports it), and uPlot (the
 * convergence chart) another: the main entry stays framework-agnostic.
 */
export { type OffscreenTarget, TensorImage, type TensorSource, formatValue } from './tensor-image';
export { ConvergenceChart, type ConvergencePoint, type ConvergenceSource, convergenceSeries, addConvergencePoint } from './convergence-chart';
export { toTensorSignal, type TensorSignalOptions } from './tensor-signal';
