// Which names each scope of a file binds, following Python's rules: a name assigned anywhere
// in a function is local to all of it, class bodies do not enclose their methods, and a
// module-level name is a constant only when it is bound exactly once, by a plain assignment.
import type { Node } from '@vscode/tree-sitter-wasm';
import { fieldChildrenOf, namedChildrenOf } from './syntax';

const scopeTypes = new Set(['function_definition', 'lambda', 'class_definition']);

interface ScopeBindings {
  /** Every name bound in the scope, with the statements that bind it. */
  readonly bindings: Map<string, Node[]>;
  /** Names a `global` statement hands to the module. */
  readonly globals: Set<string>;
}

export class ScopeIndex {
  private readonly byScopeId = new Map<number, ScopeBindings>();
  private readonly module: ScopeBindings;
  private readonly declaredGlobalAnywhere = new Set<string>();
  private allBoundNames: Set<string> | undefined;

  constructor(private readonly root: Node) {
    this.module = this.bindingsOf(root);
    for (const statement of root.descendantsOfType('global_statement')) {
      for (const name of namedChildrenOf(statement!)) this.declaredGlobalAnywhere.add(name.text);
    }
  }

  /**
   * The expression a module-level constant is assigned, when the module binds the name once with
   * `NAME = expression` (or `NAME: int = expression`) and no function rebinds it through `global`.
   */
  moduleConstant(name: string): Node | undefined {
    const statements = this.module.bindings.get(name);
    if (!statements || statements.length !== 1 || this.declaredGlobalAnywhere.has(name)) return undefined;
    const [statement] = statements;
    if (statement?.type !== 'assignment' || statement.childForFieldName('left')?.type !== 'identifier') return undefined;
    let value = statement.childForFieldName('right');
    // `A = B = 3`: the value is the innermost right-hand side.
    while (value?.type === 'assignment') value = value.childForFieldName('right');
    return value ?? undefined;
  }

  /** True when a function, lambda or class body enclosing `at` binds `name` (so the module's value does not apply). */
  isBoundInEnclosingScope(name: string, at: Node): boolean {
    for (let scope = enclosingScope(at); scope; scope = enclosingScope(scope)) {
      // A class body's names are visible in the class body itself, not in its methods.
      if (scope.type === 'class_definition' && !isDirectlyInClassBody(at, scope)) continue;
      const { bindings, globals } = this.bindingsOfScope(scope);
      if (globals.has(name)) return false;
      if (bindings.has(name)) return true;
    }
    return false;
  }

  /** True when the name is bound anywhere in the file (module, function or class scope). */
  isBoundAnywhere(name: string): boolean {
    if (!this.allBoundNames) {
      this.allBoundNames = new Set(this.module.bindings.keys());
      for (const scope of this.root.descendantsOfType([...scopeTypes])) {
        if (scope) for (const bound of this.bindingsOfScope(scope).bindings.keys()) this.allBoundNames.add(bound);
      }
    }
    return this.allBoundNames.has(name);
  }

  private bindingsOfScope(scope: Node): ScopeBindings {
    let bindings = this.byScopeId.get(scope.id);
    if (!bindings) {
      bindings = this.bindingsOf(scope);
      this.byScopeId.set(scope.id, bindings);
    }
    return bindings;
  }

  private bindingsOf(scope: Node): ScopeBindings {
    const result: ScopeBindings = { bindings: new Map(), globals: new Set() };
    const bind = (name: string, statement: Node): void => {
      const statements = result.bindings.get(name);
      if (statements) statements.push(statement);
      else result.bindings.set(name, [statement]);
    };
    const parameters = scope.childForFieldName('parameters');
    if (parameters) for (const name of parameterNames(parameters)) bind(name, parameters);
    const body = scope.type === 'module' ? scope : scope.childForFieldName('body');
    if (body) collectBindings(body, bind, result.globals);
    return result;
  }
}

function enclosingScope(node: Node): Node | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (scopeTypes.has(parent.type)) return parent;
  }
  return undefined;
}

function isDirectlyInClassBody(node: Node, classNode: Node): boolean {
  for (let parent = node.parent; parent && parent.id !== classNode.id; parent = parent.parent) {
    if (parent.type === 'function_definition' || parent.type === 'lambda') return false;
  }
  return true;
}

/** Walks a scope's statements (not nested scopes' bodies) and reports every name it binds. */
function collectBindings(node: Node, bind: (name: string, statement: Node) => void, globals: Set<string>): void {
  for (const child of namedChildrenOf(node)) {
    switch (child.type) {
      case 'function_definition':
      case 'class_definition': {
        const name = child.childForFieldName('name');
        if (name) bind(name.text, child);
        // Decorators and default values run in this scope; the body does not.
        for (const part of namedChildrenOf(child)) {
          if (part.type !== 'block' && part.type !== 'identifier') collectBindings(part, bind, globals);
        }
        continue;
      }
      case 'lambda':
        continue;
      case 'global_statement':
      case 'nonlocal_statement':
        for (const name of namedChildrenOf(child)) globals.add(name.text);
        continue;
      case 'assignment':
      case 'augmented_assignment':
      case 'for_statement':
      case 'for_in_clause': {
        const target = child.childForFieldName('left');
        if (target) for (const name of targetNames(target)) bind(name, child);
        break;
      }
      case 'named_expression': {
        const name = child.childForFieldName('name');
        if (name) bind(name.text, child);
        break;
      }
      case 'as_pattern': {
        const alias = child.childForFieldName('alias');
        if (alias) for (const name of targetNames(alias)) bind(name, child);
        break;
      }
      case 'import_statement':
      case 'import_from_statement':
        for (const name of importedNames(child)) bind(name, child);
        continue;
    }
    collectBindings(child, bind, globals);
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
