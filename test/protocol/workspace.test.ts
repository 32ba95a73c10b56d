import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, DidOpenNotebookDocumentNotification, FileChangeType, HoverRequest, NotebookCellKind } from 'vscode-languageserver-protocol/node';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../helpers/lspClient';
import { fixturePath, serverPath } from '../helpers/repository';

/** A copy of a fixture workspace the test may change on disk. */
function copyOfWorkspace(name: string): { folder: string; uri: (path: string) => string; dispose: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'normlint-workspace-'));
  cpSync(fixturePath('workspaces', name), folder, { recursive: true });
  return { folder, uri: (path) => pathToFileURL(join(folder, path)).href, dispose: () => rmSync(folder, { recursive: true, force: true }) };
}

const withCode = (code: string) => (diagnostic: Diagnostic) => diagnostic.code === code;

describe('the language server with a workspace', () => {
  it('indexes the workspace with progress and reports findings across the training script, the model files and the config', async () => {
    const workspace = copyOfWorkspace('training');
    const { client } = await LspTestClient.start([serverPath, '--stdio'], {}, undefined, { folders: [pathToFileURL(workspace.folder).href] });
    try {
      await client.progressEnded();
      assert.deepEqual([client.progress[0], client.progress.at(-1)], ['begin', 'end']);
      assert.ok(client.watched.some((pattern) => pattern.includes('py') && pattern.includes('yaml')), `watchers: ${client.watched.join(', ')}`);

      const train = workspace.uri('train.py');
      await client.open(train, readFileSync(join(workspace.folder, 'train.py'), 'utf8'));
      const trainDiagnostics = await client.diagnostics(train, ({ diagnostics }) => diagnostics.some(withCode('NL101')) && diagnostics.some(withCode('NL104')));
      const groups = trainDiagnostics.diagnostics.find(withCode('NL101'))!;
      assert.equal(groups.range.start.line, 9);
      assert.match(String(groups.message), /GroupNorm on line 8 of blocks\.py built by `UNet\(…\)`: 30 channels .* not divisible by 8 groups/);
      const relatedFiles = new Set(groups.relatedInformation?.map((related) => related.location.uri.split('/').pop()));
      for (const file of ['blocks.py', 'unet.py', 'train.yaml', 'settings.py']) assert.ok(relatedFiles.has(file), `related: ${[...relatedFiles].join(', ')}`);
      const batch = trainDiagnostics.diagnostics.find(withCode('NL104'))!;
      assert.equal(batch.range.start.line, 11);
      assert.match(String(batch.message), /BatchNorm1d` \(unet\.py line 16\) gets one value per channel/);
      // Hover on the batch size lists the BatchNorm layers it reaches in the model's file.
      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: train }, position: batch.range.start });
      const hoverText = (hover?.contents as MarkupContent | undefined)?.value ?? '';
      assert.match(hoverText, /\*\*Batch size 1\*\*/);
      assert.match(hoverText, /`nn\.BatchNorm1d` \(unet\.py line 16\) \| 10 \| 1 \(one per sample/);

      // The layer's own file shows the finding too, linking back to the call that decides it.
      const blocks = workspace.uri('models/blocks.py');
      await client.open(blocks, readFileSync(join(workspace.folder, 'models/blocks.py'), 'utf8'));
      const onLayer = (await client.diagnostics(blocks, ({ diagnostics }) => diagnostics.some(withCode('NL101')))).diagnostics.find(withCode('NL101'))!;
      assert.equal(onLayer.range.start.line, 7);
      assert.match(String(onLayer.message), /^From train\.py line 10 \(the GroupNorm this call builds\): /);
      assert.equal(onLayer.relatedInformation?.[0]?.location.uri, train);

      // The config line that sets the batch size, opened in the editor.
      const config = workspace.uri('conf/train.yaml');
      const configText = readFileSync(join(workspace.folder, 'conf/train.yaml'), 'utf8');
      await client.open(config, configText, 1, 'yaml');
      const onConfig = await client.diagnostics(config, ({ diagnostics }) => diagnostics.some(withCode('NL104')));
      assert.equal(onConfig.diagnostics.find(withCode('NL104'))!.range.start.line, 3);

      // Editing the config in the editor re-analyses the script that loads it.
      await client.change(config, 2, [{ text: configText.replace('batch_size: 1', 'batch_size: 32') }]);
      await client.diagnostics(train, ({ diagnostics }) => diagnostics.some(withCode('NL101')) && !diagnostics.some(withCode('NL104')));

      // A change on disk to a closed file (the constant module) reaches the open files that depend on it.
      writeFileSync(join(workspace.folder, 'settings.py'), 'NORM_GROUPS = 10\n');
      await client.filesChanged([{ uri: workspace.uri('settings.py'), type: FileChangeType.Changed }]);
      await client.diagnostics(train, ({ diagnostics }) => !diagnostics.some(withCode('NL101')));
      await client.diagnostics(blocks, ({ diagnostics }) => !diagnostics.some(withCode('NL101')));

      // An edit to the training script moves the findings with it.
      const trainText = readFileSync(join(workspace.folder, 'train.py'), 'utf8');
      await client.change(train, 2, [{ text: trainText.replace('groups=NORM_GROUPS', 'groups=4') }]);
      const afterEdit = await client.diagnostics(train, ({ diagnostics }) => diagnostics.some(withCode('NL101')));
      assert.match(String(afterEdit.diagnostics.find(withCode("NL101"))!.message), /30 channels .* not divisible by 4 groups/);
      await client.diagnostics(blocks, ({ diagnostics }) => diagnostics.some(withCode('NL101')));
    } finally {
      await client.stop();
      workspace.dispose();
    }
  });

  it('analyses a notebook with the workspace: a cell builds a model of the package, and the model file names the cell', async () => {
    const workspace = copyOfWorkspace('notebook-and-configs');
    const { client } = await LspTestClient.start([serverPath, '--stdio'], {}, undefined, { folders: [pathToFileURL(workspace.folder).href] });
    try {
      await client.progressEnded();
      const notebookUri = workspace.uri('explore.ipynb');
      const notebook = JSON.parse(readFileSync(join(workspace.folder, 'explore.ipynb'), 'utf8')) as { cells: { cell_type: string; source: string[] | string }[] };
      const codeCells = notebook.cells.filter((cell) => cell.cell_type === 'code').map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
      const cellUri = (index: number): string => `vscode-notebook-cell:${new URL(notebookUri).pathname}#cell${index}`;
      await client.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
        notebookDocument: { uri: notebookUri, notebookType: 'jupyter-notebook', version: 1, cells: codeCells.map((_, index) => ({ kind: NotebookCellKind.Code, document: cellUri(index) })) },
        cellTextDocuments: codeCells.map((text, index) => ({ uri: cellUri(index), languageId: 'python', version: 1, text })),
      });
      const onCell = await client.diagnostics(cellUri(1), ({ diagnostics }) => diagnostics.some(withCode('NL101')));
      const finding = onCell.diagnostics.find(withCode('NL101'))!;
      assert.equal(finding.range.start.line, 1);
      assert.match(String(finding.message), /120 channels/);
      // Related locations in the package keep their own files and lines.
      const related = finding.relatedInformation?.map((location) => `${location.location.uri.split('/').slice(-2).join('/')}:${location.location.range.start.line + 1}`) ?? [];
      assert.ok(related.includes('nets/blocks.py:8'), related.join(', '));

      const blocks = workspace.uri('nets/blocks.py');
      await client.open(blocks, readFileSync(join(workspace.folder, 'nets/blocks.py'), 'utf8'));
      const mirror = (await client.diagnostics(blocks, ({ diagnostics }) => diagnostics.some(withCode('NL101')))).diagnostics.find(withCode('NL101'))!;
      assert.match(String(mirror.message), /^From explore\.ipynb cell 2, line 2 \(/);
    } finally {
      await client.stop();
      workspace.dispose();
    }
  });

  it('judges files that are not open with their own pyproject.toml, as the CLI does', async () => {
    const workspace = copyOfWorkspace('training');
    writeFileSync(join(workspace.folder, 'pyproject.toml'), '[tool.normlint.severity]\ngroup-divisibility = "warning"\n');
    const { client } = await LspTestClient.start([serverPath, '--stdio'], {}, undefined, { folders: [pathToFileURL(workspace.folder).href] });
    try {
      await client.progressEnded();
      const train = workspace.uri('train.py');
      await client.open(train, readFileSync(join(workspace.folder, 'train.py'), 'utf8'));
      // The finding comes from analysing models/blocks.py, which is not open: its severity is the project's.
      const published = await client.diagnostics(train, ({ diagnostics }) => diagnostics.some(withCode('NL101')));
      assert.equal(published.diagnostics.find(withCode('NL101'))!.severity, DiagnosticSeverity.Warning);
    } finally {
      await client.stop();
      workspace.dispose();
    }
  });

  it('analyses each file on its own when indexing is turned off', async () => {
    const workspace = copyOfWorkspace('training');
    const { client } = await LspTestClient.start([serverPath, '--stdio'], { indexWorkspace: false }, undefined, { folders: [pathToFileURL(workspace.folder).href] });
    try {
      const train = workspace.uri('train.py');
      await client.open(train, readFileSync(join(workspace.folder, 'train.py'), 'utf8'));
      const published = await client.diagnostics(train, () => true);
      assert.deepEqual(published.diagnostics, []);
      assert.deepEqual(client.progress, []);
    } finally {
      await client.stop();
      workspace.dispose();
    }
  });
});
