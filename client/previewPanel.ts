// The host of the "Preview normalization" webview panel: creates or reveals it, serves it the
// bundled script under a strict Content Security Policy, validates every message it sends, keeps
// the layer in step with edits to its line, reads .npy files from the workspace for it, and
// restores it after a reload. The panel's page (webview/) computes and draws everything itself.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { layerAtRequest, layersRequest, type LayerSummary } from '../server/protocol';
import { NpyFormatError, readNpy } from '../src/engine';
import { defaultMaxInputElements, parsePanelMessage, parsePanelState, type HostMessage, type LayerTarget, type PanelMessage, type PreviewLayer, type RenderedPreview } from '../webview/messages';
import { panelHtml } from '../webview/panelHtml';

const previewViewType = 'normlint.preview';
const maxInputElementsSetting = 'preview.maxInputElements';
/** Edits come in bursts while typing; the layer is looked up again once they pause this long. */
const followEditsDelayMs = 150;
/** How long the command waits for the panel's first drawing before returning without it. */
const firstRenderTimeoutMs = 15_000;

/** What "Preview normalization" returns, so tests in the extension host (and other extensions) can see what the panel shows. */
export interface PreviewCommandResult {
  layer: LayerSummary;
  /** The panel's first complete drawing of this layer; undefined if it did not draw within 15 s. */
  rendered?: RenderedPreview;
  /** Resolves with the next drawing that satisfies `matches` (for example after the layer's line is edited). */
  waitForRender(matches: (rendered: RenderedPreview) => boolean, timeoutMs: number): Promise<RenderedPreview>;
}

/** The extension-wide parts every panel needs, set once by registerPreviewPanel in `activate`. */
interface PreviewHost {
  extensionUri: vscode.Uri;
  client: LanguageClient;
  log: vscode.LogOutputChannel;
}

let host: PreviewHost | undefined;

/** Registers the panel's serializer (so it comes back after a reload); call once from `activate`. */
export function registerPreviewPanel(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable {
  const log = vscode.window.createOutputChannel('NormLint Preview', { log: true });
  host = { extensionUri: context.extensionUri, client, log };
  const serializer = vscode.window.registerWebviewPanelSerializer(previewViewType, {
    deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
      const restored = state === undefined || state === null ? undefined : parsePanelState(state, (message) => log.warn(message));
      PreviewPanel.revive(panel, restored?.target, restored?.npy?.uri);
    },
  });
  return vscode.Disposable.from(log, serializer, { dispose: () => PreviewPanel.current?.dispose() });
}

/** Opens the panel on `layer` (or points the open panel at it) and waits for its first drawing. */
export async function showPreview(uri: string, layer: LayerSummary): Promise<PreviewCommandResult> {
  const panel = PreviewPanel.show({ uri, line: layer.range.start.line, character: layer.range.start.character }, layer);
  const rendered = await panel.waitForRender(() => true, firstRenderTimeoutMs).catch(() => undefined);
  return { layer, rendered, waitForRender: (matches, timeoutMs) => panel.waitForRender(matches, timeoutMs) };
}

/** A quick pick of the normalization layers in `uri`, for when none is under the cursor. */
export async function pickLayer(client: LanguageClient, uri: string): Promise<LayerSummary | undefined> {
  const layers = await client.sendRequest(layersRequest, { uri });
  if (layers.length === 0) {
    void vscode.window.showInformationMessage('NormLint: this file has no normalization layer to preview (for example `nn.GroupNorm(32, 64)`).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    layers.map((layer) => ({ label: layer.description, description: `line ${layer.range.start.line + 1}`, layer })),
    { title: 'Preview normalization', placeHolder: 'No layer under the cursor: pick one of this file’s normalization layers' },
  );
  return picked?.layer;
}

function requireHost(): PreviewHost {
  if (!host) throw new Error('registerPreviewPanel was not called in activate');
  return host;
}

function previewLayer(layer: LayerSummary, target: LayerTarget): PreviewLayer {
  return {
    displayName: layer.displayName,
    qualifiedName: layer.qualifiedName,
    description: layer.description,
    arguments: layer.arguments,
    ...(layer.batchSize === undefined ? {} : { batchSize: layer.batchSize }),
    documentName: vscode.Uri.parse(target.uri).path.split('/').pop() ?? target.uri,
    line: layer.range.start.line,
  };
}

function isInsideWorkspace(uri: vscode.Uri): boolean {
  return vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

class PreviewPanel {
  static current?: PreviewPanel;

  private readonly disposables: vscode.Disposable[] = [];
  private layer?: LayerSummary;
  private npyUri?: vscode.Uri;
  private followTimer?: NodeJS.Timeout;
  private renderWaiters: { matches: (rendered: RenderedPreview) => boolean; resolve: (rendered: RenderedPreview) => void }[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private target: LayerTarget | undefined,
  ) {
    const { extensionUri, log } = requireHost();
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
    const resource = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', name)).toString();
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: resource('webview.js'),
      styleUri: resource('webview.css'),
      workerUri: resource('webviewWorker.js'),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((data: unknown) => {
        const message = parsePanelMessage(data, (problem) => log.warn(problem));
        if (message) void this.receive(message);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => this.followEdits(event)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`normlint.${maxInputElementsSetting}`)) this.post({ type: 'settings', maxInputElements: maxInputElements() });
      }),
    );
  }

  static show(target: LayerTarget, layer: LayerSummary): PreviewPanel {
    let preview = PreviewPanel.current;
    if (preview) {
      preview.panel.reveal(preview.panel.viewColumn, true);
    } else {
      const panel = vscode.window.createWebviewPanel(previewViewType, 'Preview normalization', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
      preview = new PreviewPanel(panel, target);
      PreviewPanel.current = preview;
    }
    preview.target = target;
    preview.setLayer(layer);
    return preview;
  }

  /** Takes over a panel VS Code restored after a reload; the page restores its own controls from its state. */
  static revive(panel: vscode.WebviewPanel, target: LayerTarget | undefined, npyUri: string | undefined): void {
    PreviewPanel.current?.dispose();
    const preview = new PreviewPanel(panel, target);
    const npy = npyUri === undefined ? undefined : vscode.Uri.parse(npyUri);
    // The state comes from the page; a file outside the workspace is not read whatever it says.
    if (npy && isInsideWorkspace(npy) && npy.path.endsWith('.npy')) preview.npyUri = npy;
    PreviewPanel.current = preview;
  }

  waitForRender(matches: (rendered: RenderedPreview) => boolean, timeoutMs: number): Promise<RenderedPreview> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.renderWaiters = this.renderWaiters.filter((entry) => entry !== waiter);
        reject(new Error(`the preview did not draw a matching configuration within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        matches,
        resolve: (rendered: RenderedPreview) => {
          clearTimeout(timer);
          resolve(rendered);
        },
      };
      this.renderWaiters.push(waiter);
    });
  }

  dispose(): void {
    if (PreviewPanel.current === this) PreviewPanel.current = undefined;
    clearTimeout(this.followTimer);
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private setLayer(layer: LayerSummary): void {
    this.layer = layer;
    if (!this.target) return;
    this.panel.title = `Preview: ${layer.displayName} (line ${layer.range.start.line + 1})`;
    this.post({ type: 'layer', layer: previewLayer(layer, this.target), target: this.target });
  }

  private async receive(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // The page has (re)loaded: after a reload, or after being hidden, it needs everything again.
        this.post({ type: 'settings', maxInputElements: maxInputElements() });
        if (this.layer) this.setLayer(this.layer);
        else await this.lookUpLayer();
        if (this.npyUri) await this.loadNpy(this.npyUri);
        return;
      case 'rendered': {
        const waiting = this.renderWaiters;
        this.renderWaiters = waiting.filter((waiter) => !waiter.matches(message.preview));
        for (const waiter of waiting) if (!this.renderWaiters.includes(waiter)) waiter.resolve(message.preview);
        return;
      }
      case 'pickNpy':
        await this.pickNpy();
        return;
      case 'useSynthetic':
        this.npyUri = undefined;
        return;
    }
  }

  /**
   * Keeps the target on the layer's line while lines are inserted or removed above it, then asks
   * the server for the layer there once the edits pause; an edit to the line itself re-reads it.
   */
  private followEdits(event: vscode.TextDocumentChangeEvent): void {
    const target = this.target;
    if (!target || event.document.uri.toString() !== target.uri || event.contentChanges.length === 0) return;
    for (const change of event.contentChanges) {
      const addedLines = change.text.split('\n').length - 1;
      const removedLines = change.range.end.line - change.range.start.line;
      if (change.range.end.line < target.line) {
        target.line += addedLines - removedLines;
      } else if (change.range.end.line === target.line && change.range.end.character <= target.character && addedLines === 0 && removedLines === 0) {
        target.character += change.text.length - (change.range.end.character - change.range.start.character);
      }
    }
    clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => void this.lookUpLayer(), followEditsDelayMs);
  }

  private async lookUpLayer(): Promise<void> {
    const target = this.target;
    // The server only knows open documents; a restored panel whose file is closed keeps its last layer.
    if (!target || !vscode.workspace.textDocuments.some((document) => document.uri.toString() === target.uri)) return;
    const { client, log } = requireHost();
    try {
      const layer = await client.sendRequest(layerAtRequest, { uri: target.uri, position: { line: target.line, character: target.character } });
      if (!layer) {
        this.post({ type: 'layerMissing', line: target.line });
        return;
      }
      this.target = { uri: target.uri, line: layer.range.start.line, character: layer.range.start.character };
      this.setLayer(layer);
    } catch (error) {
      log.warn(`could not look up the layer at ${target.uri}:${target.line + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async pickNpy(): Promise<void> {
    const files = await vscode.workspace.findFiles('**/*.npy', '**/{node_modules,.git}/**', 1000);
    if (files.length === 0) {
      this.reportInputError('There is no .npy file in the workspace.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      files.map((uri) => ({ label: uri.path.split('/').pop() ?? uri.path, description: vscode.workspace.asRelativePath(uri), uri })),
      { title: 'Run the layer on a .npy array', placeHolder: 'An array of shape [N, C], [N, C, L], [N, C, H, W] or [N, C, D, H, W]' },
    );
    if (picked) await this.loadNpy(picked.uri);
  }

  private async loadNpy(uri: vscode.Uri): Promise<void> {
    const name = uri.path.split('/').pop() ?? uri.path;
    if (!isInsideWorkspace(uri)) {
      this.reportInputError(`${name} is outside the workspace; the preview reads only workspace files.`);
      return;
    }
    const limit = maxInputElements();
    const limitText = `the limit of ${limit.toLocaleString('en-US')} values (setting normlint.${maxInputElementsSetting})`;
    try {
      // 8 bytes per value (float64) plus a header bounds what a file within the limit can weigh; larger files are not read at all.
      const { size } = await vscode.workspace.fs.stat(uri);
      if (size > limit * 8 + 65_536) {
        this.reportInputError(`${name} is too large to preview: ${(size / 1e6).toFixed(1)} MB is over ${limitText}.`);
        return;
      }
      const { tensor } = readNpy(await vscode.workspace.fs.readFile(uri), { maxElements: limit });
      this.npyUri = uri;
      this.post({ type: 'npyInput', name, uri: uri.toString(), shape: tensor.shape, data: tensor.data });
    } catch (error) {
      const tooLarge = error instanceof NpyFormatError && error.message.startsWith('too large');
      const reason = error instanceof Error ? error.message : String(error);
      this.reportInputError(`${name} cannot be previewed: ${reason}${tooLarge ? ` (${limitText})` : ''}.`);
    }
  }

  /** Tells the page (which shows it beside the input) and the user (a notification they cannot miss). */
  private reportInputError(message: string): void {
    this.post({ type: 'inputError', message });
    void vscode.window.showWarningMessage(`NormLint: ${message}`);
  }
}

function maxInputElements(): number {
  const value = vscode.workspace.getConfiguration('normlint').get<number>(maxInputElementsSetting, defaultMaxInputElements);
  return Number.isInteger(value) && value > 0 ? value : defaultMaxInputElements;
}
