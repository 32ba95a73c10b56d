// The facts of one Python document: the step between the syntax tree and the rules.
import type { Deprecation } from '../frameworks/torch';
import { deprecatedWeightNormFunctions } from '../frameworks/torch';
import { Evaluator } from '../python/evaluate';
import type { ModuleSummary } from './moduleSummary';
import { CallContexts } from './callContexts';
import { findLayerInputs } from './layerFlow';
import type { LayerInputFact } from './layerFlow';
import { findNormLayers } from './normLayers';
import type { NormLayerFact } from './normLayers';
import { resolveCalls } from './resolvedCalls';
import type { ResolvedCall } from './resolvedCalls';
import type { Suppression } from './suppressions';

export interface DocumentFacts {
  normLayers: NormLayerFact[];
  /** What reaches norm layers inside `nn.Sequential` and `forward`. */
  layerInputs: LayerInputFact[];
  /** Calls to deprecated weight-norm functions, with what replaces each. */
  deprecatedCalls: ResolvedCall<Deprecation>[];
  suppressions: Suppression[];
}

export function collectDocumentFacts(module: ModuleSummary): DocumentFacts {
  const evaluator = new Evaluator(module);
  const contexts = new CallContexts(module, evaluator);
  return {
    normLayers: findNormLayers(module, evaluator, contexts),
    layerInputs: findLayerInputs(module, evaluator, contexts),
    deprecatedCalls: resolveCalls(module, deprecatedWeightNormFunctions),
    suppressions: module.suppressions,
  };
}
