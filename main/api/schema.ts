// A small hand-written schema library for the contract's runtime checks. Everything that crosses
// the boundary from a renderer (untrusted: a page, a compromised renderer, a stray WebSocket) goes
// through one of these before a service sees it. A validator returns the value typed, or throws
// ApiValidationError naming the field; it never lets an unknown key, a wrong type or an oversized
// string through, and it never throws anything else.

export class ApiValidationError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(field === '' ? detail : `${field}: ${detail}`);
    this.name = 'ApiValidationError';
  }
}

export type Validator<T> = (value: unknown, field: string) => T;
export type Infer<V> = V extends Validator<infer T> ? T : never;

/** Longest string any argument may be (a path, a name, a URL). Keeps a hostile page from pushing megabytes. */
export const MAX_STRING = 4096;
export const MAX_ARRAY = 10_000;

const fail = (field: string, detail: string): never => {
  throw new ApiValidationError(field, detail);
};

export function str(opts: { min?: number; max?: number; pattern?: RegExp; noControl?: boolean } = {}): Validator<string> {
  const min = opts.min ?? 0;
  const max = opts.max ?? MAX_STRING;
  return (v, field) => {
    if (typeof v !== 'string') return fail(field, 'must be a string');
    if (v.length < min) return fail(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
    if (v.length > max) return fail(field, `must be at most ${max} characters`);
    // eslint-disable-next-line no-control-regex
    if (opts.noControl !== false && /[\u0000-\u001f\u007f]/.test(v)) return fail(field, 'must not contain control characters');
    if (opts.pattern && !opts.pattern.test(v)) return fail(field, 'has an unexpected form');
    return v;
  };
}

export function int(opts: { min?: number; max?: number } = {}): Validator<number> {
  return (v, field) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return fail(field, 'must be an integer');
    if (opts.min !== undefined && v < opts.min) return fail(field, `must be at least ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) return fail(field, `must be at most ${opts.max}`);
    return v;
  };
}

export function bool(): Validator<boolean> {
  return (v, field) => (typeof v === 'boolean' ? v : fail(field, 'must be true or false'));
}

export function oneOf<const T extends readonly string[]>(values: T): Validator<T[number]> {
  return (v, field) => {
    if (typeof v !== 'string' || !values.includes(v)) return fail(field, `must be one of ${values.join(', ')}`);
    return v as T[number];
  };
}

export function array<T>(item: Validator<T>, opts: { min?: number; max?: number } = {}): Validator<T[]> {
  const max = opts.max ?? MAX_ARRAY;
  return (v, field) => {
    if (!Array.isArray(v)) return fail(field, 'must be a list');
    if (v.length > max) return fail(field, `must have at most ${max} items`);
    if (opts.min !== undefined && v.length < opts.min) return fail(field, `must have at least ${opts.min} item${opts.min === 1 ? '' : 's'}`);
    return v.map((x, i) => item(x, `${field}[${i}]`));
  };
}

/** Marks a property as optional: absent (or undefined) is allowed and left out of the result. */
export interface Optional<T> {
  readonly optional: true;
  readonly validator: Validator<T>;
}
export function optional<T>(validator: Validator<T>): Optional<T> {
  return { optional: true, validator };
}

type Shape = Record<string, Validator<unknown> | Optional<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type Prettify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Prettify<
  { [K in RequiredKeys<S>]: S[K] extends Validator<infer T> ? T : never } & {
    [K in OptionalKeys<S>]?: S[K] extends Optional<infer T> ? T : never;
  }
>;

/** A plain object with exactly these keys (unknown keys are refused, so a typo never passes silently). */
export function obj<S extends Shape>(shape: S): Validator<ObjectOf<S>> {
  const keys = new Set(Object.keys(shape));
  return (v, field) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(field, 'must be an object');
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return fail(field, 'must be a plain object');
    const input = v as Record<string, unknown>;
    for (const k of Object.keys(input)) if (!keys.has(k)) fail(join(field, k), 'unknown field');
    const out: Record<string, unknown> = {};
    for (const [k, rule] of Object.entries(shape)) {
      const x = Object.prototype.hasOwnProperty.call(input, k) ? input[k] : undefined;
      if (isOptional(rule)) {
        if (x !== undefined) out[k] = rule.validator(x, join(field, k));
      } else {
        out[k] = rule(x, join(field, k));
      }
    }
    return out as ObjectOf<S>;
  };
}

/** No arguments: undefined, null or {} (a client calling `list()` sends nothing). */
export const empty: Validator<Record<string, never>> = (v, field) => {
  if (v === undefined || v === null) return {};
  return obj({})(v, field) as Record<string, never>;
};

function isOptional(rule: Validator<unknown> | Optional<unknown>): rule is Optional<unknown> {
  return typeof rule === 'object' && rule.optional === true;
}

function join(field: string, key: string): string {
  return field === '' ? key : `${field}.${key}`;
}

/** Runs a validator at the top level: `field` names are relative to the arguments object. */
export function check<T>(validator: Validator<T>, value: unknown): T {
  return validator(value, '');
}
