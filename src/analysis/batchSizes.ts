// Where batch sizes come from and what they reach: `DataLoader(dataset, batch_size=…, drop_last=…)`
// calls (with the dataset's length when the file decides it), and models of this file called on a
// literal tensor such as `model(torch.randn(1, 3, 32, 32))` while still in training mode.
import { dataLoaderParameters } from '../frameworks/torch';
import type { EvaluationContext, Evaluator } from '../python/evaluate';
import type { Expression } from '../python/expressions';
import { isBefore } from '../python/pythonParser';
import type { Position, SourceRange } from '../python/pythonParser';
import type { CallSite } from '../python/statementSummary';
import type { CallContexts } from './callContexts';
import type { LayerBinder } from './layerBinder';
import type { ModuleSummary } from './moduleSummary';
import type { BoundArgument } from './normLayers';
import { callsOfKind } from './resolvedCalls';
import type { ResolvedCall } from './resolvedCalls';

export interface DataLoaderFact {
  range: SourceRange;
  /** The written `batch_size`; absent when the call relies on DataLoader's default of 1. */
  batchSize?: BoundArgument;
  batchSizeValue?: number;
  dropLast?: BoundArgument;
  /** Where an added keyword argument goes: after the last argument. */
  argumentsEnd?: Position;
  datasetLength?: { value: number; source: string };
  /** `shuffle=True`, or a dataset named like training data: evaluation loaders (batch 1 is common there) are left alone. */
  looksLikeTraining: boolean;
}

export interface ModelCallFact {
  range: SourceRange;
  /** `model(torch.randn(1, 3, 32, 32))` as written. */
  source: string;
  className: string;
  batchSize: number;
  /** The functions whose layers the model runs: its class's methods and what they build. */
  functionIds: ReadonlySet<string>;
  /** For a class imported from another workspace file: the call that built the model, whose layers live there. */
  constructorRange?: SourceRange;
}

const rangeKey = (range: SourceRange): string => `${range.start.line}:${range.start.character}:${range.end.line}:${range.end.character}`;

/** Which call expressions build tensors or tensor datasets, by their range (from the resolved calls). */
class TensorCalls {
  private readonly factories: Set<string>;
  private readonly datasets: Set<string>;
  private readonly splits: Set<string>;

  constructor(calls: readonly ResolvedCall[]) {
    this.factories = new Set(callsOfKind(calls, 'tensorFactory').map(({ call }) => rangeKey(call.range)));
    this.datasets = new Set(callsOfKind(calls, 'tensorDataset').map(({ call }) => rangeKey(call.range)));
    this.splits = new Set(callsOfKind(calls, 'randomSplit').map(({ call }) => rangeKey(call.range)));
  }

  isRandomSplit(expression: Expression): expression is Extract<Expression, { kind: 'call' }> {
    return expression.kind === 'call' && this.splits.has(rangeKey(expression.range));
  }

  isFactory(expression: Expression): expression is Extract<Expression, { kind: 'call' }> {
    return expression.kind === 'call' && this.factories.has(rangeKey(expression.range));
  }

  isDataset(expression: Expression): expression is Extract<Expression, { kind: 'call' }> {
    return expression.kind === 'call' && this.datasets.has(rangeKey(expression.range));
  }
}

export function findDataLoaders(module: ModuleSummary, calls: readonly ResolvedCall[], binder: LayerBinder, contexts: CallContexts): DataLoaderFact[] {
  const loaders = callsOfKind(calls, 'dataLoader');
  if (loaders.length === 0) return [];
  const tensors = new TensorCalls(module.resolvedCalls);
  return loaders.flatMap(({ call }) => contexts.contextsOf(call.functionId).map((context) => dataLoaderFact(call, tensors, binder, context)));
}

function dataLoaderFact(call: CallSite, tensors: TensorCalls, binder: LayerBinder, context: EvaluationContext): DataLoaderFact {
  const bound = binder.arguments({ parameters: dataLoaderParameters }, call.arguments, context);
  const batchSize = bound.argumentsByParameter.get('batch_size');
  const dropLast = bound.argumentsByParameter.get('drop_last');
  const dataset = bound.argumentsByParameter.get('dataset');
  const last = call.arguments[call.arguments.length - 1];
  const shuffle = bound.argumentsByParameter.get('shuffle')?.value;
  const datasetSource = dataset?.source ?? '';
  const fact: DataLoaderFact = { range: call.range, looksLikeTraining: (shuffle?.kind === 'bool' && shuffle.value) || /train/i.test(datasetSource) };
  // `**kwargs` may carry the batch size: nothing is known about it then.
  if (bound.hasUnpackedArguments && !batchSize) return fact;
  if (batchSize) fact.batchSize = batchSize;
  const value = batchSize ? batchSize.value : { kind: 'int' as const, value: 1, origins: [] };
  if (value.kind === 'int') fact.batchSizeValue = value.value;
  if (dropLast) fact.dropLast = dropLast;
  if (last) fact.argumentsEnd = last.value.range.end;
  const datasetArgument = call.arguments.find((argument) => argument.keyword === 'dataset') ?? call.arguments.find((argument) => !argument.keyword && !argument.unpacking);
  const length = dataset && datasetArgument ? datasetLength(datasetArgument.value, tensors, binder.evaluator, context, 0) : undefined;
  if (length !== undefined && datasetArgument) fact.datasetLength = { value: length, source: datasetArgument.value.source };
  return fact;
}

/** The number of samples a dataset expression holds: `TensorDataset(torch.randn(1000, 8), …)`, `range(n)`, a literal list. */
function datasetLength(expression: Expression, tensors: TensorCalls, evaluator: Evaluator, context: EvaluationContext, depth: number): number | undefined {
  if (depth > 4) return undefined;
  if (expression.kind === 'name') {
    const assigned = evaluator.assignedItem(expression);
    if (!assigned) return undefined;
    if (assigned.index === undefined) return datasetLength(assigned.value, tensors, evaluator, context, depth + 1);
    // `train, val = random_split(dataset, [800, 201])`: this part's length.
    if (!tensors.isRandomSplit(assigned.value)) return undefined;
    const lengths = assigned.value.keywords.find((keyword) => keyword.name === 'lengths')?.value ?? assigned.value.arguments[1];
    const length = lengths ? evaluator.evaluate(lengths, context) : undefined;
    const part = length?.kind === 'sequence' ? length.items[assigned.index] : undefined;
    return part?.kind === 'int' ? part.value : undefined;
  }
  if (expression.kind === 'sequence') return expression.items.length;
  if (expression.kind !== 'call') return undefined;
  const [first] = expression.arguments;
  const callee = expression.callee;
  // The builtin `range(n)`, not a function of the file that happens to be called range.
  if (callee.kind === 'name' && callee.name === 'range' && callee.binding.scope === 'module' && !evaluator.isBoundInModule('range') && expression.arguments.length === 1 && first) {
    const value = evaluator.evaluate(first, context);
    return value.kind === 'int' ? Math.max(0, value.value) : undefined;
  }
  // A TensorDataset has as many samples as its first tensor.
  if (tensors.isDataset(expression) && first) return datasetLength(first, tensors, evaluator, context, depth + 1);
  // A tensor: its first dimension is the number of samples.
  return tensors.isFactory(expression) ? literalShape(expression, evaluator, context)?.[0] : undefined;
}

/** The shape of `torch.randn(8, 3, 32, 32)` or `torch.zeros((8, 3))`, when every size is known. */
function literalShape(expression: Extract<Expression, { kind: 'call' }>, evaluator: Evaluator, context: EvaluationContext): number[] | undefined {
  const sizes = expression.arguments.length === 1 && expression.arguments[0]!.kind === 'sequence' ? expression.arguments[0]!.items : expression.arguments;
  const values = sizes.map((size) => evaluator.evaluate(size, context));
  return values.every((value) => value.kind === 'int') ? values.map((value) => (value.kind === 'int' ? value.value : 0)) : undefined;
}

/**
 * The batch size that reaches a layer, as far as the file tells: a literal tensor fed to the model
 * that builds it, else the file's training DataLoader (the first whose batch size is known).
 */
export function batchSizeReaching(facts: { modelCalls: ModelCallFact[]; dataLoaders: DataLoaderFact[] }, layer: { functionId?: string }): number | undefined {
  const call = facts.modelCalls.find((candidate) => layer.functionId !== undefined && candidate.functionIds.has(layer.functionId));
  if (call) return call.batchSize;
  return facts.dataLoaders.find((loader) => loader.looksLikeTraining && loader.batchSizeValue !== undefined)?.batchSizeValue;
}

/** Models of this file, or imported from another workspace file, called on a literal tensor while in training mode. */
export function findModelCalls(module: ModuleSummary, evaluator: Evaluator): ModelCallFact[] {
  // No literal tensor, no model call on one: most files stop here.
  if (!module.resolvedCalls.some((resolved) => resolved.target.kind === 'tensorFactory')) return [];
  const tensors = new TensorCalls(module.resolvedCalls);
  const classes = new Set([...module.functions.values()].flatMap((summary) => (summary.className && !summary.className.includes('.') ? [summary.className] : [])));
  const facts: ModelCallFact[] = [];
  for (const call of module.calls) {
    const callee = call.callee;
    const [input] = call.arguments;
    if (callee.kind !== 'name' || !input || input.keyword || input.unpacking || !tensors.isFactory(input.value)) continue;
    const built = evaluator.assignedExpression(callee);
    if (built?.kind !== 'call' || built.callee.kind !== 'name') continue;
    const imported = classes.has(built.callee.name) ? undefined : evaluator.evaluate(built.callee);
    if (imported && (imported.kind !== 'moduleClass' || imported.module === undefined)) continue;
    const shape = literalShape(input.value, evaluator, { functionId: call.functionId ?? '', arguments: new Map(), callChain: [] });
    if (!shape || shape.length === 0) continue;
    // `.eval()` (or `.train(False)`) on the same variable earlier in the same scope switches BatchNorm to running statistics.
    const switchedToEval = module.calls.some(
      (other) =>
        other.functionId === call.functionId &&
        (other.calleeName === `${callee.name}.eval` || (other.calleeName === `${callee.name}.train` && other.arguments[0]?.value.source === 'False')) &&
        isBefore(other.range.start, call.range.start),
    );
    if (switchedToEval) continue;
    facts.push({
      range: call.range,
      source: `${callee.source}(${input.value.source})`,
      className: built.callee.name,
      batchSize: shape[0]!,
      ...(imported ? { functionIds: new Set<string>(), constructorRange: built.range } : { functionIds: reachableFunctions(module, built.callee.name) }),
    });
  }
  return facts;
}

/** The methods of `className` and, transitively, the functions and classes they call by name. */
function reachableFunctions(module: ModuleSummary, className: string): Set<string> {
  const reached = new Set<string>();
  const visitedNames = new Set<string>();
  const pending = [className];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (visitedNames.has(name)) continue;
    visitedNames.add(name);
    for (const summary of module.functions.values()) {
      if (summary.className === name || summary.id === name) reached.add(summary.id);
    }
    for (const [callee, calls] of module.callsByName) {
      if (!visitedNames.has(callee) && calls.some((call) => call.functionId !== undefined && reached.has(call.functionId))) pending.push(callee);
    }
  }
  return reached;
}
