import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator } from '../../src/python/evaluate';
import type { Value } from '../../src/python/evaluate';
import { ScopeIndex } from '../../src/python/scopes';
import { pythonParser } from '../helpers/python';

/** Evaluates the right-hand side of the last line of `source` (which must be `result = …`). */
async function evaluateLast(source: string): Promise<Value> {
  const parser = await pythonParser();
  const tree = parser.parse(source);
  const statements = tree.rootNode.namedChildren;
  const assignment = statements[statements.length - 1]!.namedChild(0)!;
  const value = new Evaluator(new ScopeIndex(tree.rootNode)).evaluate(assignment.childForFieldName('right')!);
  return value;
}

async function evaluatesTo(source: string, expected: number): Promise<void> {
  const value = await evaluateLast(source);
  assert.ok(value.kind === 'int' || value.kind === 'float', `expected a number, got ${JSON.stringify(value)}`);
  assert.equal(value.value, expected);
}

describe('Evaluator', () => {
  it('floors integer division toward negative infinity like Python', () => evaluatesTo('result = -7 // 2', -4));
  it('takes the sign of the divisor for % like Python', () => evaluatesTo('result = -7 % 3', 2));
  it('follows module constants through arithmetic', () => evaluatesTo('BASE = 16\nWIDTH = BASE * 4 + 2\nresult = WIDTH // 3', 22));
  it('reads numeric literal forms', () => evaluatesTo('result = 0x10 + 0o10 + 0b10 + 1_000', 16 + 8 + 2 + 1000));
  it('keeps `/` a float division', () => evaluatesTo('result = 7 / 2', 3.5));
  it('records where a constant came from', async () => {
    const value = await evaluateLast('WIDTH = 64\nresult = WIDTH');
    assert.equal(value.kind, 'int');
    assert.deepEqual(value.kind === 'int' && value.origins.map((origin) => [origin.name, origin.range.start.line]), [['WIDTH', 0]]);
  });
  it('does not guess a name bound twice at module level', async () => {
    assert.equal((await evaluateLast('WIDTH = 64\nWIDTH = 32\nresult = WIDTH')).kind, 'unknown');
  });
  it('does not guess a name a function rebinds through `global`', async () => {
    assert.equal((await evaluateLast('WIDTH = 64\ndef f():\n    global WIDTH\n    WIDTH = 8\nresult = WIDTH')).kind, 'unknown');
  });
  it('stops on a definition in terms of itself', async () => {
    assert.equal((await evaluateLast('A = B + 1\nB = A + 1\nresult = A')).kind, 'unknown');
  });
  it('refuses division by zero', async () => {
    assert.equal((await evaluateLast('result = 4 // 0')).kind, 'unknown');
  });
  it('evaluates tuples and lists item by item', async () => {
    const value = await evaluateLast('C = 8\nresult = [C, 4 * 4]');
    assert.equal(value.kind, 'sequence');
    assert.deepEqual(value.kind === 'sequence' && value.items.map((item) => (item.kind === 'int' ? item.value : null)), [8, 16]);
  });
});
