// A Jupyter notebook in the real VS Code: its code cells reach the language server through
// notebook document sync and are analysed in order as one program.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, pollUntil } from './editorHelpers';

function notebookUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace (test/e2e/workspace) is not open');
  return vscode.Uri.joinPath(folder.uri, 'experiment.ipynb');
}

describe('normlint on a notebook in VS Code', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('flags a layer whose numbers come from an earlier cell, on the cell that builds it', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(notebookUri());
    await vscode.window.showNotebookDocument(notebook);
    const codeCells = notebook.getCells().filter((cell) => cell.kind === vscode.NotebookCellKind.Code);
    const layerCell = codeCells[2]!.document;
    const diagnostic = await pollUntil(
      'the NL101 diagnostic on the third code cell',
      () => vscode.languages.getDiagnostics(layerCell.uri).find((candidate) => candidate.source === 'normlint'),
      () => JSON.stringify(vscode.languages.getDiagnostics(layerCell.uri).map((candidate) => candidate.message)),
    );
    assert.equal(diagnostic.message, '100 channels (`CHANNELS`) are not divisible by 32 groups (`GROUPS`); 25 or 50 would be');
    assert.equal(diagnostic.range.start.line, 1);
    for (const cell of codeCells.slice(0, 2)) {
      assert.deepEqual(vscode.languages.getDiagnostics(cell.document.uri).filter((candidate) => candidate.source === 'normlint'), []);
    }
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', layerCell.uri, new vscode.Position(1, 12));
    assert.match(hoverText(hovers ?? []), /100 channels in 32 groups/);
  });
});
