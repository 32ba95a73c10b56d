// Which names each scope binds, following Python's rules: a name assigned anywhere in a
// function is local to all of it, class bodies do not enclose their methods, `global` hands a
// name back to the module, and default values and decorators run in the enclosing scope.
// Works one top-level statement at a time, so unchanged statements need not be walked again.
// It also records, per function, what interprocedural analysis needs: parameters with their
// defaults, local assignments in order, and `self.x = …` in methods.
import type { Node } from '@vscode/tree-sitter-wasm';
import { fieldChildrenOf, namedChildrenOf } from './syntax';

/** A function, lambda or class body inside a statement, with the names it binds. */
export interface NestedScope {
  kind: 'function' | 'class';
  /** Dotted path from the module: `Block`, `Block.__init__`, `make.<locals>.inner`. */
  id: string;
  bodyStartIndex: number;
  bodyEndIndex: number;
  names: Set<string>;
  globals: Set<string>;
  /** Set for functions (not lambdas): what calls to it bind. */
  function?: RawFunction;
  /** For classes: every binding in the class body, with its value for a plain `NAME = value`. */
  classBindings?: { name: string; value?: Node; statement: Node; straightLine: boolean }[];
}

export interface RawParameter {
  name: string;
  kind: 'positional' | 'keyword' | 'varargs' | 'varkw';
  default?: Node;
}

/** One binding of a name inside a function, in source order. */
export interface RawLocalBinding {
  name: string;
  /** The assigned expression for `name = value`; with `index`, the item of a tuple on the right. */
  value?: Node;
  /** `a, b = value`: this name gets item `index` of the value (`random_split(ds, [800, 201])`). */
  index?: number;
  /** Offset of the binding statement's end from the start of the top-level statement. */
  offset: number;
  /** False inside `if`, loops, `try` and `with`: the binding may or may not have run. */
  straightLine: boolean;
  statement: Node;
}

export interface RawFunction {
  name: string;
  nameNode: Node;
  /** The class whose body defines this function directly, if any. */
  className?: string;
  parameters: RawParameter[];
  locals: RawLocalBinding[];
  /** `self.attribute = value` in a method, where `self` is the first parameter. */
  selfAttributes: { attribute: string; value: Node; offset: number; straightLine: boolean }[];
  /** `return value` statements. */
  returns: { value: Node; offset: number; straightLine: boolean }[];
  /** The expressions after `@`: `hydra.main(config_path="conf", config_name="train")`. */
  decorators: Node[];
}

/** A module-level name bound by a statement; `value` is set for a plain `NAME = value`. */
export interface ModuleBinding {
  name: string;
  value?: Node;
  /** Set when the name gets one item of an unpacked value. */
  index?: number;
  /** The binding statement, for "set here" locations. */
  statement: Node;
}

export interface StatementScopes {
  moduleBindings: ModuleBinding[];
  /** Names some function in the statement declares `global`. */
  declaredGlobal: string[];
  /** Nested scopes in document order. */
  scopes: NestedScope[];
  /** The bodies of `if`, loops, `try`, `with` and `match` (start and end index): code there may or may not run. */
  branches: { startIndex: number; endIndex: number }[];
  /** The bodies of `if` statements (and of an `else` that follows a lone `if`), with the condition they run under. */
  guards: { startIndex: number; endIndex: number; condition: Node; whenTrue: boolean }[];
}

/** Where a name used at some node is bound. */
export type NameBinding =
  | { scope: 'module' }
  | { scope: 'parameter'; functionId: string }
  | { scope: 'local'; functionId: string }
  | { scope: 'class'; classId: string }
  /** Bound by a function enclosing the innermost one (a closure), or by a lambda: not followed. */
  | { scope: 'enclosing' };

interface ScopeRecord {
  kind: 'module' | 'class' | 'function';
  bind(name: string, statement: Node, value?: Node, index?: number): void;
  globals: Set<string>;
  id: string;
  /** The scope's own record in the result (absent for the module). */
  nested?: NestedScope;
  function?: RawFunction;
  /** The first parameter of a method, conventionally `self`. */
  selfName?: string;
}

interface WalkState {
  result: StatementScopes;
  statementStart: number;
  /** Nesting depth of compound statements (if/for/while/try/with/match) inside the current function; updated as the walk goes. */
  branchDepth: number;
}

const compoundStatements = new Set(['if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'match_statement']);

export function scopesOfStatement(statement: Node): StatementScopes {
  const result: StatementScopes = { moduleBindings: [], declaredGlobal: [], scopes: [], branches: [], guards: [] };
  const module: ScopeRecord = {
    kind: 'module',
    bind: (name, bindingStatement, value, index) =>
      result.moduleBindings.push({ name, statement: bindingStatement, ...(value ? { value } : {}), ...(index === undefined ? {} : { index }) }),
    globals: new Set(),
    id: '',
  };
  visit(statement, module, { result, statementStart: statement.startIndex, branchDepth: 0 });
  result.declaredGlobal.push(...module.globals, ...result.scopes.flatMap((scope) => [...scope.globals]));
  return result;
}

/** Resolves a name used at `at` to the scope that binds it. */
export function resolveName(scopes: readonly NestedScope[], name: string, at: Node): NameBinding {
  const enclosing = scopes.filter((scope) => scope.bodyStartIndex <= at.startIndex && at.endIndex <= scope.bodyEndIndex);
  for (let index = enclosing.length - 1; index >= 0; index--) {
    const scope = enclosing[index]!;
    const innermost = index === enclosing.length - 1;
    // A class body's names are visible in the class body itself, not in its methods.
    if (scope.kind === 'class' && !innermost) continue;
    if (scope.globals.has(name)) return { scope: 'module' };
    if (!scope.names.has(name)) continue;
    if (scope.kind === 'class') return { scope: 'class', classId: scope.id };
    if (!innermost || !scope.function) return { scope: 'enclosing' };
    return scope.function.parameters.some((parameter) => parameter.name === name)
      ? { scope: 'parameter', functionId: scope.id }
      : { scope: 'local', functionId: scope.id };
  }
  return { scope: 'module' };
}

function childId(parent: ScopeRecord, name: string): string {
  if (!parent.id) return name;
  return parent.function ? `${parent.id}.<locals>.${name}` : `${parent.id}.${name}`;
}

function openScope(kind: NestedScope['kind'], id: string, body: Node, state: WalkState, rawFunction?: RawFunction): ScopeRecord {
  const scope: NestedScope = { kind, id, bodyStartIndex: body.startIndex, bodyEndIndex: body.endIndex, names: new Set(), globals: new Set() };
  if (rawFunction) scope.function = rawFunction;
  if (kind === 'class') scope.classBindings = [];
  state.result.scopes.push(scope);
  const record: ScopeRecord = {
    kind,
    nested: scope,
    bind: (name, bindingStatement, value, index) => {
      scope.names.add(name);
      scope.classBindings?.push({ name, statement: bindingStatement, straightLine: state.branchDepth === 0, ...(value && index === undefined ? { value } : {}) });
      rawFunction?.locals.push({
        name,
        ...(value ? { value } : {}),
        ...(index === undefined ? {} : { index }),
        offset: bindingStatement.endIndex - state.statementStart,
        straightLine: state.branchDepth === 0,
        statement: bindingStatement,
      });
    },
    globals: scope.globals,
    id,
  };
  if (rawFunction) record.function = rawFunction;
  return record;
}

function visit(node: Node, scope: ScopeRecord, state: WalkState): void {
  switch (node.type) {
    case 'function_definition':
    case 'lambda':
      visitFunction(node, scope, state);
      return;
    case 'class_definition': {
      const name = node.childForFieldName('name');
      if (name) scope.bind(name.text, node);
      const superclasses = node.childForFieldName('superclasses');
      if (superclasses) visit(superclasses, scope, state);
      const body = node.childForFieldName('body');
      if (body && name) visitBody(body, openScope('class', childId(scope, name.text), body, state), state);
      return;
    }
    case 'global_statement':
    case 'nonlocal_statement':
      for (const name of namedChildrenOf(node)) scope.globals.add(name.text);
      return;
    case 'return_statement': {
      const value = node.namedChild(0);
      if (value && scope.function) {
        scope.function.returns.push({ value, offset: node.endIndex - state.statementStart, straightLine: state.branchDepth === 0 });
      }
      break;
    }
    case 'import_statement':
    case 'import_from_statement':
      for (const name of importedNames(node)) scope.bind(name, node);
      return;
    case 'assignment':
      visitAssignment(node, scope, state);
      break;
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
  if (node.type === 'if_statement') recordGuards(node, state.result.guards);
  const isBranch = compoundStatements.has(node.type);
  if (isBranch) {
    state.branchDepth++;
    state.result.branches.push({ startIndex: node.startIndex, endIndex: node.endIndex });
  }
  for (const child of namedChildrenOf(node)) visit(child, scope, state);
  if (isBranch) state.branchDepth--;
}

/** `if c:` guards its body with `c`; an `else:` after a lone `if` (no `elif`) runs when `c` is false. */
function recordGuards(statement: Node, guards: StatementScopes['guards']): void {
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  if (!condition) return;
  if (consequence) guards.push({ startIndex: consequence.startIndex, endIndex: consequence.endIndex, condition, whenTrue: true });
  const alternatives = namedChildrenOf(statement).filter((child) => child.type === 'elif_clause' || child.type === 'else_clause');
  const body = alternatives.length === 1 && alternatives[0]!.type === 'else_clause' ? alternatives[0]!.childForFieldName('body') : null;
  if (body) guards.push({ startIndex: body.startIndex, endIndex: body.endIndex, condition, whenTrue: false });
}

/** Visits a function or class body, whose statements run unconditionally relative to its own start. */
function visitBody(body: Node, scope: ScopeRecord, state: WalkState): void {
  const outerDepth = state.branchDepth;
  state.branchDepth = 0;
  visit(body, scope, state);
  state.branchDepth = outerDepth;
}

function visitAssignment(node: Node, scope: ScopeRecord, state: WalkState): void {
  const left = node.childForFieldName('left');
  let value = node.childForFieldName('right');
  // `A = B = 3`: every target gets the innermost right-hand side.
  while (value?.type === 'assignment') value = value.childForFieldName('right');
  if (!left) return;
  if (left.type === 'identifier') {
    scope.bind(left.text, node, value ?? undefined);
    return;
  }
  if (left.type === 'attribute' && scope.function && scope.selfName && value) {
    const object = left.childForFieldName('object');
    const attribute = left.childForFieldName('attribute');
    if (object?.type === 'identifier' && object.text === scope.selfName && attribute) {
      scope.function.selfAttributes.push({
        attribute: attribute.text,
        value,
        offset: node.endIndex - state.statementStart,
        straightLine: state.branchDepth === 0,
      });
    }
    return;
  }
  // `a, b = 32, 64` binds each name to the matching item when the right side is a tuple of the same length.
  const targets = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? namedChildrenOf(left) : [];
  const items = value && (value.type === 'expression_list' || value.type === 'tuple') ? namedChildrenOf(value) : [];
  if (targets.length > 0 && targets.length === items.length && targets.every((target) => target.type === 'identifier')) {
    targets.forEach((target, index) => scope.bind(target.text, node, items[index]));
    return;
  }
  // `train, val = random_split(ds, [800, 201])`: each name gets one item of whatever the right side is.
  if (targets.length > 0 && value && items.length === 0 && targets.every((target) => target.type === 'identifier')) {
    targets.forEach((target, index) => scope.bind(target.text, node, value, index));
    return;
  }
  for (const name of targetNames(left)) scope.bind(name, node);
}

function visitFunction(node: Node, scope: ScopeRecord, state: WalkState): void {
  const name = node.childForFieldName('name');
  if (name) scope.bind(name.text, node);
  const parameters = node.childForFieldName('parameters');
  const body = node.childForFieldName('body');
  const rawParameters = parameters ? parametersOf(parameters) : [];
  // Default values, annotations and decorators are evaluated where the function is defined.
  for (const parameter of rawParameters) if (parameter.default) visit(parameter.default, scope, state);
  const returnType = node.childForFieldName('return_type');
  if (returnType) visit(returnType, scope, state);
  if (!body) return;
  const isMethod = scope.kind === 'class';
  const rawFunction: RawFunction | undefined =
    node.type === 'function_definition' && name
      ? { name: name.text, nameNode: name, parameters: rawParameters, locals: [], selfAttributes: [], returns: [], decorators: decoratorsOf(node), ...(isMethod ? { className: scope.id } : {}) }
      : undefined;
  const id = name ? childId(scope, name.text) : `${scope.id}.<lambda>`;
  const inner = openScope('function', id, body, state, rawFunction);
  if (isMethod && rawParameters[0]?.kind === 'positional') inner.selfName = rawParameters[0].name;
  // Parameters are bound before the body runs; they are not local assignments.
  for (const parameter of rawParameters) inner.nested?.names.add(parameter.name);
  visitBody(body, inner, state);
}

function decoratorsOf(definition: Node): Node[] {
  const decorated = definition.parent?.type === 'decorated_definition' ? definition.parent : undefined;
  return decorated ? namedChildrenOf(decorated).flatMap((child) => (child.type === 'decorator' && child.namedChild(0) ? [child.namedChild(0)!] : [])) : [];
}

function parametersOf(parameters: Node): RawParameter[] {
  const result: RawParameter[] = [];
  let keywordOnly = false;
  for (const parameter of namedChildrenOf(parameters)) {
    switch (parameter.type) {
      case 'identifier':
        result.push({ name: parameter.text, kind: keywordOnly ? 'keyword' : 'positional' });
        break;
      case 'typed_parameter': {
        const inner = namedChildrenOf(parameter)[0];
        if (inner?.type === 'identifier') result.push({ name: inner.text, kind: keywordOnly ? 'keyword' : 'positional' });
        else if (inner?.type === 'list_splat_pattern' || inner?.type === 'dictionary_splat_pattern') pushSplat(inner, result);
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = parameter.childForFieldName('name');
        const value = parameter.childForFieldName('value');
        if (name) result.push({ name: name.text, kind: keywordOnly ? 'keyword' : 'positional', ...(value ? { default: value } : {}) });
        break;
      }
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
        pushSplat(parameter, result);
        break;
      case 'keyword_separator':
        keywordOnly = true;
        break;
    }
    if (parameter.type === 'list_splat_pattern' || (parameter.type === 'typed_parameter' && namedChildrenOf(parameter)[0]?.type === 'list_splat_pattern')) {
      keywordOnly = true;
    }
  }
  return result;
}

function pushSplat(pattern: Node, result: RawParameter[]): void {
  const name = namedChildrenOf(pattern).find((part) => part.type === 'identifier');
  if (name) result.push({ name: name.text, kind: pattern.type === 'list_splat_pattern' ? 'varargs' : 'varkw' });
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
