// One analysis of one module: its evaluator, the contexts its functions run in and the layer
// bindings, shared by every fact derived in that analysis. In a workspace the evaluator also
// sees what the module imports from other files, and the contexts include calls from them.
import { Evaluator } from '../python/evaluate';
import type { ConfigReference, Value } from '../python/evaluate';
import { CallContexts } from './callContexts';
import type { IncomingCalls } from './callContexts';
import { LayerBinder } from './layerBinder';
import type { ModuleSummary } from './moduleSummary';

/** What the workspace tells one module's analysis about the other files. */
export interface WorkspaceLinks extends IncomingCalls {
  /** `GROUPS` from `from config import GROUPS`, as the other file defines it. */
  importedValue(dottedName: string): Value | undefined;
  /** `cfg.train.batch_size` read from the config file the code loads. */
  configValue(reference: ConfigReference): Value | undefined;
}

export class ModuleAnalysis {
  readonly evaluator: Evaluator;
  private shared: { contexts: CallContexts; binder: LayerBinder } | undefined;

  constructor(
    readonly module: ModuleSummary,
    private readonly links?: WorkspaceLinks,
  ) {
    this.evaluator = new Evaluator(
      links ? { ...module, importedValue: (dottedName) => links.importedValue(dottedName), configValue: (reference) => links.configValue(reference) } : module,
    );
  }

  /** Built on first use: most edits need no new facts, and so no call contexts. */
  get contexts(): CallContexts {
    return this.sharedParts().contexts;
  }

  get binder(): LayerBinder {
    return this.sharedParts().binder;
  }

  private sharedParts(): { contexts: CallContexts; binder: LayerBinder } {
    this.shared ??= { contexts: new CallContexts(this.module, this.evaluator, this.links), binder: new LayerBinder(this.evaluator) };
    return this.shared;
  }
}
