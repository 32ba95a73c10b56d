// Follows tensors through the layers that feed each normalization: the positional layers of
// `nn.Sequential(...)`, and the order in which a module's `forward` applies the layers its
// `__init__` stored in `self.…`. For every norm layer reached this way it records what arrives:
// the nearest layer that set the channel count, the tensor's rank, whether its spatial axes were
// pooled to 1×1, and whether anything stood in between. Anything not understood (a permute, a
// custom module, a branch) ends the walk, so no finding rests on a guess.
import { shapePreservingFunctions } from '../frameworks/torch';
import type { LayerSignature, ModuleSignature } from '../frameworks/layerSignature';
import type { EvaluationContext, Evaluator, Value } from '../python/evaluate';
import type { Expression } from '../python/expressions';
import { isBefore } from '../python/pythonParser';
import type { SourceRange } from '../python/pythonParser';
import type { CallSite, FunctionSummary } from '../python/statementSummary';
import type { CallContexts } from './callContexts';
import type { ModuleSummary } from './moduleSummary';
import type { LayerBinder } from './layerBinder';
import type { BoundArgument, NormLayerFact } from './normLayers';
import { callsOfKind } from './resolvedCalls';

/** A layer that is not a normalization, bound in one context. */
export interface ModuleFact {
  signature: ModuleSignature;
  qualifiedName: string;
  range: SourceRange;
  arguments: ReadonlyMap<string, BoundArgument>;
  /** `*args` or `**kwargs` in the call: parameters not listed may still be set. */
  hasUnpackedArguments: boolean;
  /** Where the last argument ends, for fixes that append one. */
  argumentsEnd?: SourceRange['end'];
}

/** What reaches a normalization layer. */
export interface LayerInputFact {
  consumer: NormLayerFact;
  /** The nearest layer upstream that set the channel count (a convolution, linear, embedding or another norm). */
  producer?: ModuleFact | NormLayerFact;
  /** The rank of the arriving tensor, batch axis included, when known, and the layer that set it. */
  rank?: { value: number; setBy: { name: string; range: SourceRange } };
  /** An adaptive pool to size 1 ran after the producer: one spatial element per channel. */
  spatialCollapsedBy?: { name: string; outputSize: BoundArgument; range: SourceRange };
  /** Layers between the producer and this one (activations, dropout, pooling). */
  layersInBetween: number;
  via: 'Sequential' | 'forward';
  /** Set when the layers are in another file than the one whose facts hold them. */
  uri?: string;
}

type LayerReference =
  | { kind: 'norm'; call: CallSite; signature: LayerSignature; qualifiedName: string }
  | { kind: 'module'; call: CallSite; signature: ModuleSignature; qualifiedName: string }
  | { kind: 'sequential'; elements: LayerReference[] }
  | { kind: 'opaque' };

/** The tensor between two layers, as far as the walk knows it. */
interface FlowState {
  producer?: Extract<LayerReference, { kind: 'norm' | 'module' }>;
  rank?: { value: number; setBy: { name: string; range: SourceRange } };
  spatialCollapsedBy?: Extract<LayerReference, { kind: 'module' }>;
  layersInBetween: number;
}

interface RawLayerInput {
  consumer: Extract<LayerReference, { kind: 'norm' }>;
  state: FlowState;
  via: LayerInputFact['via'];
}

const opaque: FlowState = { layersInBetween: 0 };

const rangeKey = (range: SourceRange): string => `${range.start.line}:${range.start.character}:${range.end.line}:${range.end.character}`;

/** What reaches the norm layers that one top-level statement's Sequentials and methods apply. */
export function findLayerInputs(module: ModuleSummary, statement: ModuleSummary['statements'][number], binder: LayerBinder, contexts: CallContexts): LayerInputFact[] {
  const sequentials = callsOfKind(statement.resolvedCalls, 'sequential');
  const methods = statement.summary.functions.filter((summary) => summary.className && summary.name !== '__init__');
  if (sequentials.length === 0 && methods.length === 0) return [];
  const raw: RawLayerInput[] = [];
  const walker = new FlowWalker(module, binder.evaluator, layerReferences(module), raw);
  for (const { call } of sequentials) walker.apply(walker.sequential(call, 'Sequential'), opaque, 'Sequential');
  for (const method of methods) walker.walkMethod(method);
  return raw.flatMap((input) => evaluate(input, binder, contexts));
}

const referencesByModule = new WeakMap<ModuleSummary, Map<string, LayerReference>>();

/** Every layer constructor call in the module, by the range of the call; built once per module summary. */
function layerReferences(module: ModuleSummary): Map<string, LayerReference> {
  const cached = referencesByModule.get(module);
  if (cached) return cached;
  const references = new Map<string, LayerReference>();
  referencesByModule.set(module, references);
  for (const { call, qualifiedName, target } of module.resolvedCalls) {
    if (target.kind === 'norm' || target.kind === 'module') references.set(rangeKey(call.range), { kind: target.kind, call, signature: target.signature, qualifiedName } as LayerReference);
  }
  return references;
}

class FlowWalker {
  private readonly sequentialCalls = new Map<string, CallSite>();

  constructor(
    private readonly module: ModuleSummary,
    private readonly evaluator: Evaluator,
    private readonly references: Map<string, LayerReference>,
    private readonly inputs: RawLayerInput[],
  ) {
    for (const { call } of callsOfKind(module.resolvedCalls, 'sequential')) this.sequentialCalls.set(rangeKey(call.range), call);
  }

  /** The layer an expression constructs: a known layer call, a Sequential, or opaque. */
  reference(expression: Expression, via: LayerInputFact['via']): LayerReference {
    if (expression.kind !== 'call') return { kind: 'opaque' };
    const key = rangeKey(expression.range);
    const sequential = this.sequentialCalls.get(key);
    if (sequential) return this.sequential(sequential, via);
    return this.references.get(key) ?? { kind: 'opaque' };
  }

  sequential(call: CallSite, via: LayerInputFact['via']): LayerReference {
    const [first] = call.arguments;
    const listed = call.arguments.length === 1 && first?.unpacking === 'list' ? this.listedLayers(first.value, call) : undefined;
    if (listed) return { kind: 'sequential', elements: listed.map((layer) => this.reference(layer, via)) };
    // Other unpacking and keyword arguments make the order unknowable: the whole Sequential is opaque.
    if (call.arguments.some((argument) => argument.unpacking || argument.keyword)) return { kind: 'opaque' };
    const named = call.arguments.length === 1 ? this.orderedDictLayers(first!.value) : undefined;
    const layers = named ?? call.arguments.map((argument) => argument.value);
    return { kind: 'sequential', elements: layers.map((layer) => this.reference(layer, via)) };
  }

  /**
   * `nn.Sequential(*layers)` where `layers = [...]` and then only `layers.append(…)` or
   * `layers.extend([…])` run, unconditionally, before the Sequential is built: the layers in order.
   */
  private listedLayers(list: Expression, sequential: CallSite): Expression[] | undefined {
    if (list.kind !== 'name' || list.binding.scope !== 'local' || !sequential.functionId) return undefined;
    const initial = this.evaluator.assignedExpression(list);
    if (initial?.kind !== 'sequence') return undefined;
    const mutations = this.module.calls.filter(
      (call) => call.functionId === sequential.functionId && call.callee.kind === 'attribute' && call.callee.object.kind === 'name' && call.callee.object.name === list.name,
    );
    const between = mutations.filter((call) => isBefore(initial.range.end, call.range.start) && isBefore(call.range.start, sequential.range.start));
    const layers = [...initial.items];
    for (const call of between.sort((first, second) => (isBefore(first.range.start, second.range.start) ? -1 : 1))) {
      const method = (call.callee as Extract<Expression, { kind: 'attribute' }>).attribute;
      const [argument] = call.arguments;
      // A mutation in a loop or branch, or anything but append/extend, leaves the order unknown.
      if (call.inBranch || !argument || argument.keyword || argument.unpacking || call.arguments.length !== 1) return undefined;
      if (method === 'append') layers.push(argument.value);
      else if (method === 'extend' && argument.value.kind === 'sequence') layers.push(...argument.value.items);
      else return undefined;
    }
    return layers;
  }

  /** `OrderedDict([('conv', nn.Conv2d(…)), ('bn', nn.BatchNorm2d(…))])`: the layers, in order. */
  private orderedDictLayers(expression: Expression): Expression[] | undefined {
    if (expression.kind !== 'call' || expression.arguments.length !== 1 || expression.callee.kind === 'other') return undefined;
    if (!this.module.imports.qualify(expression.callee.source).includes('collections.OrderedDict')) return undefined;
    const [pairs] = expression.arguments;
    if (pairs?.kind !== 'sequence' || !pairs.items.every((pair) => pair.kind === 'sequence' && pair.items.length === 2)) return undefined;
    return pairs.items.map((pair) => (pair as Extract<Expression, { kind: 'sequence' }>).items[1]!);
  }

  apply(layer: LayerReference, state: FlowState, via: LayerInputFact['via']): FlowState {
    switch (layer.kind) {
      case 'opaque':
        return opaque;
      case 'sequential':
        return layer.elements.reduce((current, element) => this.apply(element, current, via), state);
      case 'norm':
        this.inputs.push({ consumer: layer, state, via });
        return { producer: layer, ...(state.rank ? { rank: state.rank } : {}), layersInBetween: 0 };
      case 'module': {
        const effect = layer.signature.effect;
        switch (effect.kind) {
          case 'produce':
            return { producer: layer, rank: { value: effect.outputRank, setBy: setBy(layer) }, layersInBetween: 0 };
          case 'passThrough':
            return { ...state, layersInBetween: state.layersInBetween + 1 };
          case 'flatten':
            // The features after Flatten are C·H·W, which the walk does not know.
            return { rank: { value: 2, setBy: setBy(layer) }, layersInBetween: 0 };
          case 'adaptivePool':
            return { ...state, spatialCollapsedBy: layer, layersInBetween: state.layersInBetween + 1 };
        }
      }
    }
  }

  /** Follows `forward` (or any method): `x = self.conv(x)`, `return self.bn(self.act(x))`, in order. */
  walkMethod(method: FunctionSummary): void {
    const initializer = this.module.functions.get(`${method.className}.__init__`);
    if (!initializer) return;
    const selfName = method.parameters[0]?.name;
    const attributes = new Map<string, LayerReference>();
    for (const attribute of initializer.selfAttributes) {
      const existing = attributes.has(attribute.attribute);
      // An attribute set twice, or only sometimes, could be either layer.
      attributes.set(attribute.attribute, existing || !attribute.straightLine ? { kind: 'opaque' } : this.reference(attribute.value, 'forward'));
    }
    const variables = new Map<string, FlowState>();
    const flowOf = (expression: Expression): FlowState => {
      if (expression.kind === 'name') return variables.get(expression.name) ?? opaque;
      if (expression.kind !== 'call') return opaque;
      const [input] = expression.arguments;
      const callee = expression.callee;
      if (callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.name === selfName && input) {
        return this.apply(attributes.get(callee.attribute) ?? { kind: 'opaque' }, flowOf(input), 'forward');
      }
      const calleeName = callee.kind === 'attribute' || callee.kind === 'name' ? callee.source : undefined;
      const qualified = calleeName ? this.module.imports.qualify(calleeName) : [];
      if (input && qualified.some((name) => shapePreservingFunctions.has(name))) return flowOf(input);
      // `torch.flatten(x, 1)`
      if (input && qualified.includes('torch.flatten') && isOne(expression.arguments[1])) return { rank: { value: 2, setBy: { name: expression.source, range: expression.range } }, layersInBetween: 0 };
      // Tensor methods: `x.flatten(1)`, `x.view(x.size(0), -1)`, `x.mean(dim=(2, 3))`.
      if (callee.kind === 'attribute') return tensorMethod(expression, callee.attribute, flowOf(callee.object));
      return opaque;
    };
    const events = [
      ...method.locals.map((local) => ({ offset: local.offset, name: local.name, value: local.straightLine ? local.value : undefined })),
      ...method.returns.map((returned) => ({ offset: returned.offset, name: undefined, value: returned.straightLine ? returned.value : undefined })),
    ].sort((first, second) => first.offset - second.offset);
    for (const event of events) {
      const state = event.value ? flowOf(event.value) : opaque;
      if (event.name) variables.set(event.name, state);
    }
  }
}

const isOne = (expression: Expression | undefined): boolean => expression?.kind === 'integer' && expression.text === '1';
const isMinusOne = (expression: Expression | undefined): boolean =>
  expression?.kind === 'unary' && expression.operator === '-' && isOne(expression.operand);

/**
 * What a tensor method does to the flow: flattening to (N, features) keeps no channel count,
 * averaging over every spatial axis keeps the channels and leaves (N, C). Anything else is opaque.
 */
function tensorMethod(call: Extract<Expression, { kind: 'call' }>, method: string, input: FlowState): FlowState {
  const setBy = { name: call.source, range: call.range };
  const [first, second] = call.arguments;
  const flattens =
    (method === 'flatten' && isOne(first) && call.arguments.length === 1) ||
    ((method === 'view' || method === 'reshape') && call.arguments.length === 2 && isMinusOne(second));
  if (flattens) return { rank: { value: 2, setBy }, layersInBetween: 0 };
  if (method !== 'mean' && method !== 'sum' && method !== 'amax') return opaque;
  // Averaging over axes 2 … rank−1 of a known-rank tensor, without keepdim: (N, C) remains.
  const axes = call.keywords.find((keyword) => keyword.name === 'dim')?.value ?? first;
  const keepsDimensions = call.keywords.some((keyword) => keyword.name === 'keepdim' && keyword.value.kind === 'bool' && keyword.value.value);
  const rank = input.rank?.value;
  if (!axes || keepsDimensions || rank === undefined || rank < 3 || axes.kind !== 'sequence') return opaque;
  const reduced = axes.items.map((item) => (item.kind === 'integer' ? Number(item.text) : Number.NaN));
  const spatial = Array.from({ length: rank - 2 }, (_, index) => index + 2);
  if (reduced.length !== spatial.length || !spatial.every((axis) => reduced.includes(axis) || reduced.includes(axis - rank))) return opaque;
  return { ...input, rank: { value: 2, setBy }, layersInBetween: input.layersInBetween + 1 };
}

function setBy(layer: Extract<LayerReference, { kind: 'module' }>): { name: string; range: SourceRange } {
  return { name: `nn.${layer.signature.displayName}`, range: layer.call.range };
}

/** The channel (or feature) count a layer hands on, and on which axis it lives. */
export function channelsOf(layer: ModuleFact | NormLayerFact): { channels: BoundArgument; axis: 'first' | 'last' | 'both' } | undefined {
  if ('effect' in layer.signature) {
    const effect = layer.signature.effect;
    if (effect.kind !== 'produce') return undefined;
    const channels = layer.arguments.get(effect.channelsParameter);
    return channels ? { channels, axis: effect.channelAxis } : undefined;
  }
  const parameter = { BatchNorm: 'num_features', InstanceNorm: 'num_features', GroupNorm: 'num_channels', LayerNorm: 'normalized_shape', RMSNorm: 'normalized_shape' }[layer.signature.family];
  const channels = layer.arguments.get(parameter);
  if (!channels) return undefined;
  return { channels, axis: parameter === 'normalized_shape' ? 'last' : 'first' };
}

/** Binds the consumer and its producer in every context the consumer's function runs in. */
function evaluate(input: RawLayerInput, binder: LayerBinder, contexts: CallContexts): LayerInputFact[] {
  const { consumer, state, via } = input;
  return contexts.contextsOf(consumer.call.functionId).map((context) => {
    const producer = state.producer;
    // A producer built in another function is bound with that function's first context.
    const producerContext = producer && producer.call.functionId === consumer.call.functionId ? context : contexts.contextsOf(producer?.call.functionId)[0]!;
    const fact: LayerInputFact = {
      consumer: binder.norm(consumer.call, consumer.signature, consumer.qualifiedName, context),
      layersInBetween: state.layersInBetween,
      via,
    };
    if (producer) {
      fact.producer =
        producer.kind === 'norm'
          ? binder.norm(producer.call, producer.signature, producer.qualifiedName, producerContext)
          : binder.module(producer.call, producer.signature, producer.qualifiedName, producerContext);
    }
    if (state.rank) fact.rank = state.rank;
    const pool = state.spatialCollapsedBy;
    const outputSize = pool && collapsesToOne(pool.call, binder.evaluator, context);
    if (pool && outputSize) fact.spatialCollapsedBy = { name: `nn.${pool.signature.displayName}`, outputSize, range: pool.call.range };
    return fact;
  });
}

/** The pool's `output_size` when it is 1 (or all ones), so every spatial axis has one element. */
function collapsesToOne(pool: CallSite, evaluator: Evaluator, context: EvaluationContext): BoundArgument | undefined {
  const [first] = pool.arguments;
  if (!first || first.unpacking || (first.keyword && first.keyword !== 'output_size')) return undefined;
  const value = evaluator.evaluate(first.value, context);
  const isOne = (item: Value): boolean => item.kind === 'int' && item.value === 1;
  if (!(isOne(value) || (value.kind === 'sequence' && value.items.length > 0 && value.items.every(isOne)))) return undefined;
  return { parameter: 'output_size', value, source: first.value.source, range: pool.range };
}
