// The facts of one Python document: the step between the syntax tree and the rules.
import { Evaluator } from '../python/evaluate';
import type { ModuleSummary } from './moduleSummary';
import { findNormLayers } from './normLayers';
import type { NormLayerFact } from './normLayers';
import type { Suppression } from './suppressions';

export interface DocumentFacts {
  normLayers: NormLayerFact[];
  suppressions: Suppression[];
}

export function collectDocumentFacts(module: ModuleSummary): DocumentFacts {
  return {
    normLayers: findNormLayers(module, new Evaluator(module)),
    suppressions: module.suppressions,
  };
}
