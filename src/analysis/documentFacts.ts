// The facts of one Python document: the step between the syntax tree and the rules.
import type { Language, Tree } from '@vscode/tree-sitter-wasm';
import { Evaluator } from '../python/evaluate';
import { ImportTable } from '../python/imports';
import { ScopeIndex } from '../python/scopes';
import { findNormLayers } from './normLayers';
import type { NormLayerFact } from './normLayers';
import { findSuppressions } from './suppressions';
import type { Suppression } from './suppressions';

export interface DocumentFacts {
  normLayers: NormLayerFact[];
  suppressions: Suppression[];
}

export function collectDocumentFacts(tree: Tree, language: Language): DocumentFacts {
  const scopes = new ScopeIndex(tree.rootNode);
  const imports = ImportTable.fromTree(tree, language);
  const evaluator = new Evaluator(scopes);
  return {
    normLayers: findNormLayers(tree, language, imports, scopes, evaluator),
    suppressions: findSuppressions(tree, language),
  };
}
