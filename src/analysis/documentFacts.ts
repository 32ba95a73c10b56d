// The facts of one Python document: the step between the syntax tree and the rules. Facts are
// computed per top-level statement and kept across edits: while the module's environment (imports,
// constants, the calls that bind parameters) is unchanged, a statement whose summary is unchanged
// keeps its facts, so a keystroke re-derives only the facts of the statement it touched.
import type { StatementSummary } from '../python/statementSummary';
import { findDataLoaders, findModelCalls } from './batchSizes';
import type { DataLoaderFact, ModelCallFact } from './batchSizes';
import { findLayerInputs } from './layerFlow';
import type { LayerInputFact } from './layerFlow';
import type { ModuleAnalysis } from './moduleAnalysis';
import type { ModuleSummary } from './moduleSummary';
import { findNormLayers } from './normLayers';
import type { NormLayerFact } from './normLayers';
import { callsOfKind } from './resolvedCalls';
import type { CallTarget, ResolvedCall } from './resolvedCalls';
import type { Suppression } from './suppressions';

export interface DocumentFacts {
  normLayers: NormLayerFact[];
  /** What reaches norm layers inside `nn.Sequential` and `forward`. */
  layerInputs: LayerInputFact[];
  /** Calls to deprecated weight-norm functions, with what replaces each. */
  deprecatedCalls: ResolvedCall<Extract<CallTarget, { kind: 'deprecated' }>>[];
  dataLoaders: DataLoaderFact[];
  /** This file's models called on a literal tensor in training mode. */
  modelCalls: ModelCallFact[];
  /** The file converts its BatchNorm layers to SyncBatchNorm, which pools statistics across devices. */
  convertsToSyncBatchNorm: boolean;
  suppressions: Suppression[];
  /** Layers in other files that this file's code builds (`UNet(...)` in the training script), each with its file's `uri`. */
  importedLayers: NormLayerFact[];
  /** What reaches the imported layers, from their own files' tensor walks. */
  importedLayerInputs: LayerInputFact[];
}

/** What other files contribute to a document's facts. */
export interface ImportedFacts {
  layers: NormLayerFact[];
  layerInputs: LayerInputFact[];
}

/** The facts of a document that holds no Python (a model config). */
export function emptyDocumentFacts(): DocumentFacts {
  return {
    normLayers: [],
    layerInputs: [],
    deprecatedCalls: [],
    dataLoaders: [],
    modelCalls: [],
    convertsToSyncBatchNorm: false,
    suppressions: [],
    importedLayers: [],
    importedLayerInputs: [],
  };
}

type StatementFacts = Pick<DocumentFacts, 'normLayers' | 'layerInputs' | 'deprecatedCalls' | 'dataLoaders'>;

/** Remembers each statement's facts for the next analysis of the same document. */
export class FactCache {
  private environment: ModuleSummary['environment'] | undefined;
  private linksKey = '';
  private byStatement = new WeakMap<StatementSummary, StatementFacts>();

  /**
   * `linksKey` changes whenever what other files tell this one may have changed (in a
   * workspace: their constants, their calls into this file); `imported` is their layers.
   */
  collect(analysis: ModuleAnalysis, linksKey = '', imported: ImportedFacts = { layers: [], layerInputs: [] }): DocumentFacts {
    const module = analysis.module;
    if (!sameEnvironment(this.environment, module.environment) || linksKey !== this.linksKey) this.byStatement = new WeakMap();
    this.environment = module.environment;
    this.linksKey = linksKey;
    const evaluator = analysis.evaluator;
    const facts: DocumentFacts = {
      normLayers: [],
      layerInputs: [],
      deprecatedCalls: [],
      dataLoaders: [],
      // Which model a tensor reaches depends on the whole file, and finding it is cheap: never cached.
      modelCalls: findModelCalls(module, evaluator),
      convertsToSyncBatchNorm: module.resolvedCalls.some((resolved) => resolved.target.kind === 'syncBatchNormConversion'),
      suppressions: module.suppressions,
      importedLayers: imported.layers,
      importedLayerInputs: imported.layerInputs,
    };
    for (const statement of module.statements) {
      let statementFacts = this.byStatement.get(statement.summary);
      if (!statementFacts) {
        statementFacts = {
          normLayers: findNormLayers(statement, analysis.binder, analysis.contexts),
          layerInputs: findLayerInputs(module, statement, analysis.binder, analysis.contexts),
          deprecatedCalls: callsOfKind(statement.resolvedCalls, 'deprecated'),
          dataLoaders: findDataLoaders(module, statement.resolvedCalls, analysis.binder, analysis.contexts),
        };
        this.byStatement.set(statement.summary, statementFacts);
      }
      facts.normLayers.push(...statementFacts.normLayers);
      facts.layerInputs.push(...statementFacts.layerInputs);
      facts.deprecatedCalls.push(...statementFacts.deprecatedCalls);
      facts.dataLoaders.push(...statementFacts.dataLoaders);
    }
    return facts;
  }
}

/** Whether two summaries of a module give every statement the same environment. */
function sameEnvironment(previous: ModuleSummary['environment'] | undefined, next: ModuleSummary['environment']): boolean {
  return (
    previous !== undefined &&
    previous.key === next.key &&
    previous.statements.length === next.statements.length &&
    previous.statements.every((statement, index) => statement === next.statements[index])
  );
}
