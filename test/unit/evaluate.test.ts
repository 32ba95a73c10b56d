import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ModuleSummarizer } from '../../src/analysis/moduleSummary';
import { Evaluator } from '../../src/python/evaluate';
import type { Value } from '../../src/python/evaluate';
import { pythonParser } from '../helpers/python';

/** Evaluates the only argument of the call to `probe` in `source`, e.g. `probe(WIDTH // 3)`. */
async function evaluateProbe(source: string): Promise<Value> {
  const parser = await pythonParser();
  const tree = parser.parse(source);
  const module = new ModuleSummarizer(parser.language).summarize(tree);
  tree.delete();
  const probe = module.calls.find((call) => call.calleeName === 'probe')!;
  return new Evaluator(module).evaluate(probe.arguments[0]!.value);
}

async function evaluatesTo(source: string, expected: number): Promise<void> {
  const value = await evaluateProbe(source);
  assert.ok(value.kind === 'int' || value.kind === 'float', `expected a number, got ${JSON.stringify(value)}`);
  assert.equal(value.value, expected);
}

describe('Evaluator', () => {
  it('floors integer division toward negative infinity like Python', () => evaluatesTo('probe(-7 // 2)', -4));
  it('takes the sign of the divisor for % like Python', () => evaluatesTo('probe(-7 % 3)', 2));
  it('follows module constants through arithmetic', () => evaluatesTo('BASE = 16\nWIDTH = BASE * 4 + 2\nprobe(WIDTH // 3)', 22));
  it('reads numeric literal forms', () => evaluatesTo('probe(0x10 + 0o10 + 0b10 + 1_000)', 16 + 8 + 2 + 1000));
  it('keeps `/` a float division', () => evaluatesTo('probe(7 / 2)', 3.5));
  it('reads chained assignments', () => evaluatesTo('A = B = 12\nprobe(A + B)', 24));
  it('records where a constant came from', async () => {
    const value = await evaluateProbe('WIDTH = 64\nprobe(WIDTH)');
    assert.equal(value.kind, 'int');
    assert.deepEqual(value.kind === 'int' && value.origins.map((origin) => [origin.name, origin.range.start.line]), [['WIDTH', 0]]);
  });
  it('does not guess a name bound twice at module level', async () => {
    assert.equal((await evaluateProbe('WIDTH = 64\nWIDTH = 32\nprobe(WIDTH)')).kind, 'unknown');
  });
  it('does not guess a name bound by a loop or an import', async () => {
    assert.equal((await evaluateProbe('for WIDTH in range(3):\n    pass\nprobe(WIDTH)')).kind, 'unknown');
    assert.equal((await evaluateProbe('from config import WIDTH\nprobe(WIDTH)')).kind, 'unknown');
  });
  it('does not guess a name a function rebinds through `global`', async () => {
    assert.equal((await evaluateProbe('WIDTH = 64\ndef f():\n    global WIDTH\n    WIDTH = 8\nprobe(WIDTH)')).kind, 'unknown');
  });
  it('lets a function parameter shadow a module constant, as a symbol when nothing binds it', async () => {
    const value = await evaluateProbe('WIDTH = 64\ndef f(WIDTH):\n    probe(WIDTH)');
    assert.deepEqual(value, { kind: 'symbol', key: 'f.WIDTH', origins: [] });
  });
  it('gives the same symbol to the same expression over parameters', async () => {
    const first = await evaluateProbe('def f(dim):\n    probe(2 * dim + 1)');
    const second = await evaluateProbe('def f(dim):\n    probe(1 + dim * 2)');
    assert.equal(first.kind, 'symbol');
    assert.deepEqual(first, second);
  });
  it('takes the last unconditional assignment before the use', () => evaluatesTo('def f():\n    ch = 8\n    ch = ch * 4\n    probe(ch)\n    ch = 1', 32));
  it('does not guess a local assigned in a branch', async () => {
    assert.equal((await evaluateProbe('def f(flag):\n    ch = 8\n    if flag:\n        ch = 16\n    probe(ch)')).kind, 'unknown');
  });
  it('unpacks tuples item by item', () => evaluatesTo('def f():\n    groups, ch = 4, 48\n    probe(ch // groups)', 12));
  it('evaluates int, max, min, abs and len of known values', () => evaluatesTo('probe(int(7.9) + max(2, 5) + min(3, 9) + abs(-4) + len([1, 2, 3]))', 7 + 5 + 3 + 4 + 3));
  it('does not treat a rebound builtin as the builtin', async () => {
    assert.equal((await evaluateProbe('def max(*values):\n    return 0\nprobe(max(2, 5))')).kind, 'unknown');
  });
  it('reads self attributes set once in __init__', () =>
    evaluatesTo('class Block:\n    def __init__(self):\n        self.width = 24\n    def forward(self):\n        probe(self.width * 2)', 48));
  it('evaluates a default value in the scope that defines the function', () => evaluatesTo('WIDTH = 64\ndef f(width=probe(WIDTH)):\n    pass', 64));
  it('stops on a definition in terms of itself', async () => {
    assert.equal((await evaluateProbe('A = B + 1\nB = A + 1\nprobe(A)')).kind, 'unknown');
  });
  it('refuses division by zero', async () => {
    assert.equal((await evaluateProbe('probe(4 // 0)')).kind, 'unknown');
  });
  it('evaluates tuples and lists item by item', async () => {
    const value = await evaluateProbe('C = 8\nprobe([C, 4 * 4])');
    assert.equal(value.kind, 'sequence');
    assert.deepEqual(value.kind === 'sequence' && value.items.map((item) => (item.kind === 'int' ? item.value : null)), [8, 16]);
  });
});
