// Binds layer constructor calls to their signatures in a context, once per call and context
// within one analysis: the norm-layer facts and the tensor walk ask for the same bindings.
import type { LayerSignature, ModuleSignature, ParameterSpec } from '../frameworks/layerSignature';
import type { EvaluationContext, Evaluator, Value } from '../python/evaluate';
import type { CallArgument, CallSite } from '../python/statementSummary';
import type { ModuleFact } from './layerFlow';
import type { BoundArgument, NormLayerFact } from './normLayers';

export class LayerBinder {
  private readonly norms = new Map<CallSite, Map<EvaluationContext, NormLayerFact>>();
  private readonly modules = new Map<CallSite, Map<EvaluationContext, ModuleFact>>();

  constructor(readonly evaluator: Evaluator) {}

  norm(call: CallSite, signature: LayerSignature, qualifiedName: string, context: EvaluationContext): NormLayerFact {
    return memoized(this.norms, call, context, () => normFact(call, signature, qualifiedName, this.arguments(signature, call.arguments, context), context));
  }

  module(call: CallSite, signature: ModuleSignature, qualifiedName: string, context: EvaluationContext): ModuleFact {
    return memoized(this.modules, call, context, () => {
      const last = call.arguments[call.arguments.length - 1];
      const { argumentsByParameter, hasUnpackedArguments } = this.arguments(signature, call.arguments, context);
      return {
        signature,
        qualifiedName,
        range: call.range,
        arguments: argumentsByParameter,
        hasUnpackedArguments,
        ...(last ? { argumentsEnd: last.value.range.end } : {}),
      };
    });
  }

  /**
   * A layer built by calling a layer class held in a variable (`norm_layer(planes)`), with the
   * arguments a `functools.partial` bound first.
   */
  normFromValue(call: CallSite, layer: Extract<Value, { kind: 'layerClass' }>, context: EvaluationContext): NormLayerFact {
    return memoized(this.norms, call, context, () => {
      const positional = layer.signature.parameters.filter((parameter) => !parameter.keywordOnly);
      const boundByPartial = new Map<string, BoundArgument>();
      const partialRange = layer.origins.find((origin) => origin.name === 'partial')?.range ?? call.range;
      const bindPartial = (parameter: string | undefined, value: Value): void => {
        if (parameter) boundByPartial.set(parameter, { parameter, value, source: describeValue(value), range: partialRange });
      };
      layer.partialArguments.forEach((value, index) => bindPartial(positional[index]?.name, value));
      for (const [name, value] of layer.partialKeywords) bindPartial(name, value);
      const bound = this.arguments(layer.signature, call.arguments, context, layer.partialArguments.length);
      return normFact(call, layer.signature, layer.qualifiedName, { ...bound, argumentsByParameter: new Map([...boundByPartial, ...bound.argumentsByParameter]) }, context);
    });
  }

  /** Binds a call's arguments to the signature's parameters (from `firstPosition` on) and evaluates them in `context`. */
  arguments(signature: { parameters: readonly ParameterSpec[] }, callArguments: readonly CallArgument[], context: EvaluationContext, firstPosition = 0) {
    const argumentsByParameter = new Map<string, BoundArgument>();
    const positional = signature.parameters.filter((parameter) => !parameter.keywordOnly);
    let position = firstPosition;
    let hasUnpackedArguments = false;
    for (const argument of callArguments) {
      if (argument.unpacking) {
        hasUnpackedArguments = true;
        continue;
      }
      // After `*args` the positions of later arguments are unknown.
      const parameter = argument.keyword ?? (hasUnpackedArguments ? undefined : positional[position++]?.name);
      if (!parameter || !signature.parameters.some((candidate) => candidate.name === parameter)) continue;
      argumentsByParameter.set(parameter, {
        parameter,
        value: this.evaluator.evaluate(argument.value, context),
        source: argument.value.source,
        range: argument.value.range,
      });
    }
    return { argumentsByParameter, hasUnpackedArguments };
  }
}

function normFact(
  call: CallSite,
  signature: LayerSignature,
  qualifiedName: string,
  bound: { argumentsByParameter: Map<string, BoundArgument>; hasUnpackedArguments: boolean },
  context: EvaluationContext,
): NormLayerFact {
  return {
    signature,
    qualifiedName,
    range: call.range,
    arguments: bound.argumentsByParameter,
    hasUnpackedArguments: bound.hasUnpackedArguments,
    isIncomplete: call.hasError,
    callChain: context.callChain,
    ...(call.functionId ? { functionId: call.functionId } : {}),
  };
}

/** How a value bound by `partial` reads in hover and messages: `32`, `[8, 8]`, or the reason it is unknown. */
function describeValue(value: Value): string {
  switch (value.kind) {
    case 'int':
    case 'float':
    case 'bool':
      return String(value.value);
    case 'sequence':
      return `[${value.items.map(describeValue).join(', ')}]`;
    case 'symbol':
      return value.key;
    case 'layerClass':
      return value.qualifiedName;
    case 'moduleClass':
      return value.name;
    default:
      return value.kind;
  }
}

function memoized<Fact>(cache: Map<CallSite, Map<EvaluationContext, Fact>>, call: CallSite, context: EvaluationContext, compute: () => Fact): Fact {
  let byContext = cache.get(call);
  if (!byContext) {
    byContext = new Map();
    cache.set(call, byContext);
  }
  let fact = byContext.get(context);
  if (!fact) {
    fact = compute();
    byContext.set(context, fact);
  }
  return fact;
}
