// The normlint language server: keeps each open Python document parsed incrementally, lints
// it after edits (debounced, latest version only), and answers hover, code actions and the
// preview's layer requests. The VS Code client and `normlint server --stdio` both run this.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeActionKind, CodeLensRefreshRequest, DiagnosticSeverity, DidChangeWatchedFilesNotification, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { Connection, Diagnostic, InitializeParams } from 'vscode-languageserver/node';
import { emptyDocumentFacts } from '../src/analysis/documentFacts';
import { defaultThresholds, DocumentLinter } from '../src/analysis/lint';
import type { LintOptions, LintResult } from '../src/analysis/lint';
import { batchSizeReaching } from '../src/analysis/batchSizes';
import { explainBatchSizeAt } from '../src/explain/batchSizeHover';
import { explainLayerAt, layerAt } from '../src/explain/hover';
import { ParsedDocument, PythonParser } from '../src/python/pythonParser';
import { defaultConfig, lintOptionsFor } from '../src/config/normlintConfig';
import { ProjectConfigFinder } from './projectConfig';
import type { ProjectConfig } from './projectConfig';
import { NotebookAnalysis, notebookSelector } from './notebooks';
import { ConfigDocuments } from './configDocuments';
import { installRoot, loadPythonLanguage } from './pythonLanguage';
import { diagnosticSource, toCodeActions, toDiagnostic, toLayerSummary } from './presentation';
import { layerAtRequest, layersRequest } from './protocol';
import { defaultSettings, readSettings } from './settings';
import type { ServerSettings } from './settings';
import { WorkspaceAnalysis } from './workspaceAnalysis';
import { lintConfigFile } from '../src/configs';
import type { Finding } from '../src/rules/rule';

/**
 * A file whose analysis takes longer than this is analysed only after edits pause for as long
 * as its last analysis took (up to the maximum), so typing in it never queues up work. Faster
 * files are analysed as soon as the pending messages are read, which coalesces bursts.
 */
const debounceFromMs = 30;
const maximumDebounceMs = 200;

interface OpenDocument {
  uri: string;
  version: number;
  parsed: ParsedDocument;
  linter: DocumentLinter;
  analyzed?: { version: number; result: LintResult };
  /** Cancels the pending analysis, if any. */
  cancelPending?: () => void;
  lastAnalysisMs: number;
  /** Set once the user has been told the file is over the size limit. */
  toldTooLarge?: boolean;
  /** The `[tool.normlint]` table of the nearest pyproject.toml, for files on disk. */
  project?: ProjectConfig;
  /** The version last given to the workspace index. */
  indexedVersion?: number;
}

export function startServer(connection: Connection): void {
  const documents = new Map<string, OpenDocument>();
  const root = installRoot();
  const projectConfigs = new ProjectConfigFinder();
  let settings: ServerSettings = defaultSettings;
  let canPullConfiguration = false;
  let offerPreviewLinks = false;
  let canRefreshCodeLenses = false;
  // Nothing is published before the user's settings are known, so a rule turned off never flashes up.
  let settingsLoaded = false;
  // Every document event waits for the grammar; promise callbacks keep the events in order.
  const parserReady = loadPythonLanguage().then((language) => new PythonParser(language));

  const log = (message: string): void => connection.console.log(`[normlint] ${message}`);
  // Cells of open notebooks are linted together; nothing is published before settings are read.
  const optionsForUri = async (uri: string): Promise<LintOptions | undefined> => {
    if (!settingsLoaded || !settings.enable) return undefined;
    return lintOptions(uri.startsWith('file:') ? await projectConfigs.find(dirname(fileURLToPath(uri))) : undefined);
  };
  const workspace: WorkspaceAnalysis = new WorkspaceAnalysis(
    connection,
    parserReady,
    (uri): LintOptions => lintOptions(documents.get(uri)?.project ?? workspace.projectOf(uri)),
    log,
    (folder) => projectConfigs.find(folder),
  );
  const notebooks = new NotebookAnalysis(connection, parserReady, optionsForUri, root, () => settings.maxFileSizeBytes, {
    covers: (uri) => workspace.covers(uri),
    analyse: (uri, tree, program) => {
      workspace.updateOpen(uri, tree, program);
      reanalyzeOpen(workspace.affectedBy(uri).filter((other) => other !== uri));
      return workspace.lint(uri);
    },
  });
  const configs = new ConfigDocuments(connection, optionsForUri, root, {
    changed: (uri, text) => {
      workspace.updateOpenConfig(uri, text);
      reanalyzeOpen(workspace.affectedBy(uri));
    },
    reportedIn: (uri) => workspace.lint(uri)?.findings ?? [],
  });
  let canWatchFiles = false;
  let indexing: { exclude: string } | undefined;

  connection.onInitialize((params: InitializeParams) => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canRefreshCodeLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.setFolders(folders);
    const options = params.initializationOptions as { previewCommand?: unknown; settings?: unknown } | undefined;
    offerPreviewLinks = options?.previewCommand === true;
    if (options?.settings) settings = readSettings(options.settings);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        notebookDocumentSync: { notebookSelector },
        // Only an editor that has the preview command gets "Preview normalization" lenses.
        ...(offerPreviewLinks ? { codeLensProvider: { resolveProvider: false } } : {}),
      },
      serverInfo: { name: 'normlint', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    // Files changed on disk (a `git checkout`, a generated config) re-analyse the open files that depend on them.
    if (canWatchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{py,ipynb,yaml,yml,json}' }] });
    void refreshSettings();
  });

  connection.onDidChangeConfiguration((change) => {
    // Editors that push settings send them here; VS Code sends an empty nudge and is asked instead.
    const pushed = (change.settings as { normlint?: unknown } | undefined)?.normlint;
    if (pushed) {
      settings = readSettings(pushed);
      reanalyzeAll();
    } else void refreshSettings();
    // Lenses depend on settings too; the editor asks for them again on this request.
    if (canRefreshCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
  });

  async function refreshSettings(): Promise<void> {
    if (canPullConfiguration) {
      try {
        settings = readSettings(await connection.workspace.getConfiguration({ section: 'normlint' }));
      } catch (error) {
        log(`could not read settings, using defaults: ${String(error)}`);
      }
    }
    settingsLoaded = true;
    reanalyzeAll();
    await refreshIndex();
  }

  /** Builds the workspace index when it is wanted and was not built with the same exclusions. */
  async function refreshIndex(): Promise<void> {
    if (!settings.enable || !settings.indexWorkspace) {
      indexing = undefined;
      workspace.disable();
      return;
    }
    let exclude: Record<string, boolean> = {};
    if (canPullConfiguration) {
      try {
        const files = (await connection.workspace.getConfiguration({ section: 'files' })) as { exclude?: unknown } | null;
        if (files && typeof files.exclude === 'object' && files.exclude !== null) exclude = files.exclude as Record<string, boolean>;
      } catch (error) {
        log(`could not read files.exclude: ${String(error)}`);
      }
    }
    const key = JSON.stringify(exclude);
    if (indexing?.exclude === key) return;
    indexing = { exclude: key };
    workspace.rebuild({ exclude, maxFileSizeBytes: settings.maxFileSizeBytes }, () => {
      for (const document of documents.values()) document.indexedVersion = undefined;
      reanalyzeAll();
    });
  }

  /** Re-publishes the open files among `uris`, whose findings another file's change may have moved. */
  function reanalyzeOpen(uris: readonly string[]): void {
    for (const uri of uris) {
      const document = documents.get(uri);
      if (document) {
        document.analyzed = undefined;
        schedule(document, 0);
      }
      if (configs.has(uri)) configs.republish(uri);
    }
  }

  /** Settings changed: every cached result is stale. */
  function reanalyzeAll(): void {
    workspace.optionsChanged();
    notebooks.reanalyzeAll();
    configs.reanalyzeAll();
    for (const document of documents.values()) {
      document.analyzed = undefined;
      schedule(document, 0);
    }
  }

  connection.onDidOpenTextDocument(({ textDocument }) => {
    // Notebook cells arrive through notebook sync and are analysed together (server/notebooks.ts).
    if (textDocument.uri.startsWith('vscode-notebook-cell:')) return;
    if (ConfigDocuments.accepts(textDocument)) {
      configs.open(textDocument);
      return;
    }
    void parserReady.then((parser) => {
      const document: OpenDocument = {
        uri: textDocument.uri,
        version: textDocument.version,
        parsed: new ParsedDocument(parser, textDocument.text),
        linter: new DocumentLinter(parser.language),
        lastAnalysisMs: 0,
      };
      documents.get(textDocument.uri)?.parsed.dispose();
      documents.set(textDocument.uri, document);
      schedule(document, 0);
      void loadProjectConfig(document);
    });
  });

  /** Reads the document's pyproject.toml configuration, shows its mistakes on that file, and re-analyses. */
  async function loadProjectConfig(document: OpenDocument): Promise<void> {
    if (!document.uri.startsWith('file:')) return;
    const project = await projectConfigs.find(dirname(fileURLToPath(document.uri)));
    if (documents.get(document.uri) !== document) return;
    document.project = project;
    document.analyzed = undefined;
    workspace.optionsChanged();
    if (project.path) {
      void connection.sendDiagnostics({
        uri: pathToFileURL(project.path).href,
        diagnostics: project.errors.map((error) => {
          const line = Math.max(0, (error.line ?? 1) - 1);
          return { range: { start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } }, severity: DiagnosticSeverity.Error, source: diagnosticSource, message: error.message };
        }),
      });
    }
    schedule(document, 0);
  }

  connection.onDidChangeWatchedFiles(({ changes }) => {
    // A pyproject.toml was created, changed or deleted: every document's configuration may differ.
    if (changes.some((change) => change.uri.endsWith('pyproject.toml'))) {
      projectConfigs.clear();
      void workspace.reloadProjects().then(() => reanalyzeAll());
      for (const document of documents.values()) void loadProjectConfig(document);
      notebooks.reanalyzeAll();
      configs.reanalyzeAll();
    }
    void workspace.filesChanged(changes).then(reanalyzeOpen);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    if (configs.has(textDocument.uri)) {
      configs.change(textDocument.uri, textDocument.version, contentChanges);
      return;
    }
    void parserReady.then(() => {
      const document = documents.get(textDocument.uri);
      if (!document) return;
      document.parsed.applyChanges(contentChanges.map((change) => ('range' in change ? { range: change.range, text: change.text } : { text: change.text })));
      document.version = textDocument.version;
      schedule(document, document.lastAnalysisMs < debounceFromMs ? 0 : Math.min(maximumDebounceMs, Math.ceil(document.lastAnalysisMs)));
    });
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    configs.close(textDocument.uri);
    void parserReady.then(() => {
      const document = documents.get(textDocument.uri);
      if (!document) return;
      document.cancelPending?.();
      document.parsed.dispose();
      documents.delete(textDocument.uri);
      void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
      void workspace.closed(textDocument.uri).then(() => reanalyzeOpen(workspace.affectedBy(textDocument.uri)));
    });
  });

  /** Analyses after `delayMs`; a newer edit cancels the pending run, so only the latest version is analysed. */
  function schedule(document: OpenDocument, delayMs: number): void {
    document.cancelPending?.();
    // Without a pause, run as soon as the messages already read are handled (a timer would wait at least 1 ms).
    if (delayMs === 0) {
      const immediate = setImmediate(() => publish(document));
      document.cancelPending = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(() => publish(document), delayMs);
      document.cancelPending = () => clearTimeout(timer);
    }
  }

  function publish(document: OpenDocument): void {
    if (!settingsLoaded) return;
    const result = resultFor(document);
    const diagnostics: Diagnostic[] = result ? result.findings.map((finding) => toDiagnostic(finding, document.uri, root)) : [];
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  }

  /** The project's selection, severities and thresholds, with the editor's explicit settings on top. */
  function lintOptions(project: ProjectConfig | undefined): LintOptions {
    const options = lintOptionsFor(project?.config ?? defaultConfig);
    const severities = { ...options.severities };
    for (const [rule, severity] of Object.entries(settings.severities)) if (severity !== 'default') severities[rule] = severity;
    return { severities, thresholds: { ...defaultThresholds, ...options.thresholds, ...settings.thresholds } };
  }

  /** The lint result for the document's current version, computing it if the cached one is stale. */
  function resultFor(document: OpenDocument): LintResult | undefined {
    if (!settings.enable) return undefined;
    if (document.parsed.text.length > settings.maxFileSizeBytes) {
      if (!document.toldTooLarge) {
        document.toldTooLarge = true;
        const sizeKb = Math.round(document.parsed.text.length / 1000);
        void connection.window.showInformationMessage(
          `normlint skipped ${document.uri.split('/').pop()}: ${sizeKb} KB is over the normlint.maxFileSize limit of ${settings.maxFileSizeBytes / 1000} KB`,
        );
      }
      return undefined;
    }
    if (document.analyzed?.version === document.version) return document.analyzed.result;
    try {
      const started = performance.now();
      const result = workspace.covers(document.uri) ? workspaceResult(document) : document.linter.lint(document.parsed.tree, lintOptions(document.project));
      // An mmcv/mmdet config is Python too: its merged values are checked on the lines that set them.
      if (document.uri.startsWith('file:')) {
        const options = lintOptions(document.project);
        const path = fileURLToPath(document.uri);
        const { findings } = lintConfigFile({ path, text: document.parsed.text, severities: options.severities ?? {}, thresholds: options.thresholds ?? defaultThresholds, readFile: readTextFile, parser: document.parsed.parser });
        result.findings.push(...findings.filter((finding) => finding.uri === undefined || finding.uri === path).map(withFileUris));
      }
      document.lastAnalysisMs = performance.now() - started;
      document.analyzed = { version: document.version, result };
      return result;
    } catch (error) {
      // A bug in a rule must not take the server down with it: report it and show nothing for this file.
      log(`analysis failed for ${document.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    }
  }

  /** The document's findings in the workspace: after an edit, the files that depend on it are re-published too. */
  function workspaceResult(document: OpenDocument): LintResult {
    if (document.indexedVersion !== document.version) {
      workspace.updateOpen(document.uri, document.parsed.tree);
      const firstTime = document.indexedVersion === undefined;
      document.indexedVersion = document.version;
      if (!firstTime) reanalyzeOpen(workspace.affectedBy(document.uri).filter((uri) => uri !== document.uri));
    }
    return workspace.lint(document.uri) ?? { facts: emptyDocumentFacts(), findings: [] };
  }

  connection.onHover(async ({ textDocument, position }) => {
    await parserReady;
    const document = documents.get(textDocument.uri);
    const result = document && resultFor(document);
    if (!document && notebooks.isCell(textDocument.uri)) return notebooks.hover(textDocument.uri, position);
    const explanation = result && explainLayerAt(result, position);
    if (!explanation) {
      const batchSize = result && explainBatchSizeAt(result, position);
      return batchSize ? { contents: { kind: 'markdown', value: batchSize.markdown }, range: batchSize.range } : null;
    }
    const previewLink = offerPreviewLinks
      ? `\n\n[Preview normalization](command:normlint.previewNormalization?${encodeURIComponent(JSON.stringify([textDocument.uri, position]))})`
      : '';
    return { contents: { kind: 'markdown', value: explanation.markdown + previewLink }, range: explanation.layer.range };
  });

  connection.onCodeAction(async ({ textDocument, context }) => {
    await parserReady;
    const document = documents.get(textDocument.uri);
    const findings = document ? resultFor(document)?.findings : notebooks.findingsOf(textDocument.uri);
    if (!findings) return [];
    return context.diagnostics
      .filter((diagnostic) => diagnostic.source === diagnosticSource)
      .flatMap((diagnostic) => {
        const finding = findings.find(
          (candidate) =>
            candidate.code === diagnostic.code &&
            candidate.range.start.line === diagnostic.range.start.line &&
            candidate.range.start.character === diagnostic.range.start.character,
        );
        return finding ? toCodeActions(finding, diagnostic, textDocument.uri) : [];
      });
  });

  connection.onCodeLens(async ({ textDocument }) => {
    await parserReady;
    const document = documents.get(textDocument.uri);
    const result = settings.codeLens && document ? resultFor(document) : undefined;
    return (result?.facts.normLayers ?? []).map((layer) => ({
      range: { start: layer.range.start, end: layer.range.start },
      command: { title: `Preview ${layer.signature.displayName}`, command: 'normlint.previewNormalization', arguments: [textDocument.uri, layer.range.start] },
    }));
  });

  connection.onRequest(layerAtRequest, async ({ uri, position }) => {
    await parserReady;
    const document = documents.get(uri);
    const result = document && resultFor(document);
    const layer = result && layerAt(result, position);
    return layer && result ? toLayerSummary(layer, batchSizeReaching(result.facts, layer)) : null;
  });

  connection.onRequest(layersRequest, async ({ uri }) => {
    await parserReady;
    const document = documents.get(uri);
    const result = document && resultFor(document);
    if (!result) return [];
    const inSourceOrder = [...result.facts.normLayers].sort((first, second) => first.range.start.line - second.range.start.line || first.range.start.character - second.range.start.character);
    return inSourceOrder.map((layer) => toLayerSummary(layer, batchSizeReaching(result.facts, layer)));
  });

  connection.listen();
}

/** Config checks name other files by path; diagnostics name them by URI. */
function withFileUris(finding: Finding): Finding {
  const { uri: _sameFile, ...rest } = finding;
  return { ...rest, ...(finding.related ? { related: finding.related.map((related) => (related.uri === undefined || related.uri.startsWith('file:') ? related : { ...related, uri: pathToFileURL(related.uri).href })) } : {}) };
}

function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
