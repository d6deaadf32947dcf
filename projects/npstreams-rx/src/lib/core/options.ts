import { OptionError } from './errors';
import { describeValue } from './inputs';

// Options are checked when an operator is made: a bad one throws OptionError at once, naming
// the operator and the option, instead of failing (or computing NaN) at the first item.

/** `ddof`: a non-negative integer, or omitted. */
export function validateDdof(operator: string, ddof: unknown): void {
  if (ddof === undefined) return;
  if (typeof ddof !== 'number' || !Number.isInteger(ddof) || ddof < 0) {
    throw new OptionError(`${operator}: ddof must be a non-negative integer; received ${typeof ddof === 'number' ? ddof : describeValue(ddof)}`);
  }
}

/** `dtype`: 'float32' or 'int32' (what the kernels compute in), or omitted. */
export function validateDtype(operator: string, dtype: unknown): void {
  if (dtype === undefined || dtype === 'float32' || dtype === 'int32') return;
  throw new OptionError(`${operator}: dtype must be 'float32' or 'int32' (the dtypes the kernels compute in); received ${typeof dtype === 'string' ? `'${dtype}'` : describeValue(dtype)}`);
}

/** A boolean option (`ignoreNaN`), or omitted. */
export function validateFlag(operator: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') throw new OptionError(`${operator}: ${name} must be true or false; received ${describeValue(value)}`);
}
