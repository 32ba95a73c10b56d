import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionRequest, CodeLensRequest, DiagnosticSeverity, DidChangeConfigurationNotification, DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import type { CodeAction, MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../helpers/lspClient';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cliPath, fixturePath, serverPath } from '../helpers/repository';
import { layerAtRequest } from '../../server/protocol';

const uri = 'file:///workspace/model.py';
const source = 'import torch.nn as nn\n\nnorm = nn.GroupNorm(32, 100)\n';

// The same server, started the two ways users start it.
const launches: [string, string[]][] = [
  ['dist/server.js --stdio', [serverPath, '--stdio']],
  ['normlint server --stdio', [cliPath, 'server', '--stdio']],
];

for (const [name, args] of launches) {
  describe(`the language server (${name})`, () => {
    it('publishes group-divisibility, explains it on hover, fixes it, and follows edits', async () => {
      const { client, initializeResult } = await LspTestClient.start(args);
      assert.equal(initializeResult.serverInfo?.name, 'normlint');

      await client.open(uri, source);
      const published = await client.diagnostics(uri, (params) => params.diagnostics.length > 0);
      assert.equal(published.diagnostics.length, 1);
      const [diagnostic] = published.diagnostics;
      assert.equal(diagnostic!.code, 'NL101');
      assert.equal(diagnostic!.source, 'normlint');
      assert.equal(diagnostic!.severity, DiagnosticSeverity.Error);
      assert.equal(diagnostic!.message, '100 channels are not divisible by 32 groups; 25 or 50 would be');
      assert.deepEqual(diagnostic!.range, { start: { line: 2, character: 7 }, end: { line: 2, character: 28 } });
      assert.match(diagnostic!.codeDescription?.href ?? '', /^file:\/\/.*\/docs\/rules\/group-divisibility\.md$/);

      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 12 } });
      const hoverText = (hover?.contents as MarkupContent).value;
      assert.match(hoverText, /GroupNorm: 100 channels in 32 groups — \*\*not divisible\*\*/);
      assert.doesNotMatch(hoverText, /command:/, 'no preview link for editors that did not ask for it');

      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: diagnostic!.range,
        context: { diagnostics: [diagnostic!] },
      })) as CodeAction[];
      assert.deepEqual(
        actions.map((action) => [action.title, action.kind, action.isPreferred]),
        [
          ['Use 25 groups (4 channels per group)', 'quickfix', true],
          ['Use 50 groups (2 channels per group)', 'quickfix', false],
        ],
      );
      const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, source), actions[0]!.edit!.changes![uri]!);
      assert.equal(fixed, 'import torch.nn as nn\n\nnorm = nn.GroupNorm(25, 100)\n');

      // Two lines inserted above: the diagnostic moves with the call.
      await client.change(uri, 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'x = 1\ny = 2\n' }]);
      const moved = await client.diagnostics(uri, (params) => params.version === 2);
      assert.deepEqual(moved.diagnostics.map((item) => item.range.start), [{ line: 4, character: 7 }]);

      // The channel count becomes divisible: the diagnostic disappears.
      await client.change(uri, 3, [{ range: { start: { line: 4, character: 24 }, end: { line: 4, character: 27 } }, text: '64' }]);
      const cleared = await client.diagnostics(uri, (params) => params.version === 3);
      assert.deepEqual(cleared.diagnostics, []);

      assert.equal(await client.stop(), 0);
    });
  });
}

describe('the language server for VS Code', () => {
  it('adds preview links to hovers and a preview lens above each layer when the client has the command', async () => {
    const { client, initializeResult } = await LspTestClient.start([serverPath, '--stdio'], undefined, { previewCommand: true });
    assert.ok(initializeResult.capabilities.codeLensProvider);
    await client.open(uri, 'import torch.nn as nn\nnorm = nn.GroupNorm(4, 8)\nbn = nn.BatchNorm2d(8)\n');
    await client.diagnostics(uri, () => true);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 10 } });
    const link = /\[Preview normalization\]\(command:normlint\.previewNormalization\?([^)]+)\)/.exec((hover?.contents as MarkupContent).value);
    assert.deepEqual(JSON.parse(decodeURIComponent(link?.[1] ?? 'null')), [uri, { line: 1, character: 10 }]);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    assert.deepEqual(
      lenses?.map((lens) => [lens.command?.title, lens.command?.command, lens.command?.arguments]),
      [
        ['Preview GroupNorm', 'normlint.previewNormalization', [uri, { line: 1, character: 7 }]],
        ['Preview BatchNorm2d', 'normlint.previewNormalization', [uri, { line: 2, character: 5 }]],
      ],
    );
    await client.stop();
  });
});

describe('the language server for the preview panel', () => {
  it('reports the layer under the cursor with the batch size that reaches it', async () => {
    const { client } = await LspTestClient.start([serverPath, '--stdio']);
    const text = 'import torch.nn as nn\nfrom torch.utils.data import DataLoader\nnorm = nn.BatchNorm2d(16)\nloader = DataLoader(train_set, batch_size=4, shuffle=True)\n';
    await client.open(uri, text);
    await client.diagnostics(uri, () => true);
    const layer = await client.connection.sendRequest(layerAtRequest, { uri, position: { line: 2, character: 10 } });
    assert.equal(layer?.displayName, 'BatchNorm2d');
    assert.deepEqual(layer?.arguments, { num_features: 16 });
    assert.equal(layer?.batchSize, 4);
    await client.stop();
  });
});

describe('the language server with a model config', () => {
  it('checks a diffusers config.json and follows edits to it', async () => {
    const { client } = await LspTestClient.start([serverPath, '--stdio']);
    const configUri = 'file:///workspace/unet/config.json';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: configUri, languageId: 'json', version: 1, text: '{\n  "block_out_channels": [128, 200],\n  "norm_num_groups": 32\n}\n' },
    });
    const published = await client.diagnostics(configUri, (params) => params.diagnostics.length > 0);
    assert.equal(published.diagnostics[0]!.code, 'NL101');
    assert.deepEqual(published.diagnostics[0]!.range.start, { line: 1, character: 30 });
    await client.change(configUri, 2, [{ range: { start: { line: 1, character: 30 }, end: { line: 1, character: 33 } }, text: '256' }]);
    const cleared = await client.diagnostics(configUri, (params) => params.version === 2);
    assert.deepEqual(cleared.diagnostics, []);
    await client.stop();
  });
});

describe('the language server settings', () => {
  it('applies a per-rule severity and "off" from workspace/configuration', async () => {
    const asWarning = await LspTestClient.start([serverPath, '--stdio'], { rules: { 'group-divisibility': { severity: 'warning' } } });
    await asWarning.client.open(uri, source);
    const warned = await asWarning.client.diagnostics(uri, (params) => params.diagnostics.length > 0);
    assert.equal(warned.diagnostics[0]!.severity, DiagnosticSeverity.Warning);
    await asWarning.client.stop();

    const off = await LspTestClient.start([serverPath, '--stdio'], { rules: { 'group-divisibility': { severity: 'off' } }, enable: true });
    await off.client.open(uri, source);
    const silent = await off.client.diagnostics(uri, () => true);
    assert.deepEqual(silent.diagnostics, []);
    await off.client.stop();
  });

  it('applies settings an editor pushes later to documents already open', async () => {
    const { client } = await LspTestClient.start([serverPath, '--stdio']);
    await client.open(uri, source);
    await client.diagnostics(uri, (params) => params.diagnostics.length === 1);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { normlint: { rules: { 'group-divisibility': { severity: 'off' } } } } });
    const silenced = await client.diagnostics(uri, (params) => params.diagnostics.length === 0);
    assert.deepEqual(silenced.diagnostics, []);
    await client.stop();
  });

  it('survives a document it cannot make sense of', async () => {
    const { client } = await LspTestClient.start([serverPath, '--stdio']);
    await client.open('file:///workspace/noise.py', '\u0000\uffff(((("""\n'.repeat(500));
    const published = await client.diagnostics('file:///workspace/noise.py', () => true);
    assert.deepEqual(published.diagnostics, []);
    assert.equal(await client.stop(), 0);
  });
});

describe('the language server with a pyproject.toml', () => {
  it('applies [tool.normlint] from the nearest pyproject.toml to files on disk', async () => {
    const { client } = await LspTestClient.start([serverPath, '--stdio']);
    const path = fixturePath('cli', 'configured', 'model.py');
    const fileUri = pathToFileURL(path).href;
    await client.open(fileUri, readFileSync(path, 'utf8'));
    // group-divisibility is ignored there: whatever is published first, the settled result has none of it.
    const settled = await client.diagnostics(fileUri, (params) => params.diagnostics.every((diagnostic) => diagnostic.code !== 'NL101'));
    assert.ok(settled.diagnostics.every((diagnostic) => diagnostic.code !== 'NL101'));
    await client.stop();
  });

  it('shows the mistakes of a pyproject.toml on that file, with their line', async () => {
    const { client } = await LspTestClient.start([serverPath, '--stdio']);
    const path = fixturePath('cli', 'badconfig', 'model.py');
    await client.open(pathToFileURL(path).href, readFileSync(path, 'utf8'));
    const configUri = pathToFileURL(fixturePath('cli', 'badconfig', 'pyproject.toml')).href;
    const published = await client.diagnostics(configUri, (params) => params.diagnostics.length > 0);
    assert.ok(published.diagnostics.every((diagnostic) => diagnostic.source === 'normlint' && diagnostic.range.start.line > 0));
    await client.stop();
  });
});
