// The VS Code side of normlint: starts the bundled language server and registers the
// "Preview normalization" command. Everything that understands Python lives in the server.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { layerAtRequest } from '../server/protocol';
import { pickLayer, registerPreviewPanel, showPreview, type PreviewCommandResult } from './previewPanel';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
      // Notebook cells: hover and code actions go to the server, which reads whole notebooks through notebook sync.
      { scheme: 'vscode-notebook-cell', language: 'python' },
      // Model configs saved next to weights (diffusers' config.json): their group counts are checked too.
      { language: 'json', pattern: '**/*config.json' },
      // Training configs scripts load (OmegaConf, Hydra) and diffusers-style YAML: findings land on their lines.
      { scheme: 'file', language: 'yaml' },
    ],
    // pyproject.toml's [tool.normlint] table configures the rules too; the server re-reads it on change.
    synchronize: { configurationSection: 'normlint', fileEvents: vscode.workspace.createFileSystemWatcher('**/pyproject.toml') },
    initializationOptions: { previewCommand: true },
    // Hover links may run only the preview command, nothing else.
    markdown: { isTrusted: { enabledCommands: ['normlint.previewNormalization'] } },
  };
  client = new LanguageClient('normlint', 'NormLint', serverOptions, clientOptions);
  context.subscriptions.push(registerPreviewPanel(context, client));
  context.subscriptions.push(vscode.commands.registerCommand('normlint.previewNormalization', (uri?: string, position?: vscode.Position) => previewNormalization(uri, position)));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/**
 * Opens the preview panel on the layer under the cursor (or at the hover link's position), or on
 * one picked from the file's layers when there is none there, and returns what the panel drew.
 */
async function previewNormalization(uri?: string, position?: vscode.Position): Promise<PreviewCommandResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  const documentUri = typeof uri === 'string' ? uri : editor?.document.uri.toString();
  const at = isPosition(position) ? position : editor?.selection.active;
  if (!client || !documentUri || !at) {
    void vscode.window.showInformationMessage('NormLint: open a Python file and put the cursor on a normalization layer to preview it.');
    return undefined;
  }
  const layer = (await client.sendRequest(layerAtRequest, { uri: documentUri, position: { line: at.line, character: at.character } })) ?? (await pickLayer(client, documentUri));
  return layer ? showPreview(documentUri, layer) : undefined;
}

function isPosition(value: unknown): value is vscode.Position {
  return typeof value === 'object' && value !== null && typeof (value as vscode.Position).line === 'number' && typeof (value as vscode.Position).character === 'number';
}
