// Assembles a module's summary from its top-level statements' summaries, re-summarizing only
// the statements an edit changed: a statement whose text is unchanged reuses its summary,
// shifted to its new line. This keeps analysis after a keystroke proportional to the edit, not
// to the file.
import type { Language, Tree } from '@vscode/tree-sitter-wasm';
import type { CommandLineDefault, EvaluationScope, ModuleConstant } from '../python/evaluate';
import { signatureByQualifiedName } from '../frameworks';
import { ImportTable } from '../python/imports';
import type { CallSite, FunctionSummary, StatementSummary } from '../python/statementSummary';
import { summarizeStatement } from '../python/statementSummary';
import { CallResolver } from './resolvedCalls';
import type { ResolvedCall } from './resolvedCalls';
import type { Suppression } from './suppressions';

export interface ModuleSummary extends EvaluationScope {
  imports: ImportTable;
  calls: CallSite[];
  /** The calls that construct a known layer or call a known function. */
  resolvedCalls: ResolvedCall[];
  suppressions: Suppression[];
  /** Each top-level statement with its resolved calls. A statement's summary object stays the same while its text and line do. */
  statements: { summary: StatementSummary; resolvedCalls: ResolvedCall[] }[];
  /**
   * What every statement's facts may depend on besides the statement itself: the imports, the
   * names the module binds, and the statements that set constants or call the module's own
   * functions and classes. Facts computed under an equal environment can be reused.
   */
  environment: { key: string; statements: StatementSummary[] };
  /** Calls whose callee is a bare module-level name (`Block(64)`, `make_norm(ch)`): the ones that can bind the module's own functions. */
  callsByName: ReadonlyMap<string, CallSite[]>;
  /** Calls `parameter.method(…)` by method name: the candidates for `self.method(…)`. */
  methodCallsByName: ReadonlyMap<string, CallSite[]>;
  /** Calls of a parameter or local (`block(…)`, `norm_layer(…)`), which may hold a class. */
  callsOfVariables: CallSite[];
}

interface StatementCallIndex {
  toModuleNames: CallSite[];
  methodCalls: CallSite[];
  ofVariables: CallSite[];
}

const callIndexOfStatement = new WeakMap<StatementSummary, StatementCallIndex>();

/** A statement's calls sorted by the kind of callee interprocedural analysis follows, computed once per summary. */
function callIndex(statement: StatementSummary): StatementCallIndex {
  let index = callIndexOfStatement.get(statement);
  if (!index) {
    index = { toModuleNames: [], methodCalls: [], ofVariables: [] };
    for (const call of statement.calls) {
      const callee = call.callee;
      if (callee.kind === 'name' && callee.binding.scope === 'module') index.toModuleNames.push(call);
      else if (callee.kind === 'name' && (callee.binding.scope === 'parameter' || callee.binding.scope === 'local')) index.ofVariables.push(call);
      else if (callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.binding.scope === 'parameter') index.methodCalls.push(call);
    }
    callIndexOfStatement.set(statement, index);
  }
  return index;
}

function callsToModuleNames(statement: StatementSummary): CallSite[] {
  return callIndex(statement).toModuleNames;
}

function groupBy(calls: Iterable<CallSite>, key: (call: CallSite) => string): Map<string, CallSite[]> {
  const groups = new Map<string, CallSite[]>();
  for (const call of calls) {
    const name = key(call);
    const group = groups.get(name);
    if (group) group.push(call);
    else groups.set(name, [call]);
  }
  return groups;
}

interface CachedSummary {
  summary: StatementSummary;
  /** The line the statement started on when `summary`'s ranges were computed. */
  line: number;
}

export class ModuleSummarizer {
  private cache = new Map<string, CachedSummary>();
  private readonly resolver = new CallResolver();

  constructor(private readonly language: Language) {}

  summarize(tree: Tree): ModuleSummary {
    const next = new Map<string, CachedSummary>();
    const statements: StatementSummary[] = [];
    for (const statement of tree.rootNode.namedChildren) {
      if (!statement) continue;
      const line = statement.startPosition.row;
      // The column is part of the key: a summary's columns are only valid where they were computed.
      const key = `${statement.startPosition.column}:${statement.text}`;
      let cached = next.get(key) ?? this.cache.get(key);
      if (!cached) cached = { summary: summarizeStatement(statement, this.language), line };
      else if (cached.line !== line) cached = { summary: shiftLines(cached.summary, line - cached.line), line };
      next.set(key, cached);
      statements.push(cached.summary);
    }
    this.cache = next;
    const module = combine(statements);
    const resolvedStatements = statements.map((summary) => ({ summary, resolvedCalls: this.resolver.resolve(summary.calls, module.imports) }));
    const indexes = statements.map(callIndex);
    return {
      ...module,
      statements: resolvedStatements,
      resolvedCalls: resolvedStatements.flatMap((statement) => statement.resolvedCalls),
      environment: environmentOf(statements, module),
      callsByName: groupBy(indexes.flatMap((index) => index.toModuleNames), (call) => call.calleeName!),
      methodCallsByName: groupBy(indexes.flatMap((index) => index.methodCalls), (call) => (call.callee as { attribute: string }).attribute),
      callsOfVariables: indexes.flatMap((index) => index.ofVariables),
    };
  }
}

function environmentOf(statements: readonly StatementSummary[], module: ReturnType<typeof combine>): ModuleSummary['environment'] {
  // The module's own top-level functions and classes: calls to them bind parameters elsewhere.
  const ownCallables = new Set<string>();
  for (const summary of module.functions.values()) {
    if (!summary.id.includes('.')) ownCallables.add(summary.id);
    if (summary.className && !summary.className.includes('.')) ownCallables.add(summary.className);
  }
  const environmental = statements.filter(
    (statement) =>
      statement.declaredGlobal.length > 0 ||
      statement.moduleBindings.some((binding) => binding.value) ||
      statement.calls.some((call) => call.calleeName?.endsWith('.add_argument')) ||
      callsToModuleNames(statement).some((call) => ownCallables.has(call.calleeName!)),
  );
  return { key: `${module.imports.fingerprint}|${[...module.boundNames].sort().join(',')}`, statements: environmental };
}

function combine(
  statements: readonly StatementSummary[],
): Omit<ModuleSummary, 'resolvedCalls' | 'statements' | 'environment' | 'callsByName' | 'methodCallsByName' | 'callsOfVariables'> {
  const bindingCounts = new Map<string, number>();
  const constants = new Map<string, ModuleConstant>();
  const declaredGlobal = new Set<string>();
  const boundNames = new Set<string>();
  for (const statement of statements) {
    for (const name of statement.declaredGlobal) declaredGlobal.add(name);
    for (const name of statement.boundNames) boundNames.add(name);
    for (const binding of statement.moduleBindings) {
      bindingCounts.set(binding.name, (bindingCounts.get(binding.name) ?? 0) + 1);
      if (binding.value) constants.set(binding.name, { value: binding.value, range: binding.range, ...(binding.index === undefined ? {} : { index: binding.index }) });
    }
  }
  // A constant is a name bound exactly once at module level, by a plain assignment, that no function rebinds through `global`.
  for (const name of constants.keys()) {
    if (bindingCounts.get(name) !== 1 || declaredGlobal.has(name)) constants.delete(name);
  }
  const classConstants = new Map<string, ModuleConstant>();
  for (const statement of statements) {
    for (const constant of statement.classConstants) classConstants.set(`${constant.classId}.${constant.name}`, { value: constant.value, range: constant.range });
  }
  const commandLineDefaults = new Map<string, CommandLineDefault>();
  for (const statement of statements) for (const call of statement.calls) addCommandLineDefault(call, commandLineDefaults);
  // A later `def` of the same name replaces the earlier one, as in Python.
  const functions = new Map<string, FunctionSummary>();
  for (const statement of statements) for (const summary of statement.functions) functions.set(summary.id, summary);
  const imports = new ImportTable(statements.flatMap((statement) => statement.imports), boundNames);
  return {
    imports,
    qualify: (dottedName) => imports.qualify(dottedName)[0],
    resolveName: (dottedName) => {
      for (const qualifiedName of imports.qualify(dottedName)) {
        if (qualifiedName === 'functools.partial') return { kind: 'partial' };
        const signature = signatureByQualifiedName.get(qualifiedName);
        if (signature) return { kind: 'layerClass', signature, qualifiedName };
      }
      return undefined;
    },
    constants,
    commandLineDefaults,
    classConstants,
    functions,
    boundNames,
    calls: statements.flatMap((statement) => statement.calls),
    suppressions: statements.flatMap((statement) => statement.suppressions),
  };
}

/** Records `parser.add_argument('--batch-size', type=int, default=64)` as the default of `args.batch_size`. */
function addCommandLineDefault(call: CallSite, defaults: Map<string, CommandLineDefault>): void {
  if (!call.calleeName?.endsWith('.add_argument')) return;
  const options = call.arguments.filter((argument) => !argument.keyword && argument.value.kind === 'string').map((argument) => (argument.value as { value?: string }).value ?? '');
  const long = options.find((option) => option.startsWith('--')) ?? options.find((option) => option.startsWith('-'));
  const value = call.arguments.find((argument) => argument.keyword === 'default')?.value;
  if (!long || !value) return;
  const explicit = call.arguments.find((argument) => argument.keyword === 'dest')?.value;
  // argparse's own rule: the first long option without its dashes, inner dashes as underscores.
  const destination = explicit?.kind === 'string' && explicit.value ? explicit.value : long.replace(/^-+/, '').replace(/-/g, '_');
  defaults.set(destination, { option: long, value, range: call.range });
}

/** A copy of `value` with every `{ line, character }` position moved by `delta` lines. */
function shiftLines<T>(value: T, delta: number): T {
  if (Array.isArray(value)) return value.map((item) => shiftLines(item, delta)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (typeof record.line === 'number' && typeof record.character === 'number') return { ...record, line: record.line + delta } as T;
  const shifted: Record<string, unknown> = {};
  for (const key of Object.keys(record)) shifted[key] = shiftLines(record[key], delta);
  return shifted as T;
}
