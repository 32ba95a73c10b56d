// Expressions detached from the syntax tree: small plain objects that outlive the tree they
// came from, so that a statement's summary can be cached across edits and evaluated later.
import type { Node } from '@vscode/tree-sitter-wasm';
import { rangeOfNode } from './pythonParser';
import type { SourceRange } from './pythonParser';
import type { NameBinding } from './scopes';
import { namedChildrenOf } from './syntax';

interface Located {
  /** The expression as written. */
  source: string;
  range: SourceRange;
}

export type Expression = Located &
  (
    | { kind: 'integer' | 'float'; text: string }
    | { kind: 'bool'; value: boolean }
    | { kind: 'none' }
    /** `value` is absent for f-strings, whose value depends on more than their text. */
    | { kind: 'string'; value?: string }
    /** `offset`: where the name is used, from the start of its top-level statement (for "the last assignment before"). */
    | { kind: 'name'; name: string; binding: NameBinding; offset: number }
    | { kind: 'attribute'; object: Expression; attribute: string }
    | { kind: 'unary'; operator: string; operand: Expression }
    | { kind: 'binary'; operator: string; left: Expression; right: Expression }
    /** `a is None`, `a == 2`: one comparison (chains such as `a < b < c` are `other`). */
    | { kind: 'compare'; operator: string; left: Expression; right: Expression }
    | { kind: 'not'; operand: Expression }
    | { kind: 'boolean'; operator: 'and' | 'or'; left: Expression; right: Expression }
    | { kind: 'sequence'; items: Expression[] }
    /** A call such as `int(x)`, `max(a, b)` or `partial(nn.GroupNorm, num_groups=32)`; unpacked arguments (`*a`, `**k`) are dropped and flagged. */
    | { kind: 'call'; callee: Expression; arguments: Expression[]; keywords: { name: string; value: Expression }[]; hasUnpacked: boolean }
    | { kind: 'other' }
  );

/** Tells where a name used at a node is bound, and that node's offset in its top-level statement. */
export type NameResolver = (name: string, at: Node) => { binding: NameBinding; offset: number };

/** Deeply nested expressions beyond this are summarized as `other` instead of overflowing the stack. */
const maximumDepth = 200;

export function toExpression(node: Node, resolve: NameResolver, depth = 0): Expression {
  // Plain literals in one property order, not spreads of a shared part: V8 gives every object made
  // by a spread here its own hidden class, which was a third of a workspace index's memory.
  const source = node.text;
  const range = rangeOfNode(node);
  if (depth > maximumDepth) return { source, range, kind: 'other' };
  const child = (part: Node | null): Expression => (part ? toExpression(part, resolve, depth + 1) : { source, range, kind: 'other' });
  switch (node.type) {
    case 'integer':
      return { source, range, kind: 'integer', text: source };
    case 'float':
      return { source, range, kind: 'float', text: source };
    case 'true':
    case 'false':
      return { source, range, kind: 'bool', value: node.type === 'true' };
    case 'none':
      return { source, range, kind: 'none' };
    case 'string': {
      const parts = namedChildrenOf(node);
      if (parts.some((part) => part.type === 'interpolation')) return { source, range, kind: 'string' };
      return { source, range, kind: 'string', value: parts.filter((part) => part.type === 'string_content').map((part) => part.text).join('') };
    }
    case 'identifier': {
      const { binding, offset } = resolve(source, node);
      return { source, range, kind: 'name', name: source, binding, offset };
    }
    case 'attribute': {
      const attribute = node.childForFieldName('attribute');
      if (!attribute) return { source, range, kind: 'other' };
      return { source, range, kind: 'attribute', object: child(node.childForFieldName('object')), attribute: attribute.text };
    }
    case 'parenthesized_expression':
      return node.namedChildCount === 1 ? child(node.namedChild(0)) : { source, range, kind: 'other' };
    case 'unary_operator':
      return { source, range, kind: 'unary', operator: node.childForFieldName('operator')?.text ?? '', operand: child(node.childForFieldName('argument')) };
    case 'binary_operator':
      return {
        source,
        range,
        kind: 'binary',
        operator: node.childForFieldName('operator')?.text ?? '',
        left: child(node.childForFieldName('left')),
        right: child(node.childForFieldName('right')),
      };
    case 'comparison_operator': {
      const operands = namedChildrenOf(node).filter((child) => child.type !== 'comment');
      const operators = node.children.filter((child): child is Node => child !== null && !child.isNamed).map((child) => child.text);
      if (operands.length !== 2) return { source, range, kind: 'other' };
      return { source, range, kind: 'compare', operator: operators.join(' '), left: child(operands[0]!), right: child(operands[1]!) };
    }
    case 'not_operator':
      return { source, range, kind: 'not', operand: child(node.childForFieldName('argument')) };
    case 'boolean_operator': {
      const operator = node.childForFieldName('operator')?.text;
      if (operator !== 'and' && operator !== 'or') return { source, range, kind: 'other' };
      return { source, range, kind: 'boolean', operator, left: child(node.childForFieldName('left')), right: child(node.childForFieldName('right')) };
    }
    case 'call': {
      const argumentList = node.childForFieldName('arguments');
      const parts = argumentList ? namedChildrenOf(argumentList).filter((argument) => argument.type !== 'comment') : [];
      const isUnpacked = (argument: Node): boolean => argument.type === 'list_splat' || argument.type === 'dictionary_splat';
      return {
        source,
        range,
        kind: 'call',
        callee: child(node.childForFieldName('function')),
        arguments: parts.filter((argument) => argument.type !== 'keyword_argument' && !isUnpacked(argument)).map(child),
        keywords: parts
          .filter((argument) => argument.type === 'keyword_argument')
          .map((argument) => ({ name: argument.childForFieldName('name')?.text ?? '', value: child(argument.childForFieldName('value')) })),
        hasUnpacked: parts.some(isUnpacked),
      };
    }
    case 'expression_list':
    case 'tuple':
    case 'list':
      return { source, range, kind: 'sequence', items: namedChildrenOf(node).filter((item) => item.type !== 'comment').map(child) };
    default:
      return { source, range, kind: 'other' };
  }
}

/** `a.b.c` for names and attribute chains, undefined for anything else. */
export function dottedName(expression: Expression): string | undefined {
  if (expression.kind === 'name') return expression.name;
  if (expression.kind === 'attribute') {
    const base = dottedName(expression.object);
    return base === undefined ? undefined : `${base}.${expression.attribute}`;
  }
  return undefined;
}

/** The root name of a dotted expression (`nn` in `nn.GroupNorm`). */
export function rootName(expression: Expression): Extract<Expression, { kind: 'name' }> | undefined {
  if (expression.kind === 'name') return expression;
  if (expression.kind === 'attribute') return rootName(expression.object);
  return undefined;
}
