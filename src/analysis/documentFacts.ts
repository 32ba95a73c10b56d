// The facts of one Python document: the step between the syntax tree and the rules.
import type { Deprecation } from '../frameworks/torch';
import { deprecatedWeightNormFunctions } from '../frameworks/torch';
import { Evaluator } from '../python/evaluate';
import type { ModuleSummary } from './moduleSummary';
import { findNormLayers } from './normLayers';
import type { NormLayerFact } from './normLayers';
import { resolveCalls } from './resolvedCalls';
import type { ResolvedCall } from './resolvedCalls';
import type { Suppression } from './suppressions';

export interface DocumentFacts {
  normLayers: NormLayerFact[];
  /** Calls to deprecated weight-norm functions, with what replaces each. */
  deprecatedCalls: ResolvedCall<Deprecation>[];
  suppressions: Suppression[];
}

export function collectDocumentFacts(module: ModuleSummary): DocumentFacts {
  return {
    normLayers: findNormLayers(module, new Evaluator(module)),
    deprecatedCalls: resolveCalls(module, deprecatedWeightNormFunctions),
    suppressions: module.suppressions,
  };
}
