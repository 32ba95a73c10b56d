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
}

const callsByNameOfStatement = new WeakMap<StatementSummary, CallSite[]>();

/** A statement's calls to bare module-level names, computed once per summary. */
function callsToModuleNames(statement: StatementSummary): CallSite[] {
  let calls = callsByNameOfStatement.get(statement);
  if (!calls) {
    calls = statement.calls.filter((call) => call.callee.kind === 'name' && call.callee.binding.scope === 'module');
    callsByNameOfStatement.set(statement, calls);
  }
  return calls;
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
    const callsByName = new Map<string, CallSite[]>();
    for (const statement of statements) {
      for (const call of callsToModuleNames(statement)) {
        const name = call.calleeName!;
        const calls = callsByName.get(name);
        if (calls) calls.push(call);
        else callsByName.set(name, [call]);
      }
    }
    return {
      ...module,
      statements: resolvedStatements,
      resolvedCalls: resolvedStatements.flatMap((statement) => statement.resolvedCalls),
      environment: environmentOf(statements, module),
      callsByName,
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

function combine(statements: readonly StatementSummary[]): Omit<ModuleSummary, 'resolvedCalls' | 'statements' | 'environment' | 'callsByName'> {
  const bindingCounts = new Map<string, number>();
  const constants = new Map<string, ModuleConstant>();
  const declaredGlobal = new Set<string>();
  const boundNames = new Set<string>();
  for (const statement of statements) {
    for (const name of statement.declaredGlobal) declaredGlobal.add(name);
    for (const name of statement.boundNames) boundNames.add(name);
    for (const binding of statement.moduleBindings) {
      bindingCounts.set(binding.name, (bindingCounts.get(binding.name) ?? 0) + 1);
      if (binding.value) constants.set(binding.name, { value: binding.value, range: binding.range });
    }
  }
  // A constant is a name bound exactly once at module level, by a plain assignment, that no function rebinds through `global`.
  for (const name of constants.keys()) {
    if (bindingCounts.get(name) !== 1 || declaredGlobal.has(name)) constants.delete(name);
  }
  const commandLineDefaults = new Map<string, CommandLineDefault>();
  for (const statement of statements) for (const call of statement.calls) addCommandLineDefault(call, commandLineDefaults);
  // A later `def` of the same name replaces the earlier one, as in Python.
  const functions = new Map<string, FunctionSummary>();
  for (const statement of statements) for (const summary of statement.functions) functions.set(summary.id, summary);
  const imports = new ImportTable(statements.flatMap((statement) => statement.imports), boundNames);
  return {
    imports,
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
