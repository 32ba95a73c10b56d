// Evaluates expressions to values where the file alone decides them: literals, module-level
// constants and arithmetic on them. Anything else is `unknown` with a reason, never a guess.
// Every known number remembers the constants it passed through, so a finding can point at them.
import type { Expression } from './expressions';
import type { SourceRange } from './pythonParser';

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

/** A module-level name bound exactly once, by `NAME = value`. */
export interface ModuleConstant {
  value: Expression;
  range: SourceRange;
}

/** Python's `//` and `%` round toward negative infinity; JavaScript's do not. */
const floorDivide = (left: number, right: number): number => Math.floor(left / right);
const pythonModulo = (left: number, right: number): number => left - right * Math.floor(left / right);

export class Evaluator {
  private readonly inProgress = new Set<string>();
  private readonly constantValues = new Map<string, Value>();

  constructor(private readonly constants: ReadonlyMap<string, ModuleConstant>) {}

  evaluate(expression: Expression): Value {
    switch (expression.kind) {
      case 'integer':
        return parseInteger(expression.text);
      case 'float': {
        const value = Number(expression.text.replace(/_/g, ''));
        return Number.isFinite(value) ? { kind: 'float', value, origins: [] } : unknown(`\`${expression.source}\` is not a real number`);
      }
      case 'bool':
        return { kind: 'bool', value: expression.value, origins: [] };
      case 'none':
        return { kind: 'none', origins: [] };
      case 'string':
        return expression.value === undefined ? unknown('an f-string is not a constant') : { kind: 'str', value: expression.value, origins: [] };
      case 'sequence':
        return { kind: 'sequence', items: expression.items.map((item) => this.evaluate(item)), origins: [] };
      case 'unary':
        return this.unary(expression.operator, expression.operand, expression.source);
      case 'binary':
        return this.binary(expression);
      case 'name':
        return expression.isLocal ? unknown(`\`${expression.name}\` is set inside the enclosing function or class`) : this.constant(expression.name);
      default:
        return unknown(`\`${expression.source}\` is not a constant`);
    }
  }

  private constant(name: string): Value {
    const cached = this.constantValues.get(name);
    if (cached) return cached;
    const constant = this.constants.get(name);
    if (!constant) return unknown(`\`${name}\` is not a module-level constant`);
    if (this.inProgress.has(name)) return unknown(`\`${name}\` is defined in terms of itself`);
    this.inProgress.add(name);
    const value = this.evaluate(constant.value);
    this.inProgress.delete(name);
    const result: Value = value.kind === 'unknown' ? value : { ...value, origins: [{ name, range: constant.range }, ...value.origins] };
    this.constantValues.set(name, result);
    return result;
  }

  private unary(operator: string, operand: Expression, source: string): Value {
    const value = this.evaluate(operand);
    if (value.kind === 'unknown') return value;
    if (value.kind !== 'int' && value.kind !== 'float') return unknown(`\`${source}\` is not a number`);
    if (operator === '-') return { ...value, value: -value.value };
    if (operator === '+') return value;
    return unknown(`\`${source}\` uses an unsupported operator`);
  }

  private binary(expression: Extract<Expression, { kind: 'binary' }>): Value {
    const left = this.evaluate(expression.left);
    if (left.kind === 'unknown') return left;
    const right = this.evaluate(expression.right);
    if (right.kind === 'unknown') return right;
    if ((left.kind !== 'int' && left.kind !== 'float') || (right.kind !== 'int' && right.kind !== 'float')) {
      return unknown(`\`${expression.source}\` is not arithmetic on numbers`);
    }
    const origins = [...left.origins, ...right.origins];
    const bothInts = left.kind === 'int' && right.kind === 'int';
    const number = (value: number, integral: boolean): Value =>
      Number.isFinite(value) ? { kind: integral ? 'int' : 'float', value, origins } : unknown(`\`${expression.source}\` overflows`);
    const dividesByZero = unknown(`\`${expression.source}\` divides by zero`);
    switch (expression.operator) {
      case '+':
        return number(left.value + right.value, bothInts);
      case '-':
        return number(left.value - right.value, bothInts);
      case '*':
        return number(left.value * right.value, bothInts);
      case '/':
        return right.value === 0 ? dividesByZero : number(left.value / right.value, false);
      case '//':
        return right.value === 0 ? dividesByZero : number(floorDivide(left.value, right.value), bothInts);
      case '%':
        return right.value === 0 ? dividesByZero : number(pythonModulo(left.value, right.value), bothInts);
      case '**':
        return number(left.value ** right.value, bothInts && right.value >= 0);
      default:
        return unknown(`\`${expression.source}\` uses an unsupported operator`);
    }
  }
}

function parseInteger(text: string): Value {
  const digits = text.replace(/_/g, '').toLowerCase();
  const value = /^0+$/.test(digits) ? 0 : Number(digits);
  if (Number.isNaN(value)) return unknown(`\`${text}\` is not an integer`);
  if (!Number.isSafeInteger(value)) return unknown(`\`${text}\` is too large to reason about`);
  return { kind: 'int', value, origins: [] };
}
