// Which names each scope binds, following Python's rules: a name assigned anywhere in a
// function is local to all of it, class bodies do not enclose their methods, `global` hands a
// name back to the module, and default values and decorators run in the enclosing scope.
// Works one top-level statement at a time, so unchanged statements need not be walked again.
import type { Node } from '@vscode/tree-sitter-wasm';
import { fieldChildrenOf, namedChildrenOf } from './syntax';

/** A function, lambda or class body inside a statement, with the names it binds. */
export interface NestedScope {
  kind: 'function' | 'class';
  bodyStartIndex: number;
  bodyEndIndex: number;
  names: Set<string>;
  globals: Set<string>;
}

/** A module-level name bound by a statement; `value` is set for a plain `NAME = value`. */
export interface ModuleBinding {
  name: string;
  value?: Node;
  /** The binding statement, for "set here" locations. */
  statement: Node;
}

export interface StatementScopes {
  moduleBindings: ModuleBinding[];
  /** Names some function in the statement declares `global`. */
  declaredGlobal: string[];
  /** Nested scopes in document order. */
  scopes: NestedScope[];
}

interface ScopeRecord {
  bind(name: string, statement: Node, value?: Node): void;
  globals: Set<string>;
}

export function scopesOfStatement(statement: Node): StatementScopes {
  const result: StatementScopes = { moduleBindings: [], declaredGlobal: [], scopes: [] };
  const module: ScopeRecord = {
    bind: (name, bindingStatement, value) => result.moduleBindings.push(value ? { name, value, statement: bindingStatement } : { name, statement: bindingStatement }),
    globals: new Set(),
  };
  visit(statement, module, result);
  result.declaredGlobal.push(...module.globals, ...result.scopes.flatMap((scope) => [...scope.globals]));
  return result;
}

/** True when `name`, used at `at`, is bound by a function or class scope enclosing it. */
export function isBoundInEnclosingScope(scopes: readonly NestedScope[], name: string, at: Node): boolean {
  const enclosing = scopes.filter((scope) => scope.bodyStartIndex <= at.startIndex && at.endIndex <= scope.bodyEndIndex);
  for (let index = enclosing.length - 1; index >= 0; index--) {
    const scope = enclosing[index]!;
    // A class body's names are visible in the class body itself, not in its methods.
    if (scope.kind === 'class' && index !== enclosing.length - 1) continue;
    if (scope.globals.has(name)) return false;
    if (scope.names.has(name)) return true;
  }
  return false;
}

function openScope(kind: NestedScope['kind'], body: Node, result: StatementScopes): ScopeRecord {
  const scope: NestedScope = { kind, bodyStartIndex: body.startIndex, bodyEndIndex: body.endIndex, names: new Set(), globals: new Set() };
  result.scopes.push(scope);
  return { bind: (name) => scope.names.add(name), globals: scope.globals };
}

function visit(node: Node, scope: ScopeRecord, result: StatementScopes): void {
  switch (node.type) {
    case 'function_definition':
    case 'lambda': {
      const name = node.childForFieldName('name');
      if (name) scope.bind(name.text, node);
      const parameters = node.childForFieldName('parameters');
      const body = node.childForFieldName('body');
      // Default values and annotations are evaluated where the function is defined.
      if (parameters) for (const parameter of namedChildrenOf(parameters)) visitParameterDefaults(parameter, scope, result);
      const returnType = node.childForFieldName('return_type');
      if (returnType) visit(returnType, scope, result);
      if (!body) return;
      const inner = openScope('function', body, result);
      if (parameters) for (const parameterName of parameterNames(parameters)) inner.bind(parameterName, parameters);
      visit(body, inner, result);
      return;
    }
    case 'class_definition': {
      const name = node.childForFieldName('name');
      if (name) scope.bind(name.text, node);
      const superclasses = node.childForFieldName('superclasses');
      if (superclasses) visit(superclasses, scope, result);
      const body = node.childForFieldName('body');
      if (body) visit(body, openScope('class', body, result), result);
      return;
    }
    case 'global_statement':
    case 'nonlocal_statement':
      for (const name of namedChildrenOf(node)) scope.globals.add(name.text);
      return;
    case 'import_statement':
    case 'import_from_statement':
      for (const name of importedNames(node)) scope.bind(name, node);
      return;
    case 'assignment': {
      const left = node.childForFieldName('left');
      let value = node.childForFieldName('right');
      // `A = B = 3`: every target gets the innermost right-hand side.
      while (value?.type === 'assignment') value = value.childForFieldName('right');
      if (left?.type === 'identifier') scope.bind(left.text, node, value ?? undefined);
      else if (left) for (const name of targetNames(left)) scope.bind(name, node);
      break;
    }
    case 'augmented_assignment':
    case 'for_statement':
    case 'for_in_clause': {
      const target = node.childForFieldName('left');
      if (target) for (const name of targetNames(target)) scope.bind(name, node);
      break;
    }
    case 'named_expression': {
      const name = node.childForFieldName('name');
      if (name) scope.bind(name.text, node);
      break;
    }
    case 'as_pattern': {
      const alias = node.childForFieldName('alias');
      if (alias) for (const name of targetNames(alias)) scope.bind(name, node);
      break;
    }
  }
  for (const child of namedChildrenOf(node)) visit(child, scope, result);
}

function visitParameterDefaults(parameter: Node, scope: ScopeRecord, result: StatementScopes): void {
  for (const field of ['value', 'type']) {
    const part = parameter.childForFieldName(field);
    if (part) visit(part, scope, result);
  }
}

function targetNames(target: Node): string[] {
  switch (target.type) {
    case 'identifier':
      return [target.text];
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'list_splat_pattern':
    case 'as_pattern_target':
    case 'parenthesized_expression':
    case 'tuple':
    case 'list':
      return namedChildrenOf(target).flatMap(targetNames);
    default:
      // Attributes and subscripts (`self.x = …`, `d[k] = …`) bind no name in this scope.
      return [];
  }
}

function parameterNames(parameters: Node): string[] {
  const names: string[] = [];
  for (const parameter of namedChildrenOf(parameters)) {
    if (parameter.type === 'identifier') names.push(parameter.text);
    else {
      const name = parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((part) => part.type === 'identifier');
      if (name?.type === 'identifier') names.push(name.text);
    }
  }
  return names;
}

function importedNames(statement: Node): string[] {
  return fieldChildrenOf(statement, 'name').flatMap((name) => {
    if (name.type === 'aliased_import') {
      const alias = name.childForFieldName('alias');
      return alias ? [alias.text] : [];
    }
    // `import torch.nn` binds `torch`.
    const first = name.type === 'dotted_name' ? name.namedChild(0) : name;
    return first ? [first.text] : [];
  });
}
