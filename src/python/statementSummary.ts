// Summarizes one top-level statement into plain data: the names it binds, its imports, its
// functions (parameters, defaults, local assignments, `self.x = …`), every call with a dotted
// callee (arguments as detached expressions whose names know where they are bound), and its
// suppression comments. Summaries hold no tree nodes, so a statement that an edit did not touch
// keeps its summary.
import type { Language, Node } from '@vscode/tree-sitter-wasm';
import type { Suppression } from '../analysis/suppressions';
import { parseSuppression } from '../analysis/suppressions';
import { dottedName, toExpression } from './expressions';
import type { Expression, NameResolver } from './expressions';
import { importFactsOf } from './imports';
import type { ImportFacts } from './imports';
import { rangeOfNode } from './pythonParser';
import type { SourceRange } from './pythonParser';
import { pythonQuery } from './queries';
import { resolveName, scopesOfStatement } from './scopes';
import type { NestedScope, RawParameter, StatementScopes } from './scopes';
import { namedChildrenOf } from './syntax';

export interface CallArgument {
  /** Set for `name=value`. */
  keyword?: string;
  /** Set for `*value` and `**value`. */
  unpacking?: 'list' | 'dictionary';
  value: Expression;
}

export interface CallSite {
  callee: Expression;
  /** `nn.GroupNorm` for a dotted callee, computed once with the summary. */
  calleeName?: string;
  arguments: CallArgument[];
  range: SourceRange;
  /** The call contains a syntax error (half-typed code). */
  hasError: boolean;
  /** The innermost function whose body contains the call; absent at module or class level. */
  functionId?: string;
  /** Inside an `if`, loop, `try` or `with`: the call may run any number of times. */
  inBranch: boolean;
  /** The `if` conditions the call runs under (innermost last), each with the value it needs. */
  guards?: { condition: Expression; whenTrue: boolean }[];
}

export interface ParameterSummary {
  name: string;
  kind: RawParameter['kind'];
  default?: Expression;
}

export interface LocalBinding {
  name: string;
  value?: Expression;
  /** Set when the name gets one item of an unpacked value. */
  index?: number;
  offset: number;
  straightLine: boolean;
  range: SourceRange;
}

export interface FunctionSummary {
  id: string;
  name: string;
  /** Set for methods: the class that defines them. */
  className?: string;
  parameters: ParameterSummary[];
  locals: LocalBinding[];
  selfAttributes: { attribute: string; value: Expression; offset: number; straightLine: boolean }[];
  returns: { value: Expression; offset: number; straightLine: boolean }[];
  decorators: Expression[];
  nameRange: SourceRange;
}

export interface ModuleNameBinding {
  name: string;
  /** Set for a plain `NAME = value`, or for `A, B = value` with `index`. */
  value?: Expression;
  index?: number;
  range: SourceRange;
}

/** A name a class body binds exactly once, by `NAME = value`: read as `NAME` in the body or `self.NAME`. */
export interface ClassConstant {
  classId: string;
  name: string;
  value: Expression;
  range: SourceRange;
}

export interface StatementSummary {
  imports: ImportFacts[];
  classConstants: ClassConstant[];
  moduleBindings: ModuleNameBinding[];
  declaredGlobal: string[];
  /** Every name bound in any scope of the statement. */
  boundNames: string[];
  functions: FunctionSummary[];
  calls: CallSite[];
  suppressions: Suppression[];
}

export function summarizeStatement(statement: Node, language: Language): StatementSummary {
  const { moduleBindings, declaredGlobal, scopes, branches, guards } = scopesOfStatement(statement);
  const resolve: NameResolver = (name, at) => ({ binding: resolveName(scopes, name, at), offset: at.startIndex - statement.startIndex });
  const boundNames = new Set(moduleBindings.map((binding) => binding.name));
  for (const scope of scopes) for (const name of scope.names) boundNames.add(name);
  return {
    imports: pythonQuery(language, 'imports')
      .captures(statement)
      .map((capture) => importFactsOf(capture.node)),
    moduleBindings: moduleBindings.map((binding) => {
      const range = rangeOfNode(binding.statement);
      return {
        name: binding.name,
        range,
        ...(binding.value ? { value: toExpression(binding.value, resolve) } : {}),
        ...(binding.index === undefined ? {} : { index: binding.index }),
      };
    }),
    declaredGlobal,
    boundNames: [...boundNames],
    functions: scopes.flatMap((scope) => (scope.function ? [functionSummary(scope, resolve)] : [])),
    classConstants: scopes.flatMap((scope) => classConstantsOf(scope, resolve)),
    calls: callsIn(statement, language, resolve, scopes, branches, guards),
    suppressions: pythonQuery(language, 'comments')
      .captures(statement)
      .flatMap((capture) => parseSuppression(capture.node.text, capture.node.startPosition.row, capture.node.startPosition.column) ?? []),
  };
}

function classConstantsOf(scope: NestedScope, resolve: NameResolver): ClassConstant[] {
  const bindings = scope.classBindings ?? [];
  return bindings.flatMap((binding) => {
    const once = bindings.filter((other) => other.name === binding.name).length === 1;
    return once && binding.value && binding.straightLine
      ? [{ classId: scope.id, name: binding.name, value: toExpression(binding.value, resolve), range: rangeOfNode(binding.statement) }]
      : [];
  });
}

function functionSummary(scope: NestedScope, resolve: NameResolver): FunctionSummary {
  const raw = scope.function!;
  return {
    id: scope.id,
    name: raw.name,
    ...(raw.className ? { className: raw.className } : {}),
    parameters: raw.parameters.map((parameter) => ({
      name: parameter.name,
      kind: parameter.kind,
      ...(parameter.default ? { default: toExpression(parameter.default, resolve) } : {}),
    })),
    locals: raw.locals.map((local) => ({
      name: local.name,
      offset: local.offset,
      straightLine: local.straightLine,
      range: rangeOfNode(local.statement),
      ...(local.index === undefined ? {} : { index: local.index }),
      ...(local.value ? { value: toExpression(local.value, resolve) } : {}),
    })),
    selfAttributes: raw.selfAttributes.map((attribute) => ({ ...attribute, value: toExpression(attribute.value, resolve) })),
    returns: raw.returns.map((returned) => ({ ...returned, value: toExpression(returned.value, resolve) })),
    decorators: raw.decorators.map((decorator) => toExpression(decorator, resolve)),
    nameRange: rangeOfNode(raw.nameNode),
  };
}

function callsIn(
  statement: Node,
  language: Language,
  resolve: NameResolver,
  scopes: readonly NestedScope[],
  branches: readonly { startIndex: number; endIndex: number }[],
  guards: StatementScopes['guards'],
): CallSite[] {
  const calls: CallSite[] = [];
  for (const match of pythonQuery(language, 'calls').matches(statement)) {
    const call = match.captures.find((capture) => capture.name === 'layer')?.node;
    const callee = match.captures.find((capture) => capture.name === 'layer.name')?.node;
    const argumentList = match.captures.find((capture) => capture.name === 'layer.args')?.node;
    if (!call || !callee || !argumentList) continue;
    const calleeExpression = toExpression(callee, resolve);
    const calleeName = dottedName(calleeExpression);
    const enclosingFunction = scopes.filter((scope) => scope.function && scope.bodyStartIndex <= call.startIndex && call.endIndex <= scope.bodyEndIndex).pop();
    // Only conditions inside the enclosing function: they are evaluated in that function's contexts.
    const callGuards = guards
      .filter((guard) => guard.startIndex <= call.startIndex && call.endIndex <= guard.endIndex && (!enclosingFunction || guard.startIndex >= enclosingFunction.bodyStartIndex))
      .map((guard) => ({ condition: toExpression(guard.condition, resolve), whenTrue: guard.whenTrue }));
    calls.push({
      callee: calleeExpression,
      ...(calleeName ? { calleeName } : {}),
      arguments: namedChildrenOf(argumentList)
        .filter((argument) => argument.type !== 'comment')
        .map((argument) => callArgument(argument, resolve)),
      range: rangeOfNode(call),
      hasError: call.hasError,
      ...(enclosingFunction ? { functionId: enclosingFunction.id } : {}),
      // A branch around the whole function does not count: only one inside it.
      inBranch: branches.some(
        (branch) => branch.startIndex <= call.startIndex && call.endIndex <= branch.endIndex && (!enclosingFunction || branch.startIndex >= enclosingFunction.bodyStartIndex),
      ),
      ...(callGuards.length > 0 ? { guards: callGuards } : {}),
    });
  }
  return calls;
}

function callArgument(argument: Node, resolve: NameResolver): CallArgument {
  if (argument.type === 'keyword_argument') {
    const name = argument.childForFieldName('name');
    const value = argument.childForFieldName('value');
    if (name && value) return { keyword: name.text, value: toExpression(value, resolve) };
  }
  if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
    const inner = argument.namedChild(0) ?? argument;
    return { unpacking: argument.type === 'list_splat' ? 'list' : 'dictionary', value: toExpression(inner, resolve) };
  }
  return { value: toExpression(argument, resolve) };
}
