import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest,
  DidChangeNotebookDocumentNotification,
  DidOpenNotebookDocumentNotification,
  HoverRequest,
  NotebookCellKind,
} from 'vscode-languageserver-protocol/node';
import type { CodeAction, MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../helpers/lspClient';
import { serverPath } from '../helpers/repository';

const notebookUri = 'file:///workspace/experiment.ipynb';
const cellUri = (index: number): string => `vscode-notebook-cell:/workspace/experiment.ipynb#cell${index}`;
const cellTexts = ['%matplotlib inline\nimport torch.nn as nn\n', 'GROUPS = 32\nCHANNELS = 100\n', 'norm = nn.GroupNorm(GROUPS, CHANNELS)\n'];

describe('the language server with a notebook', () => {
  it('analyses the code cells in order as one program and publishes each finding on its cell', async () => {
    const { client, initializeResult } = await LspTestClient.start([serverPath, '--stdio']);
    assert.ok(initializeResult.capabilities.notebookDocumentSync);
    await client.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: {
        uri: notebookUri,
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: cellTexts.map((_, index) => ({ kind: NotebookCellKind.Code, document: cellUri(index) })),
      },
      cellTextDocuments: cellTexts.map((text, index) => ({ uri: cellUri(index), languageId: 'python', version: 1, text })),
    });
    const published = await client.diagnostics(cellUri(2), (params) => params.diagnostics.length > 0);
    assert.equal(published.diagnostics[0]!.message, '100 channels (`CHANNELS`) are not divisible by 32 groups (`GROUPS`); 25 or 50 would be');
    assert.deepEqual(published.diagnostics[0]!.range, { start: { line: 0, character: 7 }, end: { line: 0, character: 37 } });
    // The constants that set the numbers are in another cell, and the related locations say so.
    assert.deepEqual(
      published.diagnostics[0]!.relatedInformation?.map((related) => [related.location.uri, related.location.range.start.line]),
      [
        [cellUri(1), 1],
        [cellUri(1), 0],
      ],
    );

    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: cellUri(2) },
      range: published.diagnostics[0]!.range,
      context: { diagnostics: [published.diagnostics[0]!] },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((action) => [action.title, action.edit?.changes?.[cellUri(2)]]),
      [
        ['Use 25 groups (4 channels per group)', [{ range: { start: { line: 0, character: 20 }, end: { line: 0, character: 26 } }, newText: '25' }]],
        ['Use 50 groups (2 channels per group)', [{ range: { start: { line: 0, character: 20 }, end: { line: 0, character: 26 } }, newText: '50' }]],
      ],
    );

    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: cellUri(2) }, position: { line: 0, character: 12 } });
    assert.match((hover?.contents as MarkupContent).value, /GroupNorm: 100 channels in 32 groups/);

    // Editing the constants' cell fixes the layer in the next cell.
    await client.connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: notebookUri, version: 2 },
      change: { cells: { textContent: [{ document: { uri: cellUri(1), version: 2 }, changes: [{ range: { start: { line: 1, character: 11 }, end: { line: 1, character: 14 } }, text: '64' }] }] } },
    });
    const cleared = await client.diagnostics(cellUri(2), (params) => params.diagnostics.length === 0);
    assert.deepEqual(cleared.diagnostics, []);
    await client.stop();
  });
});
