/**
 * Small composable readers that check an unknown value against the shape a message should have
 * and return it typed, or throw an InvalidMessage naming the offending path. Both sides of the
 * panel (the extension host and the webview) read every message through these, so nothing that
 * crosses the boundary is trusted by its type annotation alone. No DOM or Node APIs: the host
 * bundles this file too.
 */

export class InvalidMessage extends Error {
  override readonly name = 'InvalidMessage';
}

/** Checks `value` (found at `path`, e.g. `message.layer.line`) and returns it typed. */
export type Reader<T> = (value: unknown, path: string) => T;

function fail(path: string, expected: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : Array.isArray(value) ? 'an array' : String(value);
  throw new InvalidMessage(`${path} should be ${expected}, got ${shown}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** Strings are bounded so that a hostile message cannot make the panel render megabytes of text. */
export function readString(maxLength = 10_000): Reader<string> {
  return (value, path) => (typeof value === 'string' && value.length <= maxLength ? value : fail(path, `a string of at most ${maxLength} characters`, value));
}

export const readBoolean: Reader<boolean> = (value, path) => (typeof value === 'boolean' ? value : fail(path, 'a boolean', value));

export function readNumber(limits: { integer?: boolean; min?: number; max?: number } = {}): Reader<number> {
  const { integer = false, min = -Infinity, max = Infinity } = limits;
  const expected = `${integer ? 'an integer' : 'a finite number'}${min > -Infinity ? ` ≥ ${min}` : ''}${max < Infinity ? ` ≤ ${max}` : ''}`;
  return (value, path) =>
    typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value)) && value >= min && value <= max
      ? value
      : fail(path, expected, value);
}

export function readLiteral<T extends string>(...allowed: T[]): Reader<T> {
  return (value, path) => (allowed.includes(value as T) ? (value as T) : fail(path, `one of ${allowed.join(', ')}`, value));
}

export function readArray<T>(item: Reader<T>, maxLength: number): Reader<T[]> {
  return (value, path) => {
    if (!Array.isArray(value) || value.length > maxLength) fail(path, `an array of at most ${maxLength} items`, value);
    return value.map((entry, index) => item(entry, `${path}[${index}]`));
  };
}

export function readOptional<T>(reader: Reader<T>): Reader<T | undefined> {
  return (value, path) => (value === undefined ? undefined : reader(value, path));
}

export function readNullable<T>(reader: Reader<T>): Reader<T | null> {
  return (value, path) => (value === null ? null : reader(value, path));
}

/** The first reader that accepts the value; for small unions of unrelated shapes. */
export function readEither<A, B>(first: Reader<A>, second: Reader<B>, expected: string): Reader<A | B> {
  return (value, path) => {
    try {
      return first(value, path);
    } catch {
      try {
        return second(value, path);
      } catch {
        return fail(path, expected, value);
      }
    }
  };
}

type Readers<T> = { [Key in keyof T]-?: Reader<T[Key]> };

/** An object with exactly the listed fields read; unknown fields are dropped, never passed on. */
export function readObject<T>(fields: Readers<T>): Reader<T> {
  return (value, path) => {
    if (!isRecord(value)) fail(path, 'an object', value);
    const result: Partial<T> = {};
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      const read = fields[key](value[key], `${path}.${key}`);
      if (read !== undefined) result[key] = read;
    }
    return result as T;
  };
}

/** A string-keyed map with at most `maxEntries` entries. */
export function readRecord<T>(entry: Reader<T>, maxEntries: number): Reader<Record<string, T>> {
  return (value, path) => {
    if (!isRecord(value) || Object.keys(value).length > maxEntries) fail(path, `an object of at most ${maxEntries} entries`, value);
    const result: Record<string, T> = {};
    for (const [key, item] of Object.entries(value)) result[key] = entry(item, `${path}.${key}`);
    return result;
  };
}

export const readFloat32Array: Reader<Float32Array> = (value, path) => (value instanceof Float32Array ? value : fail(path, 'a Float32Array', value));

/**
 * A union tagged by its `type` field: picks the variant's reader by tag. The readers of the
 * variants must read `type` themselves (usually with readLiteral) so the result keeps it.
 */
export function readTagged<T extends { type: string }>(variants: { [Tag in T['type']]: Reader<Extract<T, { type: Tag }>> }): Reader<T> {
  return (value, path) => {
    if (!isRecord(value) || typeof value.type !== 'string' || !Object.hasOwn(variants, value.type)) {
      return fail(`${path}.type`, `one of ${Object.keys(variants).join(', ')}`, isRecord(value) ? value.type : value);
    }
    return variants[value.type as T['type']](value, path);
  };
}
