// A project of several files in the real VS Code: the server indexes the workspace, so a layer in
// the model package is judged with the arguments the training script passes and the values its
// settings module and YAML config hold, and the finding shows in both files.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { pollUntil, replaceText } from './editorHelpers';

function projectFile(path: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace (test/e2e/workspace) is not open');
  return vscode.Uri.joinPath(folder.uri, 'training', path);
}

function normlintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'normlint');
}

describe('normlint on a multi-file project in VS Code', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports a GroupNorm of the model package at the training script call that sets its numbers, and on the layer', async () => {
    const train = await vscode.workspace.openTextDocument(projectFile('train.py'));
    await vscode.window.showTextDocument(train);
    const atCall = await pollUntil(
      'NL101 on the UNet(...) call in train.py',
      () => normlintDiagnostics(train.uri).find((diagnostic) => diagnostic.code === 'NL101' || (diagnostic.code as { value?: string })?.value === 'NL101'),
      () => JSON.stringify(normlintDiagnostics(train.uri).map((diagnostic) => diagnostic.message)),
    );
    assert.equal(atCall.range.start.line, 9);
    assert.match(atCall.message, /GroupNorm on line 8 of blocks\.py built by `UNet\(…\)`: 30 channels .* 8 groups/);
    const relatedPaths = (atCall.relatedInformation ?? []).map((related) => related.location.uri.path);
    assert.ok(relatedPaths.some((path) => path.endsWith('/training/models/blocks.py')), relatedPaths.join(', '));
    assert.ok(relatedPaths.some((path) => path.endsWith('/training/conf/train.yaml')), relatedPaths.join(', '));

    const blocks = await vscode.workspace.openTextDocument(projectFile('models/blocks.py'));
    await vscode.window.showTextDocument(blocks);
    const onLayer = await pollUntil(
      'the finding mirrored on the GroupNorm in blocks.py',
      () => normlintDiagnostics(blocks.uri).find((diagnostic) => diagnostic.message.startsWith('From train.py line 10 (the GroupNorm this call builds):')),
      () => JSON.stringify(normlintDiagnostics(blocks.uri).map((diagnostic) => diagnostic.message)),
    );
    assert.equal(onLayer.range.start.line, 7);

    // Fixing the call in the script clears the finding in the model file too.
    await replaceText(train, 'groups=NORM_GROUPS', 'groups=5');
    await pollUntil(
      'no NL101 left in blocks.py after the script passes 5 groups',
      () => (normlintDiagnostics(blocks.uri).length === 0 ? true : undefined),
      () => JSON.stringify(normlintDiagnostics(blocks.uri).map((diagnostic) => diagnostic.message)),
    );
  });
});
