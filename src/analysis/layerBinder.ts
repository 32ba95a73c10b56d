// Binds layer constructor calls to their signatures in a context, once per call and context
// within one analysis: the norm-layer facts and the tensor walk ask for the same bindings.
import type { LayerSignature, ModuleSignature, ParameterSpec } from '../frameworks/layerSignature';
import type { EvaluationContext, Evaluator } from '../python/evaluate';
import type { CallArgument, CallSite } from '../python/statementSummary';
import type { ModuleFact } from './layerFlow';
import type { BoundArgument, NormLayerFact } from './normLayers';

export class LayerBinder {
  private readonly norms = new Map<CallSite, Map<EvaluationContext, NormLayerFact>>();
  private readonly modules = new Map<CallSite, Map<EvaluationContext, ModuleFact>>();

  constructor(readonly evaluator: Evaluator) {}

  norm(call: CallSite, signature: LayerSignature, qualifiedName: string, context: EvaluationContext): NormLayerFact {
    return memoized(this.norms, call, context, () => {
      const { argumentsByParameter, hasUnpackedArguments } = this.arguments(signature, call.arguments, context);
      return {
        signature,
        qualifiedName,
        range: call.range,
        arguments: argumentsByParameter,
        hasUnpackedArguments,
        isIncomplete: call.hasError,
        callChain: context.callChain,
        ...(call.functionId ? { functionId: call.functionId } : {}),
      };
    });
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

  /** Binds a call's arguments to the signature's parameters and evaluates them in `context`. */
  arguments(signature: { parameters: readonly ParameterSpec[] }, callArguments: readonly CallArgument[], context: EvaluationContext) {
    const argumentsByParameter = new Map<string, BoundArgument>();
    const positional = signature.parameters.filter((parameter) => !parameter.keywordOnly);
    let position = 0;
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
