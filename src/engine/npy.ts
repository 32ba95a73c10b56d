/**
 * Reads and writes NumPy `.npy` files, format versions 1.0, 2.0 and 3.0: a magic string, a
 * version, a little-endian header length, a Python dict literal ('descr', 'fortran_order',
 * 'shape') and the raw values. Reading turns bool, int8–int64, uint8–uint64 and
 * float16/float32/float64 in either byte order and either memory order into a C-order float32
 * tensor; anything malformed throws an NpyFormatError that says what is wrong.
 */
import { NpyFormatError } from './errors';
import { elementCount, transposeTensor, type Tensor } from './tensor';

/** "\x93NUMPY", the first six bytes of every .npy file. */
const magicBytes = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** The element limit `readNpy` applies unless told otherwise: 2²⁶ values, 256 MiB as float32. */
export const defaultMaxNpyElements = 2 ** 26;

export interface NpyDtype {
  kind: 'f' | 'i' | 'u' | 'b';
  itemSize: number;
  littleEndian: boolean;
  /** numpy's name, e.g. `float32`, for messages. */
  name: string;
}

export interface NpyFile {
  tensor: Tensor;
  /** The dtype as the header spells it, e.g. `<f8`. */
  descr: string;
  dtype: NpyDtype;
  fortranOrder: boolean;
  version: 1 | 2 | 3;
}

export interface ReadNpyOptions {
  /** Refuse arrays with more values than this; defaults to `defaultMaxNpyElements`. */
  maxElements?: number;
}

export interface WriteNpyOptions {
  /** The dtype to store, e.g. `<f4` (the default), `>f8`, `|u1`, `<i8`, `|b1`. */
  descr?: string;
  /** Store the values column-major; defaults to false. */
  fortranOrder?: boolean;
  /** Defaults to 1.0, or 2.0 when the header does not fit version 1.0's 16-bit length. */
  version?: 1 | 2 | 3;
}

const supportedItemSizes: Record<NpyDtype['kind'], readonly number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };
const kindNames: Record<NpyDtype['kind'], string> = { f: 'float', i: 'int', u: 'uint', b: 'bool' };

function parseNpyDescr(descr: string): NpyDtype {
  const match = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  const kind = match?.[2] as NpyDtype['kind'] | undefined;
  const itemSize = Number(match?.[3]);
  if (match === null || kind === undefined || !supportedItemSizes[kind].includes(itemSize)) {
    throw new NpyFormatError(
      `unsupported dtype '${descr}': normlint reads bool, int8–int64, uint8–uint64 and float16, float32, float64`,
    );
  }
  if (match[1] === '|' && itemSize !== 1) {
    throw new NpyFormatError(`unsupported dtype '${descr}': byte order '|' only applies to 1-byte types`);
  }
  // '=' is the writer's native order; every platform numpy and JavaScript engines run on here is little-endian.
  return { kind, itemSize, littleEndian: match[1] !== '>', name: kind === 'b' ? 'bool' : `${kindNames[kind]}${itemSize * 8}` };
}

function describeShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

type HeaderValue = string | number | boolean | null | HeaderValue[] | Map<string, HeaderValue>;

/** Parses the small subset of Python literals that .npy headers use: dicts, tuples, lists, strings, integers, True, False and None. */
class PythonLiteralParser {
  private position = 0;

  constructor(private readonly text: string) {}

  parseDict(): Map<string, HeaderValue> {
    const value = this.parseValue();
    this.skipWhitespace();
    if (!(value instanceof Map)) this.fail('expected a Python dict literal');
    if (this.position < this.text.length) this.fail('unexpected text after the dict');
    return value as Map<string, HeaderValue>;
  }

  private fail(what: string): never {
    throw new NpyFormatError(`bad header: ${what} at character ${this.position} of ${JSON.stringify(this.text.trim())}`);
  }

  private skipWhitespace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position])) this.position++;
  }

  private parseValue(): HeaderValue {
    this.skipWhitespace();
    const character = this.text[this.position];
    if (character === '{') return this.parseDictBody();
    if (character === '(' || character === '[') return this.parseSequence(character === '(' ? ')' : ']');
    if (character === "'" || character === '"') return this.parseString(character);
    const integer = /^-?\d+L?/.exec(this.text.slice(this.position));
    if (integer !== null) {
      this.position += integer[0].length;
      // Python 2 wrote long integers with an L suffix.
      return Number(integer[0].replace('L', ''));
    }
    for (const [word, value] of [['True', true], ['False', false], ['None', null]] as const) {
      if (this.text.startsWith(word, this.position)) {
        this.position += word.length;
        return value;
      }
    }
    return this.fail(character === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(character)}`);
  }

  private parseDictBody(): Map<string, HeaderValue> {
    const entries = new Map<string, HeaderValue>();
    this.position++;
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] === '}') {
        this.position++;
        return entries;
      }
      const key = this.parseValue();
      if (typeof key !== 'string') this.fail('expected a string key');
      this.skipWhitespace();
      if (this.text[this.position] !== ':') this.fail("expected ':'");
      this.position++;
      entries.set(key as string, this.parseValue());
      this.skipWhitespace();
      if (this.text[this.position] === ',') this.position++;
      else if (this.text[this.position] !== '}') this.fail("expected ',' or '}'");
    }
  }

  private parseSequence(closing: string): HeaderValue[] {
    const items: HeaderValue[] = [];
    this.position++;
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] === closing) {
        this.position++;
        return items;
      }
      items.push(this.parseValue());
      this.skipWhitespace();
      if (this.text[this.position] === ',') this.position++;
      else if (this.text[this.position] !== closing) this.fail(`expected ',' or '${closing}'`);
    }
  }

  private parseString(quote: string): string {
    let value = '';
    for (this.position++; this.position < this.text.length; this.position++) {
      const character = this.text[this.position];
      if (character === quote) {
        this.position++;
        return value;
      }
      if (character === '\\') this.position++;
      value += this.text[this.position] ?? '';
    }
    return this.fail('unterminated string');
  }
}

function decodeHeaderText(headerBytes: Uint8Array, version: 1 | 2 | 3): string {
  if (version !== 3) {
    let text = '';
    for (const byte of headerBytes) text += String.fromCharCode(byte);
    return text;
  }
  // Version 3.0 exists only to allow UTF-8 headers; decodeURIComponent is the UTF-8 decoder every ES runtime has.
  try {
    return decodeURIComponent(Array.from(headerBytes, (byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''));
  } catch {
    throw new NpyFormatError('bad header: version 3.0 header is not valid UTF-8');
  }
}

function readHeader(bytes: Uint8Array): { header: Map<string, HeaderValue>; version: 1 | 2 | 3; dataOffset: number } {
  for (let index = 0; index < magicBytes.length; index++) {
    if (index >= bytes.length) throw new NpyFormatError(`truncated: the file has only ${bytes.length} bytes, less than the magic string`);
    if (bytes[index] !== magicBytes[index]) throw new NpyFormatError('not a .npy file: magic string missing');
  }
  if (bytes.length < 8) throw new NpyFormatError(`truncated: the file has only ${bytes.length} bytes and ends before the format version`);
  const major = bytes[6];
  const minor = bytes[7];
  if (minor !== 0 || (major !== 1 && major !== 2 && major !== 3)) {
    throw new NpyFormatError(`unsupported .npy format version ${major}.${minor} (normlint reads 1.0, 2.0 and 3.0)`);
  }
  const version = major;
  const preambleLength = version === 1 ? 10 : 12;
  if (bytes.length < preambleLength) {
    throw new NpyFormatError(`truncated: the file has only ${bytes.length} bytes and ends inside the header length field`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = version === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const available = bytes.length - preambleLength;
  if (headerLength > available) {
    throw new NpyFormatError(`truncated: the header length field says ${headerLength} bytes but ${available} bytes follow`);
  }
  const text = decodeHeaderText(bytes.subarray(preambleLength, preambleLength + headerLength), version);
  return { header: new PythonLiteralParser(text).parseDict(), version, dataOffset: preambleLength + headerLength };
}

function readHeaderFields(header: Map<string, HeaderValue>): { descr: string; fortranOrder: boolean; shape: number[] } {
  for (const key of header.keys()) {
    if (key !== 'descr' && key !== 'fortran_order' && key !== 'shape') throw new NpyFormatError(`bad header: unexpected key '${key}'`);
  }
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!header.has(key)) throw new NpyFormatError(`bad header: missing '${key}'`);
  }
  const descr = header.get('descr');
  if (Array.isArray(descr)) throw new NpyFormatError('unsupported dtype: structured arrays (a list as descr) are not supported');
  if (typeof descr !== 'string') throw new NpyFormatError(`bad header: 'descr' should be a string, got ${String(descr)}`);
  const fortranOrder = header.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') throw new NpyFormatError(`bad header: 'fortran_order' should be True or False, got ${String(fortranOrder)}`);
  const shape = header.get('shape');
  if (!Array.isArray(shape) || !shape.every((size) => typeof size === 'number' && Number.isSafeInteger(size) && size >= 0)) {
    throw new NpyFormatError("bad header: 'shape' should be a tuple of non-negative integers");
  }
  return { descr, fortranOrder, shape: shape as number[] };
}

function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function roundHalfToEven(value: number): number {
  const rounded = Math.round(value);
  return rounded - value === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

function numberToFloat16Bits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  // 65520 is halfway between the largest half (65504) and 65536, and ties round to infinity's even pattern.
  if (magnitude >= 65520) return sign | 0x7c00;
  // Below 2⁻¹⁴ halves are subnormal, multiples of 2⁻²⁴; rounding up to 1024 lands on the smallest normal.
  if (magnitude < 2 ** -14) return sign | roundHalfToEven(magnitude / 2 ** -24);
  let exponent = Math.floor(Math.log2(magnitude));
  if (2 ** exponent > magnitude) exponent--;
  if (2 ** (exponent + 1) <= magnitude) exponent++;
  let fraction = roundHalfToEven((magnitude / 2 ** exponent - 1) * 1024);
  if (fraction === 1024) {
    fraction = 0;
    exponent++;
  }
  return sign | ((exponent + 15) << 10) | fraction;
}

function decodeValues(bytes: Uint8Array, dataOffset: number, dtype: NpyDtype, count: number): Float32Array {
  const { kind, itemSize, littleEndian } = dtype;
  if (kind === 'f' && itemSize === 4 && littleEndian) {
    // Copying into a fresh array gives it an aligned buffer of its own (JavaScript engines are little-endian).
    // `Uint8Array.prototype.slice` always copies, even when `bytes` is a Node Buffer whose own `slice` shares memory.
    return new Float32Array(Uint8Array.prototype.slice.call(bytes, dataOffset, dataOffset + count * 4).buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, count * itemSize);
  // 64-bit integers are read as two 32-bit halves: exact up to 2⁵³, far beyond float32's precision.
  const highWord = littleEndian ? 4 : 0;
  const lowWord = littleEndian ? 0 : 4;
  const readers: Record<string, (offset: number) => number> = {
    f2: (offset) => float16BitsToNumber(view.getUint16(offset, littleEndian)),
    f4: (offset) => view.getFloat32(offset, littleEndian),
    f8: (offset) => view.getFloat64(offset, littleEndian),
    i1: (offset) => view.getInt8(offset),
    i2: (offset) => view.getInt16(offset, littleEndian),
    i4: (offset) => view.getInt32(offset, littleEndian),
    i8: (offset) => view.getInt32(offset + highWord, littleEndian) * 2 ** 32 + view.getUint32(offset + lowWord, littleEndian),
    u1: (offset) => view.getUint8(offset),
    u2: (offset) => view.getUint16(offset, littleEndian),
    u4: (offset) => view.getUint32(offset, littleEndian),
    u8: (offset) => view.getUint32(offset + highWord, littleEndian) * 2 ** 32 + view.getUint32(offset + lowWord, littleEndian),
    b1: (offset) => (view.getUint8(offset) === 0 ? 0 : 1),
  };
  const readValue = readers[kind + itemSize];
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = readValue(index * itemSize);
  return values;
}

/** Whole-number range of an integer or bool dtype: the lowest value, the first value past the top, and both ends as text. */
function integerRange(dtype: NpyDtype): { lowest: number; limit: number; description: string } {
  if (dtype.kind === 'b') return { lowest: 0, limit: 2, description: 'from 0 to 1' };
  const valueBits = BigInt(dtype.kind === 'u' ? dtype.itemSize * 8 : dtype.itemSize * 8 - 1);
  const lowest = dtype.kind === 'u' ? 0n : -(2n ** valueBits);
  const limit = 2n ** valueBits;
  // BigInt prints ±2⁶³ exactly, which a float64 cannot.
  return { lowest: Number(lowest), limit: Number(limit), description: `from ${lowest} to ${limit - 1n}` };
}

function encodeValues(values: Float32Array, dtype: NpyDtype): Uint8Array {
  const { kind, itemSize, littleEndian } = dtype;
  const bytes = new Uint8Array(values.length * itemSize);
  const view = new DataView(bytes.buffer);
  const writers: Record<string, (offset: number, value: number) => void> = {
    f2: (offset, value) => view.setUint16(offset, numberToFloat16Bits(value), littleEndian),
    f4: (offset, value) => view.setFloat32(offset, value, littleEndian),
    f8: (offset, value) => view.setFloat64(offset, value, littleEndian),
    i1: (offset, value) => view.setInt8(offset, value),
    i2: (offset, value) => view.setInt16(offset, value, littleEndian),
    i4: (offset, value) => view.setInt32(offset, value, littleEndian),
    i8: (offset, value) => view.setBigInt64(offset, BigInt(value), littleEndian),
    u1: (offset, value) => view.setUint8(offset, value),
    u2: (offset, value) => view.setUint16(offset, value, littleEndian),
    u4: (offset, value) => view.setUint32(offset, value, littleEndian),
    u8: (offset, value) => view.setBigUint64(offset, BigInt(value), littleEndian),
    b1: (offset, value) => view.setUint8(offset, value),
  };
  const writeValue = writers[kind + itemSize];
  const range = kind === 'f' ? null : integerRange(dtype);
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (range !== null && !(Number.isInteger(value) && value >= range.lowest && value < range.limit)) {
      throw new NpyFormatError(`cannot write ${value} as ${dtype.name}: it holds whole numbers ${range.description}`);
    }
    writeValue(index * itemSize, value);
  }
  return bytes;
}

function reversedAxes(rank: number): number[] {
  return Array.from({ length: rank }, (_, axis) => rank - 1 - axis);
}

/** Reads a whole .npy file held in memory. */
export function readNpy(bytes: Uint8Array, options: ReadNpyOptions = {}): NpyFile {
  const { header, version, dataOffset } = readHeader(bytes);
  const { descr, fortranOrder, shape } = readHeaderFields(header);
  const dtype = parseNpyDescr(descr);
  const count = elementCount(shape);
  const maxElements = options.maxElements ?? defaultMaxNpyElements;
  if (count > maxElements) {
    throw new NpyFormatError(`too large: shape ${describeShape(shape)} has ${count} elements, over the limit of ${maxElements} elements`);
  }
  const byteCount = count * dtype.itemSize;
  const available = bytes.length - dataOffset;
  if (available < byteCount) {
    throw new NpyFormatError(
      `truncated: header says ${describeShape(shape)} ${dtype.name} (${byteCount} bytes) but ${available} bytes follow`,
    );
  }
  const values = decodeValues(bytes, dataOffset, dtype, count);
  // Column-major data is the row-major data of the reversed shape; transposing it back restores the axes.
  const tensor = fortranOrder
    ? transposeTensor({ shape: [...shape].reverse(), data: values }, reversedAxes(shape.length))
    : { shape, data: values };
  return { tensor, descr, dtype, fortranOrder, version };
}

/** Encodes a tensor as a .npy file, padding the header to a multiple of 64 bytes as numpy does. */
export function writeNpy(tensor: Tensor, options: WriteNpyOptions = {}): Uint8Array {
  const descr = options.descr ?? '<f4';
  const dtype = parseNpyDescr(descr);
  const fortranOrder = options.fortranOrder ?? false;
  const shapeText = tensor.shape.length === 1 ? `(${tensor.shape[0]},)` : `(${tensor.shape.join(', ')})`;
  const dictText = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const paddedLength = (preambleLength: number) => Math.ceil((preambleLength + dictText.length + 1) / 64) * 64 - preambleLength;
  const version = options.version ?? (paddedLength(10) <= 0xffff ? 1 : 2);
  const preambleLength = version === 1 ? 10 : 12;
  const headerLength = paddedLength(preambleLength);
  if (version === 1 && headerLength > 0xffff) {
    throw new NpyFormatError(`the header needs ${headerLength} bytes, more than format version 1.0 can describe (65535); use version 2`);
  }
  const values = fortranOrder ? transposeTensor(tensor, reversedAxes(tensor.shape.length)).data : tensor.data;
  const data = encodeValues(values, dtype);
  const file = new Uint8Array(preambleLength + headerLength + data.length);
  file.set(magicBytes, 0);
  file[6] = version;
  file[7] = 0;
  const view = new DataView(file.buffer);
  if (version === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  // The header is ASCII whatever the version, padded with spaces and ended by a newline.
  const headerText = dictText.padEnd(headerLength - 1, ' ') + '\n';
  for (let index = 0; index < headerText.length; index++) file[preambleLength + index] = headerText.charCodeAt(index);
  file.set(data, preambleLength + headerLength);
  return file;
}
