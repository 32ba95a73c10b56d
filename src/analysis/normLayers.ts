// Finds the normalization layers a module constructs and binds each call's arguments to the
// constructor's parameters (positionally or by keyword), evaluating them where the file
// decides their value.
import type { LayerSignature } from '../frameworks/layerSignature';
import type { CallHop, Value } from '../python/evaluate';
import type { SourceRange } from '../python/pythonParser';
import type { CallContexts } from './callContexts';
import type { LayerBinder } from './layerBinder';
import { callsOfKind } from './resolvedCalls';
import type { ModuleSummary } from './moduleSummary';
import type { Expression } from '../python/expressions';
import type { CallSite } from '../python/statementSummary';

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
  /** The function whose body constructs the layer; absent at module level. */
  functionId?: string;
  /** Set when the layer is in another file than the one whose facts hold it (built there by this file's calls). */
  uri?: string;
}

/**
 * Every norm layer construction, once per context its enclosing function runs in: calls that name
 * a layer class through the imports (`nn.GroupNorm(…)`), and calls of a variable that holds one
 * (`norm_layer(planes)` with `norm_layer=nn.BatchNorm2d`, or a `functools.partial` of one).
 */
export function findNormLayers(statement: ModuleSummary['statements'][number], binder: LayerBinder, contexts: CallContexts): NormLayerFact[] {
  // A layer built under an `if` that is known to be false in a context is not built there.
  const running = (call: CallSite) => contexts.contextsOf(call.functionId).filter((context) => binder.evaluator.guardsAllow(call.guards, context));
  const direct = callsOfKind(statement.resolvedCalls, 'norm').flatMap(({ call, qualifiedName, target }) =>
    running(call).map((context) => binder.norm(call, target.signature, qualifiedName, context)),
  );
  const resolved = new Set(statement.resolvedCalls.map(({ call }) => call));
  const throughValues = statement.summary.calls
    .filter((call) => !resolved.has(call) && mayHoldLayerClass(call.callee))
    .flatMap((call) =>
      running(call).flatMap((context) => {
        const callee = binder.evaluator.evaluate(call.callee, context);
        return callee.kind === 'layerClass' ? [binder.normFromValue(call, callee, context)] : [];
      }),
    );
  return [...direct, ...throughValues];
}

/** A bare name, or `self.attribute`: the callees that can hold a layer class. */
function mayHoldLayerClass(callee: Expression): boolean {
  if (callee.kind === 'name') return true;
  return callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.binding.scope === 'parameter';
}
