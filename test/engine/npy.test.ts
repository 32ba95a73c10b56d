import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTensor, readNpy, writeNpy, type Tensor } from '../../src/engine';
import { assertThrowsWithMessage, repositoryRoot } from './testSupport';

const numpyFixtureFolder = join(repositoryRoot(), 'test', 'fixtures', 'engine', 'npy');

/** The values scripts/golden/generate.py stores for each dtype kind, from each element's C-order index i of a (2, 3, 2) array. */
function fixtureValues(dtypeName: string): number[] {
  const indices = Array.from({ length: 12 }, (_, index) => index);
  if (dtypeName.startsWith('float')) return indices.map((index) => (index - 5.5) * 0.25);
  if (dtypeName.startsWith('uint')) return indices.map((index) => index * 20);
  if (dtypeName.startsWith('int')) return indices.map((index) => index - 5);
  return indices.map((index) => (index % 3 === 0 ? 1 : 0));
}

const descrByDtype: Record<string, string> = {
  float16: 'f2', float32: 'f4', float64: 'f8', int8: 'i1', int16: 'i2', int32: 'i4', int64: 'i8',
  uint8: 'u1', uint16: 'u2', uint32: 'u4', uint64: 'u8', bool: 'b1',
};

function descrFor(dtypeName: string, byteOrder: 'little' | 'big'): string {
  const code = descrByDtype[dtypeName];
  return code.endsWith('1') ? `|${code}` : `${byteOrder === 'little' ? '<' : '>'}${code}`;
}

/** A valid little-endian float32 file of shape [4, 3] holding 0 … 11. */
function validFile(): Uint8Array {
  return writeNpy(createTensor([4, 3], Float32Array.from({ length: 12 }, (_, index) => index)));
}

/** Replaces the header dict of a version 1.0 file, keeping its length field consistent. */
function withHeader(dictText: string, dataBytes = 48): Uint8Array {
  const headerText = `${dictText}\n`;
  const file = new Uint8Array(10 + headerText.length + dataBytes);
  file.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(file.buffer).setUint16(8, headerText.length, true);
  for (let index = 0; index < headerText.length; index++) file[10 + index] = headerText.charCodeAt(index);
  return file;
}

describe('npy', () => {
  describe('reading files numpy wrote', () => {
    const fileNames = readdirSync(numpyFixtureFolder).filter((name) => name.endsWith('.npy')).sort();

    it('has a fixture for every dtype in C and Fortran order', () => {
      for (const dtypeName of Object.keys(descrByDtype)) {
        for (const order of ['c', 'fortran']) assert.ok(fileNames.includes(`${dtypeName}_little_${order}.npy`), `${dtypeName}_little_${order}.npy`);
      }
    });

    for (const fileName of fileNames) {
      it(`reads ${fileName} as the (2, 3, 2) values of its dtype`, () => {
        const [dtypeName, byteOrder, order, versionSuffix] = fileName.replace('.npy', '').split('_');
        const file = readNpy(new Uint8Array(readFileSync(join(numpyFixtureFolder, fileName))));
        assert.deepEqual(file.tensor.shape, [2, 3, 2]);
        assert.deepEqual([...file.tensor.data], fixtureValues(dtypeName));
        assert.equal(file.dtype.name, dtypeName);
        assert.equal(file.descr, descrFor(dtypeName, byteOrder as 'little' | 'big'));
        assert.equal(file.fortranOrder, order === 'fortran');
        assert.equal(file.version, versionSuffix === undefined ? 1 : Number(versionSuffix.slice(1)));
      });
    }

    it('writes byte for byte what numpy writes, for every dtype, byte order and memory order in version 1.0', () => {
      for (const fileName of fileNames.filter((name) => !name.includes('_v'))) {
        const [dtypeName, byteOrder, order] = fileName.replace('.npy', '').split('_');
        const written = writeNpy(createTensor([2, 3, 2], Float32Array.from(fixtureValues(dtypeName))), {
          descr: descrFor(dtypeName, byteOrder as 'little' | 'big'),
          fortranOrder: order === 'fortran',
        });
        assert.deepEqual(written, new Uint8Array(readFileSync(join(numpyFixtureFolder, fileName))), fileName);
      }
    });
  });

  describe('round trips', () => {
    for (const dtypeName of Object.keys(descrByDtype)) {
      for (const byteOrder of ['little', 'big'] as const) {
        for (const fortranOrder of [false, true]) {
          for (const version of [1, 2, 3] as const) {
            const descr = descrFor(dtypeName, byteOrder);
            it(`keeps a [2, 3, 2] ${descr} array in ${fortranOrder ? 'Fortran' : 'C'} order through format version ${version}.0`, () => {
              const tensor = createTensor([2, 3, 2], Float32Array.from(fixtureValues(dtypeName)));
              const file = readNpy(writeNpy(tensor, { descr, fortranOrder, version }));
              assert.deepEqual(file.tensor.shape, [2, 3, 2]);
              assert.deepEqual([...file.tensor.data], [...tensor.data]);
              assert.equal(file.version, version);
              assert.equal(file.fortranOrder, fortranOrder);
            });
          }
        }
      }
    }

    it('keeps scalars, 1-D arrays and empty arrays', () => {
      const shapes: Array<[number[], number[]]> = [[[], [2.5]], [[3], [1, 2, 3]], [[0, 3], []]];
      for (const [shape, values] of shapes) {
        const file = readNpy(writeNpy(createTensor(shape, Float32Array.from(values))));
        assert.deepEqual(file.tensor.shape, shape);
        assert.deepEqual([...file.tensor.data], values);
      }
    });

    it('rounds float32 to float16 to nearest, ties to even, with subnormals, infinities and NaN', () => {
      const values = [1, -2, 65504, 65520, 1e-8, 6e-8, 0.1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, -0, NaN];
      const roundTripped = readNpy(writeNpy(createTensor([values.length], Float32Array.from(values)), { descr: '<f2' })).tensor.data;
      // 65520 is halfway to 65536 and rounds to infinity; 1e-8 is under half the smallest subnormal 2⁻²⁴;
      // 0.1 has the 10-bit fraction 0x66 rounded up; 1 + 2⁻¹¹ ties down to 1 and 1 + 3·2⁻¹¹ ties up to 1 + 2⁻⁹.
      const expected = [1, -2, 65504, Infinity, 0, 2 ** -24, (1 + 0x266 / 1024) / 16, 1, 1 + 2 ** -9, -0, NaN];
      assert.deepEqual([...roundTripped], expected.map((value) => Math.fround(value)));
    });

    it('keeps 64-bit integers beyond 32 bits', () => {
      const values = [2 ** 40, -(2 ** 40), -1, 2 ** 31];
      assert.deepEqual([...readNpy(writeNpy(createTensor([4], Float32Array.from(values)), { descr: '>i8' })).tensor.data], values);
      assert.deepEqual([...readNpy(writeNpy(createTensor([1], Float32Array.from([2 ** 63])), { descr: '<u8' })).tensor.data], [2 ** 63]);
    });

    it('writes a longer header in version 2.0 when it does not fit version 1.0', () => {
      const shape = Array.from({ length: 25000 }, () => 1);
      const bytes = writeNpy(createTensor(shape, Float32Array.from([7])));
      assert.equal(bytes[6], 2);
      assert.deepEqual([...readNpy(bytes).tensor.data], [7]);
      assertThrowsWithMessage(() => writeNpy(createTensor(shape, Float32Array.from([7])), { version: 1 }), 'NpyFormatError', 'more than format version 1.0 can describe');
    });
  });

  describe('malformed files', () => {
    it('reports a missing magic string', () => {
      assertThrowsWithMessage(() => readNpy(Uint8Array.from([..."PK\u0003\u0004 zip"].map((character) => character.charCodeAt(0)))), 'NpyFormatError', 'not a .npy file: magic string missing');
    });

    it('reports truncated data with the size the header promises', () => {
      const file = validFile();
      const headerEnd = file.length - 48;
      assertThrowsWithMessage(() => readNpy(file.slice(0, headerEnd + 20)), 'NpyFormatError', 'truncated: header says 4×3 float32 (48 bytes) but 20 bytes follow');
    });

    it('reports a file cut inside the magic string, the preamble or the header', () => {
      const file = validFile();
      assertThrowsWithMessage(() => readNpy(file.slice(0, 4)), 'NpyFormatError', 'truncated: the file has only 4 bytes, less than the magic string');
      assertThrowsWithMessage(() => readNpy(file.slice(0, 9)), 'NpyFormatError', 'truncated: the file has only 9 bytes and ends inside the header length field');
      assertThrowsWithMessage(() => readNpy(file.slice(0, 30)), 'NpyFormatError', 'truncated: the header length field says 118 bytes but 20 bytes follow');
    });

    it('reports an unsupported format version', () => {
      const file = validFile();
      file[6] = 4;
      assertThrowsWithMessage(() => readNpy(file), 'NpyFormatError', 'unsupported .npy format version 4.0');
    });

    it('reports a header that is not a valid dict literal or lacks fields', () => {
      assertThrowsWithMessage(() => readNpy(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3}")), 'NpyFormatError', "bad header: expected ',' or ')'");
      assertThrowsWithMessage(() => readNpy(withHeader("['descr', '<f4']")), 'NpyFormatError', 'bad header: expected a Python dict literal');
      assertThrowsWithMessage(() => readNpy(withHeader("{'descr': '<f4', 'shape': (4, 3)}")), 'NpyFormatError', "bad header: missing 'fortran_order'");
      assertThrowsWithMessage(() => readNpy(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3), 'extra': 1}")), 'NpyFormatError', "bad header: unexpected key 'extra'");
      assertThrowsWithMessage(() => readNpy(withHeader("{'descr': '<f4', 'fortran_order': 0, 'shape': (4, 3)}")), 'NpyFormatError', "'fortran_order' should be True or False");
      assertThrowsWithMessage(() => readNpy(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4, -3)}")), 'NpyFormatError', "'shape' should be a tuple of non-negative integers");
    });

    it('reads the long-integer suffix of headers written by Python 2', () => {
      const file = readNpy(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4L, 3L), }"));
      assert.deepEqual(file.tensor.shape, [4, 3]);
    });

    it('reports unsupported dtypes', () => {
      for (const descr of ['<c8', '|O', '<U5', '<f3', '<i3']) {
        assertThrowsWithMessage(() => readNpy(withHeader(`{'descr': '${descr}', 'fortran_order': False, 'shape': (4, 3), }`)), 'NpyFormatError', `unsupported dtype '${descr}'`);
      }
      assertThrowsWithMessage(() => readNpy(withHeader("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (4, 3), }")), 'NpyFormatError', 'unsupported dtype: structured arrays');
      assertThrowsWithMessage(() => readNpy(withHeader("{'descr': '|f4', 'fortran_order': False, 'shape': (4, 3), }")), 'NpyFormatError', "byte order '|' only applies to 1-byte types");
    });

    it('refuses arrays over the element limit before reading them', () => {
      assertThrowsWithMessage(() => readNpy(validFile(), { maxElements: 10 }), 'NpyFormatError', 'too large: shape 4×3 has 12 elements, over the limit of 10 elements');
      assertThrowsWithMessage(() => readNpy(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", 0)), 'NpyFormatError', 'over the limit of 67108864 elements');
    });

    it('refuses to write values an integer dtype cannot hold', () => {
      const tensor: Tensor = createTensor([2], Float32Array.from([1.5, 2]));
      assertThrowsWithMessage(() => writeNpy(tensor, { descr: '|i1' }), 'NpyFormatError', 'cannot write 1.5 as int8: it holds whole numbers from -128 to 127');
      assertThrowsWithMessage(() => writeNpy(createTensor([1], Float32Array.from([300])), { descr: '|u1' }), 'NpyFormatError', 'cannot write 300 as uint8');
      assertThrowsWithMessage(() => writeNpy(createTensor([1], Float32Array.from([2 ** 63])), { descr: '<i8' }), 'NpyFormatError', 'from -9223372036854775808 to 9223372036854775807');
      assertThrowsWithMessage(() => writeNpy(createTensor([1], Float32Array.from([2])), { descr: '|b1' }), 'NpyFormatError', 'cannot write 2 as bool');
    });
  });
});

describe('readNpy on a Node Buffer', () => {
  // regression: a small Buffer lives in Node's shared pool, and Buffer#slice shares that pool's memory.
  it('reads little-endian float32 data from a pooled Buffer without picking up its neighbours', () => {
    const tensor = createTensor([2, 3], Float32Array.from([1, 2, 3, 4, 5, 6]));
    const pooled = Buffer.from(writeNpy(tensor));
    assert.notEqual(pooled.buffer.byteLength, pooled.byteLength, 'the test needs a Buffer that is a view into a larger pool');
    assert.deepEqual([...readNpy(pooled).tensor.data], [1, 2, 3, 4, 5, 6]);
  });
});
