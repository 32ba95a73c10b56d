// Finds the normalization layers a module constructs and binds each call's arguments to the
// constructor's parameters (positionally or by keyword), evaluating them where the file
// decides their value.
import type { LayerSignature, ParameterSpec } from '../frameworks/layerSignature';
import { signatureByQualifiedName } from '../frameworks';
import type { CallHop, EvaluationContext, Evaluator, Value } from '../python/evaluate';
import type { SourceRange } from '../python/pythonParser';
import type { CallArgument } from '../python/statementSummary';
import type { CallContexts } from './callContexts';
import type { ModuleSummary } from './moduleSummary';
import { resolveCalls } from './resolvedCalls';

export interface BoundArgument {
  parameter: string;
  value: Value;
  /** The argument's expression as written, e.g. `32` or `CHANNELS * 2`. */
  source: string;
  range: SourceRange;
}

export interface NormLayerFact {
  signature: LayerSignature;
  qualifiedName: string;
  /** The whole constructor call. */
  range: SourceRange;
  /** The arguments the call writes, by parameter name; parameters left at their default are absent. */
  arguments: ReadonlyMap<string, BoundArgument>;
  /** `*args` or `**kwargs` in the call: parameters not listed may still be set. */
  hasUnpackedArguments: boolean;
  /** The call contains a syntax error (half-typed code): report nothing about its values. */
  isIncomplete: boolean;
  /**
   * The calls that bound the enclosing function's parameters for these values, outermost first;
   * empty when the values hold however the function is called (literals, constants, defaults).
   */
  callChain: CallHop[];
}

/** Every norm layer construction, once per context its enclosing function runs in. */
export function findNormLayers(module: ModuleSummary, evaluator: Evaluator, contexts: CallContexts): NormLayerFact[] {
  const layers: NormLayerFact[] = [];
  for (const { call, qualifiedName, target: signature } of resolveCalls(module, signatureByQualifiedName)) {
    for (const context of contexts.contextsOf(call.functionId)) {
      const { argumentsByParameter, hasUnpackedArguments } = bindArguments(signature, call.arguments, evaluator, context);
      layers.push({
        signature,
        qualifiedName,
        range: call.range,
        arguments: argumentsByParameter,
        hasUnpackedArguments,
        isIncomplete: call.hasError,
        callChain: context.callChain,
      });
    }
  }
  return layers;
}

/** Binds a constructor call's arguments to the signature's parameters and evaluates them in `context`. */
export function bindArguments(signature: { parameters: readonly ParameterSpec[] }, callArguments: readonly CallArgument[], evaluator: Evaluator, context: EvaluationContext) {
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
      value: evaluator.evaluate(argument.value, context),
      source: argument.value.source,
      range: argument.value.range,
    });
  }
  return { argumentsByParameter, hasUnpackedArguments };
}
