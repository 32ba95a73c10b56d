// Summarizes one top-level statement into plain data: the names it binds, its imports, every
// call with a dotted callee (arguments as detached expressions, names marked when an enclosing
// function or class binds them), and its suppression comments. Summaries hold no tree nodes,
// so a statement that an edit did not touch keeps its summary.
import type { Language, Node } from '@vscode/tree-sitter-wasm';
import type { Suppression } from '../analysis/suppressions';
import { parseSuppression } from '../analysis/suppressions';
import { dottedName, toExpression } from './expressions';
import type { Expression } from './expressions';
import { importFactsOf } from './imports';
import type { ImportFacts } from './imports';
import { rangeOfNode } from './pythonParser';
import type { SourceRange } from './pythonParser';
import { pythonQuery } from './queries';
import { isBoundInEnclosingScope, scopesOfStatement } from './scopes';
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
}

export interface ModuleNameBinding {
  name: string;
  /** Set for a plain `NAME = value`. */
  value?: Expression;
  range: SourceRange;
}

export interface StatementSummary {
  imports: ImportFacts[];
  moduleBindings: ModuleNameBinding[];
  declaredGlobal: string[];
  /** Every name bound in any scope of the statement. */
  boundNames: string[];
  calls: CallSite[];
  suppressions: Suppression[];
}

export function summarizeStatement(statement: Node, language: Language): StatementSummary {
  const { moduleBindings, declaredGlobal, scopes } = scopesOfStatement(statement);
  const isLocal = (name: string, at: Node): boolean => isBoundInEnclosingScope(scopes, name, at);
  const boundNames = new Set(moduleBindings.map((binding) => binding.name));
  for (const scope of scopes) for (const name of scope.names) boundNames.add(name);
  return {
    imports: pythonQuery(language, 'imports')
      .captures(statement)
      .map((capture) => importFactsOf(capture.node)),
    moduleBindings: moduleBindings.map((binding) => {
      const range = rangeOfNode(binding.statement);
      return binding.value ? { name: binding.name, value: toExpression(binding.value, isLocal), range } : { name: binding.name, range };
    }),
    declaredGlobal,
    boundNames: [...boundNames],
    calls: callsIn(statement, language, isLocal),
    suppressions: pythonQuery(language, 'comments')
      .captures(statement)
      .flatMap((capture) => parseSuppression(capture.node.text, capture.node.startPosition.row, capture.node.startPosition.column) ?? []),
  };
}

function callsIn(statement: Node, language: Language, isLocal: (name: string, at: Node) => boolean): CallSite[] {
  const calls: CallSite[] = [];
  for (const match of pythonQuery(language, 'calls').matches(statement)) {
    const call = match.captures.find((capture) => capture.name === 'layer')?.node;
    const callee = match.captures.find((capture) => capture.name === 'layer.name')?.node;
    const argumentList = match.captures.find((capture) => capture.name === 'layer.args')?.node;
    if (!call || !callee || !argumentList) continue;
    const calleeExpression = toExpression(callee, isLocal);
    const calleeName = dottedName(calleeExpression);
    calls.push({
      callee: calleeExpression,
      ...(calleeName ? { calleeName } : {}),
      arguments: namedChildrenOf(argumentList)
        .filter((argument) => argument.type !== 'comment')
        .map((argument) => callArgument(argument, isLocal)),
      range: rangeOfNode(call),
      hasError: call.hasError,
    });
  }
  return calls;
}

function callArgument(argument: Node, isLocal: (name: string, at: Node) => boolean): CallArgument {
  if (argument.type === 'keyword_argument') {
    const name = argument.childForFieldName('name');
    const value = argument.childForFieldName('value');
    if (name && value) return { keyword: name.text, value: toExpression(value, isLocal) };
  }
  if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
    const inner = argument.namedChild(0) ?? argument;
    return { unpacking: argument.type === 'list_splat' ? 'list' : 'dictionary', value: toExpression(inner, isLocal) };
  }
  return { value: toExpression(argument, isLocal) };
}
