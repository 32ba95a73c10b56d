// The workspace index: every Python file's module summary, the imports between them, and the
// config files scripts load. It links the files' analyses — constants and classes imported from
// another file, constructor calls from the training script into the model's file with their
// arguments, batch sizes reaching imported models, values read from configs — and reports each
// finding in every file it involves. After an edit only the files that import the edited one,
// or that it imports, are analysed again.
import type { Language, Tree } from '@vscode/tree-sitter-wasm';
import { emptyDocumentFacts } from '../analysis/documentFacts';
import type { ImportedFacts, DocumentFacts } from '../analysis/documentFacts';
import { fileLabel } from '../analysis/fileLabel';
import { checkFacts, DocumentLinter, uniqueFindings } from '../analysis/lint';
import type { LintOptions, LintResult } from '../analysis/lint';
import { ModuleAnalysis } from '../analysis/moduleAnalysis';
import type { WorkspaceLinks } from '../analysis/moduleAnalysis';
import type { ModuleSummary } from '../analysis/moduleSummary';
import type { NormLayerFact } from '../analysis/normLayers';
import { bindArguments } from '../analysis/callContexts';
import type { ConfigReference, EvaluationContext, Value, ValueOrigin } from '../python/evaluate';
import type { CallSite, FunctionSummary } from '../python/statementSummary';
import { severities } from '../rules/rule';
import type { Finding, Severity } from '../rules/rule';
import { configValueAt } from './configValues';
import type { ConfigFile } from './configValues';
import { callKeyOf, importKeyOf } from './exportKey';
import { absoluteNames, moduleNamesOf, moduleSplitsOf } from './moduleNames';

interface PythonEntry {
  uri: string;
  /** Workspace-relative, with `/`. */
  path: string;
  names: string[];
  linter: DocumentLinter;
  summary: ModuleSummary;
  /** The index's clock when the summary last changed. */
  changedAt: number;
  /** The clock when what its importers read last changed (see exportKey.ts). */
  importChangedAt: number;
  importKey: string;
  /** The clock when what the files it calls into read last changed. */
  callChangedAt: number;
  callKey: string;
  /** The clock when the layers other files build for this one's calls last changed. */
  importedChangedAt: number;
  /** The layers this one's facts hold for other files (built by their calls), by file. */
  buildsFor: Map<PythonEntry, NormLayerFact[]>;
  loadsConfigs?: { summary: ModuleSummary; value: boolean };
  analysis?: { key: string; value: ModuleAnalysis };
  facts?: { key: string; value: DocumentFacts };
  findings?: { key: string; facts: DocumentFacts; value: Finding[] };
  /** Calls in this file to classes and functions of other workspace files; per summary and names epoch. */
  outgoing?: { summary: ModuleSummary; namesEpoch: number; calls: OutgoingCall[] };
  /** The top-level names it defines and imports, as one string: when they change, other files' calls may resolve differently. */
  namesKey: string;
}

interface DependencyStamp {
  /** The latest export change among the files whose values reach this one. */
  latest: number;
  readsConfigs: boolean;
  /** Some other file's values can reach it at all. */
  linked: boolean;
}

interface OutgoingCall {
  call: CallSite;
  target: { uri: string; name: string };
}

/** A symbol of a workspace module: `UNet` in `models/unet.py`. */
interface ResolvedSymbol {
  entry: PythonEntry;
  name: string;
}

/** What `links` reports for `normlint check --stats`. */
export interface WorkspaceLinkStatistics {
  /** Import statements resolved to a workspace file. */
  imports: number;
  /** Calls that build a class of (or call a function of) another workspace file. */
  crossFileCalls: number;
  /** Layers built in another file's code, with that code's arguments. */
  layersBuiltAcrossFiles: number;
  /** Values read from config files. */
  configValues: number;
}

const maximumLinkDepth = 8;

export class WorkspaceIndex {
  private readonly python = new Map<string, PythonEntry>();
  private readonly byModuleName = new Map<string, PythonEntry>();
  private readonly configs = new Map<string, ConfigFile>();
  /** Bumped when files come or go or imports change: the import graph must be rebuilt. */
  private generation = 0;
  /**
   * Bumped only when files come or go, which may change how any import resolves. A change to one
   * file's imports changes its own summary and its import key, which the stamps already follow.
   */
  private membership = 0;
  private graph?: {
    generation: number;
    imports: Map<PythonEntry, Set<PythonEntry>>;
    importedBy: Map<PythonEntry, Set<PythonEntry>>;
    /** Per file, computed on first use: what it imports and what imports it (transitively), and the files that may report in it. */
    closures: Map<PythonEntry, { ancestors: PythonEntry[]; descendants: PythonEntry[]; involved: PythonEntry[] }>;
    descendants: Map<PythonEntry, PythonEntry[]>;
    /** Every file after the files it imports: the order `refresh` analyses them in. */
    order?: PythonEntry[];
  };
  /** Each file's lint options, read once until `optionsChanged`. */
  private readonly options = new Map<string, { options: LintOptions; key: string }>();
  /** Ticks on every change; the cache keys below are stamps of it, so checking one costs no walk over the workspace. */
  private clock = 0;
  private configsChangedAt = 0;
  /**
   * Ticks when a file starts or stops defining a name others may resolve: the call graph and every
   * file's calls into other files are recomputed then.
   */
  private namesEpoch = 0;
  /**
   * Each file's dependency stamps and the call graph, valid for one import graph and names epoch;
   * in between, an export change forgets only the stamps of the files it reaches.
   */
  private linksMemo: {
    generation: number;
    namesEpoch: number;
    configsPresent: boolean;
    byEntry: Map<PythonEntry, DependencyStamp>;
    imported: Map<PythonEntry, DependencyStamp>;
    callers: Map<PythonEntry, Set<PythonEntry>>;
  } = { generation: -1, namesEpoch: -1, configsPresent: false, byEntry: new Map(), imported: new Map(), callers: new Map() };
  /** Facts computed in the current refresh pass. */
  private factsComputed = 0;
  /** The clock when every file's findings were last brought up to date. */
  private refreshedAt = -1;
  /** For each file, the files whose facts hold layers its calls build. */
  private readonly builders = new Map<PythonEntry, Set<PythonEntry>>();
  /** Findings by the file they are reported in, then by the file whose analysis found them (mirrors included). */
  private readonly reported = new Map<string, Map<PythonEntry, Finding[]>>();
  private readonly inProgress = new Set<string>();
  private configReads = 0;

  constructor(
    private readonly language: Language,
    /** The options a file is checked with (its pyproject.toml, the editor's settings). */
    private readonly optionsFor: (uri: string) => LintOptions = () => ({}),
    /** How messages name a line of a file: `line 8`, or for a notebook `cell 2, line 2`. */
    private readonly lineLabel: (uri: string, line: number) => string = (_uri, line) => `line ${line + 1}`,
  ) {}

  /** Settings or a pyproject.toml changed: each file's options are read again. */
  optionsChanged(): void {
    this.options.clear();
  }

  /** Adds or updates a Python file from its current syntax tree; the tree stays the caller's. */
  setPythonFile(uri: string, path: string, tree: Tree): void {
    let entry = this.python.get(uri);
    if (!entry) {
      const linter = new DocumentLinter(this.language);
      this.clock++;
      const summary = linter.summarize(tree);
      entry = {
        uri,
        path,
        names: moduleNamesOf(path),
        linter,
        summary,
        changedAt: this.clock,
        importChangedAt: this.clock,
        importKey: importKeyOf(summary),
        callChangedAt: this.clock,
        callKey: '',
        namesKey: namesKeyOf(summary),
        importedChangedAt: this.clock,
        buildsFor: new Map(),
      };
      this.python.set(uri, entry);
      for (const name of entry.names) if (!this.byModuleName.has(name)) this.byModuleName.set(name, entry);
      this.generation++;
      this.membership++;
      this.namesEpoch++;
      return;
    }
    const previous = entry.summary;
    entry.summary = entry.linter.summarize(tree);
    if (sameStatements(previous, entry.summary)) return;
    entry.changedAt = ++this.clock;
    if (previous.imports.fingerprint !== entry.summary.imports.fingerprint) this.generation++;
    const namesKey = namesKeyOf(entry.summary);
    if (namesKey !== entry.namesKey) {
      entry.namesKey = namesKey;
      this.namesEpoch++;
    }
    const previousTargets = this.callTargets(entry, entry.outgoing?.calls ?? []);
    const importKey = importKeyOf(entry.summary);
    const callKey = callKeyOf(entry.summary, this.outgoingCalls(entry).map(({ call }) => call));
    if (importKey !== entry.importKey || callKey !== entry.callKey) {
      const importersToo = importKey !== entry.importKey;
      entry.importKey = importKey;
      entry.callKey = callKey;
      if (importersToo) entry.importChangedAt = this.clock;
      entry.callChangedAt = this.clock;
      this.exportChanged(entry, previousTargets, importersToo);
    }
  }

  /** Adds or updates a YAML or JSON config that scripts may load. */
  setConfigFile(uri: string, path: string, text: string): void {
    if (this.configs.get(path)?.text === text) return;
    this.configs.set(path, { uri, path, text });
    this.configsChangedAt = ++this.clock;
  }

  remove(uri: string): void {
    const entry = this.python.get(uri);
    if (entry) {
      this.python.delete(uri);
      for (const name of entry.names) if (this.byModuleName.get(name) === entry) this.byModuleName.delete(name);
      for (const target of entry.buildsFor.keys()) {
        this.builders.get(target)?.delete(entry);
        target.importedChangedAt = this.clock + 1;
      }
      this.builders.delete(entry);
      for (const byFile of this.reported.values()) byFile.delete(entry);
    }
    for (const [path, config] of this.configs) if (config.uri === uri) this.configs.delete(path);
    this.generation++;
    this.membership++;
    this.namesEpoch++;
    this.configsChangedAt = ++this.clock;
  }

  has(uri: string): boolean {
    return this.python.has(uri) || [...this.configs.values()].some((config) => config.uri === uri);
  }

  get pythonFileCount(): number {
    return this.python.size;
  }

  /**
   * The files whose findings may change when `uri` changes: it, what imports it and what it
   * imports (transitively), and what those importers import (a finding about one of them may
   * involve a line of it). A config may be read by any script.
   */
  affectedBy(uri: string): string[] {
    const entry = this.python.get(uri);
    if (!entry) return this.has(uri) ? [uri, ...this.python.keys()] : [];
    return this.involved(entry).map((other) => other.uri);
  }

  /** The files whose analysis may report something in `entry`'s file. */
  private involved(entry: PythonEntry): PythonEntry[] {
    return this.closureOf(entry).involved;
  }

  private closureOf(entry: PythonEntry): { ancestors: PythonEntry[]; descendants: PythonEntry[]; involved: PythonEntry[] } {
    const graph = this.importGraph();
    let closure = graph.closures.get(entry);
    if (!closure) {
      const ancestors = reachable(entry, graph.importedBy);
      const descendants = this.descendants(entry);
      const involved = new Set([entry, ...ancestors, ...descendants]);
      for (const ancestor of ancestors) for (const other of this.descendants(ancestor)) involved.add(other);
      closure = { ancestors, descendants, involved: [...involved] };
      graph.closures.set(entry, closure);
    }
    return closure;
  }

  /** What a file imports, transitively; memoized apart from the rest of its closure, which reads it for every importer. */
  private descendants(entry: PythonEntry): PythonEntry[] {
    const graph = this.importGraph();
    let found = graph.descendants.get(entry);
    if (!found) graph.descendants.set(entry, (found = reachable(entry, graph.imports)));
    return found;
  }

  /**
   * The findings reported in `uri`: its own, those about layers it builds in other files (at its
   * calls), and those other files report that involve a line of it (the layer, the config value).
   */
  lint(uri: string): LintResult | undefined {
    this.refresh();
    const findings = [...(this.reported.get(uri)?.values() ?? [])].flat();
    const unique = uniqueFindings(findings);
    unique.sort((first, second) => first.range.start.line - second.range.start.line || first.range.start.character - second.range.start.character);
    const entry = this.python.get(uri);
    if (!entry) return unique.length > 0 ? { facts: emptyDocumentFacts(), findings: unique } : undefined;
    return { facts: this.factsOf(entry), findings: unique };
  }

  /**
   * Brings every file's facts and findings up to date, files before the files that import them.
   * Only files whose key changed are analysed again. With a `deadline` (a `Date.now()` value) it
   * may stop early and returns false; the next call goes on.
   */
  refresh(deadline = Infinity): boolean {
    if (this.refreshedAt === this.clock) return true;
    // In an import cycle a file may be analysed before one whose layers it builds; another pass settles it.
    for (let pass = 0; pass < 3; pass++) {
      this.factsComputed = 0;
      for (const entry of this.refreshOrder()) {
        this.refreshFindings(entry);
        if (Date.now() > deadline) return false;
      }
      if (this.factsComputed === 0) break;
    }
    this.refreshedAt = this.clock;
    return true;
  }

  /** Re-checks a file whose facts or options changed, and files its findings where they are reported. */
  private refreshFindings(entry: PythonEntry): void {
    const facts = this.factsOf(entry);
    let cached = this.options.get(entry.uri);
    if (!cached) {
      const options = this.optionsFor(entry.uri);
      cached = { options, key: JSON.stringify(options) };
      this.options.set(entry.uri, cached);
    }
    if (entry.findings?.key === cached.key && entry.findings.facts === facts) return;
    const findings = checkFacts(facts, cached.options, entry.uri);
    entry.findings = { key: cached.key, facts, value: findings };
    for (const byFile of this.reported.values()) byFile.delete(entry);
    const file = (uri: string, finding: Finding): void => {
      let byFile = this.reported.get(uri);
      if (!byFile) this.reported.set(uri, (byFile = new Map()));
      byFile.set(entry, [...(byFile.get(entry) ?? []), finding]);
    };
    for (const finding of findings) {
      const reportedIn = finding.uri ?? entry.uri;
      file(reportedIn, withoutUri(finding));
      const elsewhere = new Set((finding.related ?? []).flatMap((related) => (related.uri !== undefined && related.uri !== reportedIn ? [related.uri] : [])));
      for (const uri of elsewhere) for (const mirror of mirrorsIn(uri, reportedIn, finding, this.lineLabel(reportedIn, finding.range.start.line))) file(uri, mirror);
    }
  }

  /** Every file, each after the files it imports (import cycles are broken where the walk meets them). */
  private refreshOrder(): PythonEntry[] {
    const graph = this.importGraph();
    if (!graph.order) {
      const order: PythonEntry[] = [];
      const visited = new Set<PythonEntry>();
      for (const start of this.python.values()) {
        if (visited.has(start)) continue;
        // An explicit stack: import chains can be deeper than the call stack allows.
        const stack: { entry: PythonEntry; next: Iterator<PythonEntry> }[] = [{ entry: start, next: (graph.imports.get(start) ?? new Set()).values() }];
        visited.add(start);
        while (stack.length > 0) {
          const top = stack[stack.length - 1]!;
          const step = top.next.next();
          if (step.done) {
            order.push(top.entry);
            stack.pop();
          } else if (!visited.has(step.value)) {
            visited.add(step.value);
            stack.push({ entry: step.value, next: (graph.imports.get(step.value) ?? new Set()).values() });
          }
        }
      }
      graph.order = order;
    }
    return graph.order;
  }

  /** How much the index linked: for `normlint check --stats`. */
  links(): WorkspaceLinkStatistics {
    this.refresh();
    const statistics: WorkspaceLinkStatistics = { imports: 0, crossFileCalls: 0, layersBuiltAcrossFiles: 0, configValues: 0 };
    const { imports } = this.importGraph();
    for (const entry of this.python.values()) {
      statistics.imports += imports.get(entry)?.size ?? 0;
      statistics.crossFileCalls += this.outgoingCalls(entry).length;
      statistics.layersBuiltAcrossFiles += this.factsOf(entry).normLayers.filter((layer) => layer.callChain.some((hop) => hop.uri !== undefined)).length;
    }
    statistics.configValues = this.configReads;
    return statistics;
  }

  private factsOf(entry: PythonEntry): DocumentFacts {
    const linksKey = this.linksKey(entry);
    const key = `${entry.changedAt}|${linksKey}|${entry.importedChangedAt}`;
    if (entry.facts?.key === key) return entry.facts.value;
    const value = entry.linter.facts(this.analysisOf(entry), linksKey, this.importedFacts(entry));
    entry.facts = { key, value };
    this.factsComputed++;
    // The files whose calls build these layers see them as imported layers: when those change, so do their facts.
    // Layers of statements that did not change are the same objects, so an unchanged list costs the builder nothing.
    const buildsFor = new Map<PythonEntry, NormLayerFact[]>();
    for (const layer of value.normLayers) {
      const builder = layer.callChain[0]?.uri === undefined ? undefined : this.python.get(layer.callChain[0].uri);
      if (builder && builder !== entry) buildsFor.set(builder, [...(buildsFor.get(builder) ?? []), layer]);
    }
    for (const target of new Set([...entry.buildsFor.keys(), ...buildsFor.keys()])) {
      const before = entry.buildsFor.get(target) ?? [];
      const after = buildsFor.get(target) ?? [];
      if (before.length === after.length && before.every((layer, index) => layer === after[index])) continue;
      target.importedChangedAt = this.clock;
      let builders = this.builders.get(target);
      if (!builders) this.builders.set(target, (builders = new Set()));
      if (after.length > 0) builders.add(entry);
      else builders.delete(entry);
    }
    entry.buildsFor = buildsFor;
    return value;
  }

  /** The layers in other files that this file's calls build, and what reaches them there. */
  private importedFacts(entry: PythonEntry): ImportedFacts {
    const imported: ImportedFacts = { layers: [], layerInputs: [] };
    for (const other of this.builders.get(entry) ?? []) {
      const facts = other.facts?.value;
      if (!facts) continue;
      const built = facts.normLayers.filter((layer) => layer.callChain[0]?.uri === entry.uri);
      imported.layers.push(...built.map((layer) => ({ ...layer, uri: other.uri })));
      const builtSet = new Set(built);
      imported.layerInputs.push(...facts.layerInputs.filter((input) => builtSet.has(input.consumer)).map((input) => ({ ...input, consumer: { ...input.consumer, uri: other.uri }, uri: other.uri })));
    }
    return imported;
  }

  private analysisOf(entry: PythonEntry): ModuleAnalysis {
    const key = `${entry.changedAt}|${this.linksKey(entry)}`;
    if (entry.analysis?.key !== key) entry.analysis = { key, value: new ModuleAnalysis(entry.summary, this.linksOf(entry)) };
    return entry.analysis.value;
  }

  /**
   * Changes whenever a file whose values can reach this one's analysis changes what it tells
   * others (its export key): the files it imports, the files whose calls build its classes, and
   * recursively what those callers depend on (the script passes a constant from a settings
   * module). Files that merely import the same package are not among them.
   */
  private linksKey(entry: PythonEntry): string {
    const { latest, readsConfigs, linked } = this.dependencyStamp(entry);
    return linked || readsConfigs ? `${this.membership}|${latest}|${readsConfigs ? this.configsChangedAt : ''}` : '';
  }

  /** The latest export change among the files whose values reach `entry`, computed once per links clock tick. */
  private dependencyStamp(entry: PythonEntry): DependencyStamp {
    const memo = this.currentLinks();
    const known = memo.byEntry.get(entry);
    if (known) return known;
    // A cycle of calls: the part already on the way counts, the rest is added where the walk began.
    const stamp = { latest: 0, readsConfigs: this.readsConfigs(entry), linked: false };
    memo.byEntry.set(entry, stamp);
    const imported = this.importedStamp(entry);
    stamp.linked = imported.linked;
    stamp.latest = imported.latest;
    stamp.readsConfigs ||= imported.readsConfigs;
    for (const caller of memo.callers.get(entry) ?? []) {
      const upstream = this.dependencyStamp(caller);
      stamp.linked = true;
      stamp.latest = Math.max(stamp.latest, caller.callChangedAt, upstream.latest);
      stamp.readsConfigs ||= upstream.readsConfigs;
    }
    return stamp;
  }

  /** The latest export change among the files `entry` imports, transitively: each file's direct imports and their own stamps. */
  private importedStamp(entry: PythonEntry): DependencyStamp {
    const memo = this.currentLinks();
    const known = memo.imported.get(entry);
    if (known) return known;
    const stamp = { latest: 0, readsConfigs: false, linked: false };
    memo.imported.set(entry, stamp);
    for (const imported of this.importGraph().imports.get(entry) ?? []) {
      const deeper = this.importedStamp(imported);
      stamp.linked = true;
      stamp.latest = Math.max(stamp.latest, imported.importChangedAt, deeper.latest);
      stamp.readsConfigs ||= this.readsConfigs(imported) || deeper.readsConfigs;
    }
    return stamp;
  }

  /** The memo of dependency stamps, rebuilt from scratch when the import graph or the defined names changed. */
  private currentLinks(): WorkspaceIndex['linksMemo'] {
    const memo = this.linksMemo;
    const configsPresent = this.configs.size > 0;
    if (memo.generation === this.generation && memo.namesEpoch === this.namesEpoch && memo.configsPresent === configsPresent) return memo;
    this.linksMemo = { generation: this.generation, namesEpoch: this.namesEpoch, configsPresent, byEntry: new Map(), imported: new Map(), callers: this.callGraph() };
    return this.linksMemo;
  }

  /**
   * `entry` now tells other files something else: its call edges are updated, and the stamps of
   * the files its values reach are forgotten — its importers (and theirs), and every file those or
   * it calls into (and those they call into).
   */
  private exportChanged(entry: PythonEntry, previousTargets: ReadonlySet<PythonEntry>, importersToo: boolean): void {
    const memo = this.linksMemo;
    if (memo.generation !== this.generation || memo.namesEpoch !== this.namesEpoch) return;
    const targets = this.callTargets(entry, this.outgoingCalls(entry));
    for (const target of previousTargets) memo.callers.get(target)?.delete(entry);
    for (const target of targets) {
      let set = memo.callers.get(target);
      if (!set) memo.callers.set(target, (set = new Set()));
      set.add(entry);
    }
    // Its importers' imported stamps include its own, transitively…
    const importedBy = this.importGraph().importedBy;
    const importers = importersToo ? [entry, ...reachable(entry, importedBy)] : [entry];
    for (const importer of importers) memo.imported.delete(importer);
    // …and the dependency stamps of those files and of every file they call into, transitively, include them.
    const pending = [...importers, ...previousTargets];
    const seen = new Set(pending);
    while (pending.length > 0) {
      const next = pending.pop()!;
      memo.byEntry.delete(next);
      for (const callee of this.callTargets(next, this.outgoingCalls(next))) {
        if (!seen.has(callee)) {
          seen.add(callee);
          pending.push(callee);
        }
      }
    }
  }

  private callTargets(entry: PythonEntry, calls: readonly OutgoingCall[]): Set<PythonEntry> {
    const targets = new Set<PythonEntry>();
    for (const { target } of calls) {
      const callee = this.python.get(target.uri);
      if (callee && callee !== entry) targets.add(callee);
    }
    return targets;
  }

  /** Which files call classes or functions of which: the edges values travel along into other files' contexts. */
  private callGraph(): Map<PythonEntry, Set<PythonEntry>> {
    const callers = new Map<PythonEntry, Set<PythonEntry>>();
    for (const entry of this.python.values()) {
      for (const callee of this.callTargets(entry, this.outgoingCalls(entry))) {
        let set = callers.get(callee);
        if (!set) callers.set(callee, (set = new Set()));
        set.add(entry);
      }
    }
    return callers;
  }

  /** Whether the file may load a config (it imports OmegaConf or Hydra); remembered per summary. */
  private readsConfigs(entry: PythonEntry): boolean {
    if (this.configs.size === 0) return false;
    if (entry.loadsConfigs?.summary !== entry.summary) entry.loadsConfigs = { summary: entry.summary, value: /omegaconf|hydra/.test(entry.summary.imports.fingerprint) };
    return entry.loadsConfigs.value;
  }

  private linksOf(entry: PythonEntry): WorkspaceLinks {
    return {
      importedValue: (dottedName) => {
        const qualified = entry.summary.qualify(dottedName);
        const symbol = qualified === undefined ? undefined : this.resolveSymbol(qualified, entry.path);
        return symbol ? this.valueOfSymbol(symbol) : undefined;
      },
      configValue: (reference) => this.configValue(entry, reference),
      contextsOf: (summary) => this.incomingContexts(entry, summary),
    };
  }

  /** What importing `symbol` gives: a constant's value or a class, its origins marked with the defining file. */
  private valueOfSymbol(symbol: ResolvedSymbol): Value | undefined {
    const key = `value ${symbol.entry.uri} ${symbol.name}`;
    if (this.inProgress.has(key) || this.inProgress.size > maximumLinkDepth * 4) return undefined;
    this.inProgress.add(key);
    try {
      const value = this.analysisOf(symbol.entry).evaluator.moduleName(symbol.name);
      if (value.kind === 'unknown') return undefined;
      return inFile(value, symbol.entry.uri, symbol.entry.names[0]);
    } finally {
      this.inProgress.delete(key);
    }
  }

  private configValue(entry: PythonEntry, reference: ConfigReference): Value | undefined {
    const folder = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
    const inFolder = normalizePath(folder ? `${folder}/${reference.file}` : reference.file);
    const fromRoot = normalizePath(reference.file);
    const candidates = reference.relativeTo === 'script' ? [inFolder, fromRoot] : [fromRoot, inFolder];
    for (const path of candidates) {
      const config = path === undefined ? undefined : this.configs.get(path);
      const value = config && configValueAt(config, reference.keys);
      if (value) {
        this.configReads++;
        return value;
      }
    }
    return undefined;
  }

  /** The contexts other files' calls run a class's `__init__` (or a function) of `entry` in. */
  private incomingContexts(entry: PythonEntry, summary: FunctionSummary): EvaluationContext[] {
    const name = summary.className ?? summary.name;
    const key = `contexts ${entry.uri} ${summary.id}`;
    if (this.inProgress.has(key) || this.inProgress.size > maximumLinkDepth * 4) return [];
    this.inProgress.add(key);
    try {
      const contexts: EvaluationContext[] = [];
      for (const caller of this.importGraph().importedBy.get(entry) ?? []) {
        const calls = this.outgoingCalls(caller).filter(({ target }) => target.uri === entry.uri && target.name === name);
        if (calls.length === 0) continue;
        const analysis = this.analysisOf(caller);
        for (const { call } of calls) {
          for (const callerContext of analysis.contexts.contextsOf(call.functionId)) {
            if (!analysis.evaluator.guardsAllow(call.guards, callerContext)) continue;
            const bound = bindArguments(analysis.evaluator, summary, call, callerContext, summary.className ? 1 : 0);
            contexts.push({
              functionId: summary.id,
              arguments: new Map([...bound].map(([parameter, value]) => [parameter, inFile(value, caller.uri, caller.names[0])])),
              callChain: [...callerContext.callChain.map((hop) => (hop.uri ? hop : { ...hop, uri: caller.uri })), { source: call.callee.source, range: call.range, uri: caller.uri }],
            });
          }
        }
      }
      return contexts;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private outgoingCalls(entry: PythonEntry): OutgoingCall[] {
    if (entry.outgoing?.summary === entry.summary && entry.outgoing.namesEpoch === this.namesEpoch) return entry.outgoing.calls;
    const calls: OutgoingCall[] = [];
    for (const call of entry.summary.calls) {
      if (!call.calleeName || !isModuleLevelName(call.callee)) continue;
      const qualified = entry.summary.qualify(call.calleeName);
      const symbol = qualified === undefined ? undefined : this.resolveSymbol(qualified, entry.path);
      if (symbol && symbol.entry !== entry) calls.push({ call, target: { uri: symbol.entry.uri, name: symbol.name } });
    }
    entry.outgoing = { summary: entry.summary, namesEpoch: this.namesEpoch, calls };
    return calls;
  }

  /**
   * The workspace file and top-level name a qualified name refers to, following re-exports
   * (`from .unet import UNet` in `models/__init__.py`).
   */
  private resolveSymbol(qualifiedName: string, fromPath: string, depth = 0): ResolvedSymbol | undefined {
    if (depth > maximumLinkDepth) return undefined;
    for (const absolute of absoluteNames(qualifiedName, fromPath)) {
      for (const { module, rest } of moduleSplitsOf(absolute)) {
        const entry = this.byModuleName.get(module);
        if (!entry) continue;
        if (!rest) return undefined;
        const [name, ...more] = rest.split('.');
        if (more.length > 0) return undefined;
        if (entry.summary.constants.has(name!) || entry.summary.functions.has(`${name}.__init__`) || entry.summary.functions.has(name!)) return { entry, name: name! };
        // Re-exported: follow the import that binds the name there.
        const reexported = entry.summary.imports.qualify(name!)[0];
        if (reexported !== undefined && reexported !== name) return this.resolveSymbol(reexported, entry.path, depth + 1);
        return undefined;
      }
    }
    return undefined;
  }

  /** Which files each file imports, and the reverse; rebuilt when files come or go or imports change. */
  private importGraph(): NonNullable<WorkspaceIndex['graph']> {
    if (this.graph?.generation === this.generation) return this.graph;
    const imports = new Map<PythonEntry, Set<PythonEntry>>();
    const importedBy = new Map<PythonEntry, Set<PythonEntry>>();
    for (const entry of this.python.values()) {
      const targets = new Set<PythonEntry>();
      for (const qualifiedName of importedNames(entry.summary)) {
        for (const target of this.modulesNamed(qualifiedName, entry.path)) if (target !== entry) targets.add(target);
      }
      imports.set(entry, targets);
      for (const target of targets) {
        let set = importedBy.get(target);
        if (!set) importedBy.set(target, (set = new Set()));
        set.add(entry);
      }
    }
    this.graph = { generation: this.generation, imports, importedBy, closures: new Map(), descendants: new Map() };
    return this.graph;
  }

  /** The workspace files an imported name involves: its module, and where a re-exported name is defined. */
  private modulesNamed(qualifiedName: string, fromPath: string): PythonEntry[] {
    const found: PythonEntry[] = [];
    for (const absolute of absoluteNames(qualifiedName, fromPath)) {
      const split = moduleSplitsOf(absolute).find(({ module }) => this.byModuleName.has(module));
      if (!split) continue;
      found.push(this.byModuleName.get(split.module)!);
      const symbol = this.resolveSymbol(qualifiedName, fromPath);
      if (symbol) found.push(symbol.entry);
      break;
    }
    return found;
  }

}

function reachable(start: PythonEntry, edges: ReadonlyMap<PythonEntry, ReadonlySet<PythonEntry>>): PythonEntry[] {
  const seen = new Set<PythonEntry>([start]);
  const pending = [start];
  const found: PythonEntry[] = [];
  while (pending.length > 0) {
    for (const next of edges.get(pending.pop()!) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      found.push(next);
      pending.push(next);
    }
  }
  return found;
}

/** Every qualified name the module's imports bind. */
function importedNames(summary: ModuleSummary): string[] {
  return summary.statements.flatMap(({ summary: statement }) =>
    statement.imports.flatMap((facts) => [...facts.bindings.map((binding) => binding.qualifiedName), ...facts.wildcardModules]),
  );
}

function isModuleLevelName(callee: CallSite['callee']): boolean {
  let root = callee;
  while (root.kind === 'attribute') root = root.object;
  return root.kind === 'name' && root.binding.scope === 'module';
}

/** A value that crosses into another file: its origins and classes say which file they belong to. */
function inFile(value: Value, uri: string, moduleName: string | undefined): Value {
  if (value.kind === 'unknown') return value;
  const origins = value.origins.map((origin): ValueOrigin => (origin.uri ? origin : { ...origin, uri }));
  switch (value.kind) {
    case 'sequence':
      return { ...value, items: value.items.map((item) => inFile(item, uri, moduleName)), origins };
    case 'moduleClass':
      return { ...value, ...(value.module === undefined && moduleName !== undefined ? { module: moduleName } : {}), origins };
    case 'layerClass':
      return {
        ...value,
        partialArguments: value.partialArguments.map((item) => inFile(item, uri, moduleName)),
        partialKeywords: value.partialKeywords.map(([name, item]) => [name, inFile(item, uri, moduleName)]),
        origins,
      };
    default:
      return { ...value, origins };
  }
}

/** A finding about `reportedIn` that involves lines of `uri`: repeated on each of them, linking back. */
function mirrorsIn(uri: string, reportedIn: string, finding: Finding, reportedLine: string): Finding[] {
  const here = (finding.related ?? []).filter((related) => related.uri === uri);
  return here
    // One per line: a call and its arguments on the same line are one place to act.
    .filter((related, index) => here.findIndex((other) => other.range.start.line === related.range.start.line) === index)
    .map((related) => ({
      code: finding.code,
      rule: finding.rule,
      severity: related.severity === undefined ? finding.severity : milder(finding.severity, related.severity),
      // What this line is to the finding comes first: the layer, the value it sets, a call on the way.
      message: `From ${fileLabel(reportedIn)} ${reportedLine} (${related.message}): ${finding.message}`,
      range: related.range,
      related: [{ range: finding.range, message: 'reported here', uri: reportedIn }],
    }));
}

function withoutUri(finding: Finding): Finding {
  if (finding.uri === undefined) return finding;
  const { uri: _reportedIn, ...rest } = finding;
  return rest;
}

/** `conf/../conf/train.yaml` → `conf/train.yaml`; a path that leaves the workspace is none. */
function normalizePath(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Two summaries of a file made of the same statement summaries: nothing the analysis reads changed. */
function sameStatements(first: ModuleSummary, second: ModuleSummary): boolean {
  return first.statements.length === second.statements.length && first.statements.every((statement, index) => statement.summary === second.statements[index]!.summary);
}

/** The names a module defines or imports at top level: what other files' imports can resolve to. */
function namesKeyOf(summary: ModuleSummary): string {
  const functions = [...summary.functions.keys()].filter((id) => !id.includes('.') || id.endsWith('.__init__'));
  return [summary.imports.fingerprint, [...summary.constants.keys()].join(','), functions.join(',')].join('|');
}

/** The less severe of two severities. */
function milder(first: Severity, second: Severity): Severity {
  return severities.indexOf(first) >= severities.indexOf(second) ? first : second;
}
