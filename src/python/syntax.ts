// Small, null-safe helpers over tree-sitter nodes, so analysis code reads as Python terms.
import type { Node } from '@vscode/tree-sitter-wasm';

export function namedChildrenOf(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

export function fieldChildrenOf(node: Node, field: string): Node[] {
  return node.childrenForFieldName(field).filter((child): child is Node => child !== null);
}

/** The dotted text of `a.b.c` built from identifiers, or undefined for anything else (calls, subscripts). */
export function dottedNameOf(node: Node): string | undefined {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'dotted_name') return namedChildrenOf(node).map((part) => part.text).join('.');
  if (node.type === 'attribute') {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    if (!object || !attribute) return undefined;
    const base = dottedNameOf(object);
    return base === undefined ? undefined : `${base}.${attribute.text}`;
  }
  return undefined;
}
