// Evaluates Python expressions to values where the file alone decides them: literals,
// module-level constants and arithmetic on them. Anything else is `unknown` with a reason,
// never a guess. Every known number remembers where it was written, so a finding can
// point at the constant that set it.
import type { Node } from '@vscode/tree-sitter-wasm';
import { rangeOfNode } from './pythonParser';
import type { SourceRange } from './pythonParser';
import type { ScopeIndex } from './scopes';
import { namedChildrenOf } from './syntax';

/** Where part of a value came from: the definition of a name it passed through. */
export interface ValueOrigin {
  name: string;
  range: SourceRange;
}

export type Value =
  | { kind: 'int'; value: number; origins: ValueOrigin[] }
  | { kind: 'float'; value: number; origins: ValueOrigin[] }
  | { kind: 'bool'; value: boolean; origins: ValueOrigin[] }
  | { kind: 'none'; origins: ValueOrigin[] }
  | { kind: 'str'; value: string; origins: ValueOrigin[] }
  | { kind: 'sequence'; items: Value[]; origins: ValueOrigin[] }
  | { kind: 'unknown'; reason: string };

export const unknown = (reason: string): Value => ({ kind: 'unknown', reason });

/** Python's `//` and `%` round toward negative infinity; JavaScript's do not. */
const floorDivide = (left: number, right: number): number => Math.floor(left / right);
const pythonModulo = (left: number, right: number): number => left - right * Math.floor(left / right);

export class Evaluator {
  private readonly inProgress = new Set<string>();

  constructor(private readonly scopes: ScopeIndex) {}

  evaluate(node: Node): Value {
    switch (node.type) {
      case 'integer':
        return parseInteger(node.text);
      case 'float': {
        const value = Number(node.text.replace(/_/g, ''));
        return Number.isFinite(value) ? { kind: 'float', value, origins: [] } : unknown(`\`${node.text}\` is not a real number`);
      }
      case 'true':
      case 'false':
        return { kind: 'bool', value: node.type === 'true', origins: [] };
      case 'none':
        return { kind: 'none', origins: [] };
      case 'string':
        return stringValue(node);
      case 'parenthesized_expression': {
        const inner = node.namedChild(0);
        return inner ? this.evaluate(inner) : unknown('empty parentheses');
      }
      case 'tuple':
      case 'list':
        return { kind: 'sequence', items: namedChildrenOf(node).map((item) => this.evaluate(item)), origins: [] };
      case 'unary_operator':
        return this.unary(node);
      case 'binary_operator':
        return this.binary(node);
      case 'identifier':
        return this.name(node);
      default:
        return unknown(`\`${node.text}\` is not a constant`);
    }
  }

  private name(node: Node): Value {
    const name = node.text;
    if (this.scopes.isBoundInEnclosingScope(name, node)) return unknown(`\`${name}\` is set inside the enclosing function or class`);
    const expression = this.scopes.moduleConstant(name);
    if (!expression) return unknown(`\`${name}\` is not a module-level constant`);
    if (this.inProgress.has(name)) return unknown(`\`${name}\` is defined in terms of itself`);
    this.inProgress.add(name);
    try {
      const value = this.evaluate(expression);
      if (value.kind === 'unknown') return value;
      const definition = expression.parent?.type === 'assignment' ? expression.parent : expression;
      return { ...value, origins: [{ name, range: rangeOfNode(definition) }, ...value.origins] };
    } finally {
      this.inProgress.delete(name);
    }
  }

  private unary(node: Node): Value {
    const operand = node.childForFieldName('argument');
    const operator = node.childForFieldName('operator')?.text;
    if (!operand) return unknown('incomplete expression');
    const value = this.evaluate(operand);
    if (value.kind !== 'int' && value.kind !== 'float') return value.kind === 'unknown' ? value : unknown(`\`${node.text}\` is not a number`);
    if (operator === '-') return { ...value, value: -value.value };
    if (operator === '+') return value;
    return unknown(`\`${node.text}\` uses an unsupported operator`);
  }

  private binary(node: Node): Value {
    const leftNode = node.childForFieldName('left');
    const rightNode = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.text;
    if (!leftNode || !rightNode || !operator) return unknown('incomplete expression');
    const left = this.evaluate(leftNode);
    if (left.kind === 'unknown') return left;
    const right = this.evaluate(rightNode);
    if (right.kind === 'unknown') return right;
    if ((left.kind !== 'int' && left.kind !== 'float') || (right.kind !== 'int' && right.kind !== 'float')) {
      return unknown(`\`${node.text}\` is not arithmetic on numbers`);
    }
    const origins = [...left.origins, ...right.origins];
    const bothInts = left.kind === 'int' && right.kind === 'int';
    const number = (value: number, integral: boolean): Value =>
      Number.isFinite(value) ? { kind: integral ? 'int' : 'float', value, origins } : unknown(`\`${node.text}\` overflows`);
    switch (operator) {
      case '+':
        return number(left.value + right.value, bothInts);
      case '-':
        return number(left.value - right.value, bothInts);
      case '*':
        return number(left.value * right.value, bothInts);
      case '/':
        return right.value === 0 ? unknown(`\`${node.text}\` divides by zero`) : number(left.value / right.value, false);
      case '//':
        return right.value === 0 ? unknown(`\`${node.text}\` divides by zero`) : number(floorDivide(left.value, right.value), bothInts);
      case '%':
        return right.value === 0 ? unknown(`\`${node.text}\` divides by zero`) : number(pythonModulo(left.value, right.value), bothInts);
      case '**':
        return bothInts && right.value < 0 ? number(left.value ** right.value, false) : number(left.value ** right.value, bothInts);
      default:
        return unknown(`\`${node.text}\` uses an unsupported operator`);
    }
  }
}

function parseInteger(text: string): Value {
  const digits = text.replace(/_/g, '').toLowerCase();
  const value = /^0[box]/.test(digits) ? Number(digits) : /^0+$/.test(digits) ? 0 : Number(digits);
  if (Number.isNaN(value)) return unknown(`\`${text}\` is not an integer`);
  if (!Number.isSafeInteger(value)) return unknown(`\`${text}\` is too large to reason about`);
  return { kind: 'int', value, origins: [] };
}

function stringValue(node: Node): Value {
  // Only plain literals: f-strings and implicit concatenations depend on more than their text.
  const parts = namedChildrenOf(node);
  if (parts.some((part) => part.type === 'interpolation')) return unknown('an f-string is not a constant');
  const content = parts.filter((part) => part.type === 'string_content').map((part) => part.text).join('');
  return { kind: 'str', value: content, origins: [] };
}
