// End-to-end test of "Preview normalization" inside a real VS Code: the command on an
// `nn.GroupNorm(4, 8)` line opens the panel, whose page draws that configuration (the command
// returns what the page reported), and the panel follows edits to the layer's line, also after
// lines are inserted above it. Everything asynchronous waits with a timeout.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, pollUntil, replaceText } from './editorHelpers';
import type { PreviewCommandResult } from '../../../client/previewPanel';

const extensionId = 'normlint.normlint';
const previewCommand = 'normlint.previewNormalization';
const fixtureText = 'import torch.nn as nn\n\nnorm = nn.GroupNorm(4, 8)\n';
// The server and the panel's page start on first use; 30 s covers a slow start on 2 cores.
const timeoutMs = 30_000;

function previewUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace (test/e2e/workspace) is not open');
  return vscode.Uri.joinPath(folder.uri, 'preview.py');
}

/** Waits until the language server has analysed the document: its hover explains the layer. */
async function waitForAnalysis(document: vscode.TextDocument, position: vscode.Position): Promise<void> {
  let text = '';
  await pollUntil(
    'the server to explain the layer',
    async () => {
      text = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? []);
      return text.includes('GroupNorm') ? true : undefined;
    },
    () => JSON.stringify(text),
  );
}


function previewTabOpen(): boolean {
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('normlint.preview')));
}

describe('Preview normalization in VS Code', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the panel on nn.GroupNorm(4, 8) with that configuration and follows edits to its line', async () => {
    const document = await vscode.workspace.openTextDocument(previewUri());
    await vscode.window.showTextDocument(document);
    await vscode.extensions.getExtension(extensionId)?.activate();
    if (document.getText() !== fixtureText) await replaceText(document, document.getText(), fixtureText);
    // Inside `GroupNorm`, as the hover link and the cursor would be.
    const position = new vscode.Position(2, document.lineAt(2).text.indexOf('GroupNorm') + 2);
    await waitForAnalysis(document, position);

    const result = await vscode.commands.executeCommand<PreviewCommandResult | undefined>(previewCommand, document.uri.toString(), position);
    assert.ok(result, 'the command found no layer');
    assert.equal(result.layer.displayName, 'GroupNorm');
    assert.deepEqual(result.layer.arguments, { num_groups: 4, num_channels: 8 });
    assert.ok(result.rendered, 'the panel did not draw the layer');
    assert.equal(result.rendered.method, 'GroupNorm');
    assert.equal(result.rendered.groups, 4);
    assert.equal(result.rendered.shape[1], 8, `channels of ${JSON.stringify(result.rendered.shape)}`);
    assert.equal(result.rendered.error, undefined);
    assert.equal(result.rendered.inWorker, true, 'the page computed in place: its worker did not start under the webview CSP');
    assert.ok(previewTabOpen(), 'no normlint.preview tab is open');

    await replaceText(document, 'nn.GroupNorm(4, 8)', 'nn.GroupNorm(2, 8)');
    const edited = await result.waitForRender((rendered) => rendered.groups === 2, timeoutMs);
    assert.equal(edited.description, 'GroupNorm(num_groups=2, num_channels=8)');

    // Lines inserted above move the layer; the panel keeps following it.
    await replaceText(document, 'import torch.nn as nn\n', 'import torch.nn as nn\n\nWIDTH = 16\n');
    await replaceText(document, 'nn.GroupNorm(2, 8)', 'nn.GroupNorm(8, WIDTH)');
    const moved = await result.waitForRender((rendered) => rendered.groups === 8 && rendered.shape[1] === 16, timeoutMs);
    assert.equal(moved.description, 'GroupNorm(num_groups=8, num_channels=WIDTH)');
  });
});
