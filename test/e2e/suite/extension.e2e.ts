// End-to-end smoke tests of normlint inside a real VS Code: the extension activates on a Python
// file, the language server's diagnostic, hover and quick fixes reach the editor through VS Code's
// own APIs, and edits clear the diagnostic. Everything asynchronous is polled with a timeout.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, pollUntil, replaceText } from './editorHelpers';

const extensionId = 'normlint.normlint';
const previewCommand = 'normlint.previewNormalization';
const fixtureText = 'import torch.nn as nn\nnorm = nn.GroupNorm(32, 100)\n';
const flaggedCall = 'nn.GroupNorm(32, 100)';


function modelUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace (test/e2e/workspace) is not open');
  return vscode.Uri.joinPath(folder.uri, 'model.py');
}

function normlintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'normlint');
}

function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) {
    return 'no diagnostics at all';
  }
  return JSON.stringify(
    all.map((diagnostic) => ({
      source: diagnostic.source,
      code: diagnostic.code,
      severity: vscode.DiagnosticSeverity[diagnostic.severity],
      message: diagnostic.message,
      range: [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character],
    })),
  );
}

function codeValue(diagnostic: vscode.Diagnostic): string | number | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? code.value : code;
}

/** Waits for normlint's NL101 diagnostic on `uri`. */
function waitForGroupDivisibility(uri: vscode.Uri): Promise<vscode.Diagnostic> {
  return pollUntil(
    'the NL101 diagnostic on model.py',
    () => normlintDiagnostics(uri).find((diagnostic) => codeValue(diagnostic) === 'NL101'),
    () => describeDiagnostics(uri),
  );
}

/** Waits until normlint reports nothing on `uri`. */
function waitForNoDiagnostics(uri: vscode.Uri): Promise<true> {
  return pollUntil(
    'normlint to clear its diagnostics on model.py',
    () => (normlintDiagnostics(uri).length === 0 ? true : undefined),
    () => describeDiagnostics(uri),
  );
}

async function showModel(): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(modelUri());
  await vscode.window.showTextDocument(document);
  return document;
}

/**
 * Opens model.py in an editor with the fixture's text, without saving, so that every test starts
 * from the same document whatever the one before it edited. A failed activation fails the test at
 * once with its cause, instead of after a poll's timeout.
 */
async function openModel(): Promise<vscode.TextDocument> {
  const document = await showModel();
  await vscode.extensions.getExtension(extensionId)?.activate();
  if (document.getText() !== fixtureText) {
    await replaceText(document, document.getText(), fixtureText);
  }
  return document;
}



function isQuickFix(action: vscode.Command | vscode.CodeAction): action is vscode.CodeAction {
  return 'kind' in action && action.kind !== undefined && vscode.CodeActionKind.QuickFix.contains(action.kind);
}

async function quickFixesAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  // The last argument asks VS Code to resolve lazily computed edits of the first ten actions.
  const actions = await vscode.commands.executeCommand<(vscode.Command | vscode.CodeAction)[] | undefined>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
    10,
  );
  return (actions ?? []).filter(isQuickFix);
}

describe('normlint in VS Code', () => {
  after(async () => {
    // Leaves no dirty editor behind, so that VS Code shuts down without asking to save.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs in VS Code 1.100', () => {
    assert.ok(vscode.version.startsWith('1.100'), `vscode.version is ${vscode.version}`);
  });

  it('activates when a Python file opens', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not installed in the extension host`);
    // Opening the file, not a call to activate(), must activate the extension (onLanguage:python).
    const document = await showModel();
    assert.equal(document.languageId, 'python');
    await pollUntil(`${extensionId} to activate`, () => (extension.isActive ? true : undefined));
    // isActive is true after a failed activation too; activate() rethrows its error (say, a
    // missing dist/client.js), which names the cause where later tests would only time out.
    await extension.activate();
  });

  it('registers the NormLint: Preview normalization command', async () => {
    await openModel();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes(previewCommand), `${previewCommand} is not among the registered commands`);
  });

  it('shows group-divisibility on nn.GroupNorm(32, 100)', async () => {
    const document = await openModel();
    const diagnostic = await waitForGroupDivisibility(document.uri);
    assert.equal(diagnostic.source, 'normlint');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(
      diagnostic.message.startsWith('100 channels are not divisible by 32 groups'),
      `unexpected message: ${diagnostic.message}`,
    );
    const code = diagnostic.code;
    assert.ok(typeof code === 'object', `the code should link to the rule's docs, got ${JSON.stringify(code)}`);
    assert.equal(code.value, 'NL101');
    assert.ok(code.target instanceof vscode.Uri, 'the code target should be a Uri');
    assert.ok(code.target.scheme.length > 0, `the code target has no scheme: ${code.target.toString()}`);
    assert.equal(diagnostic.range.start.line, 1);
    assert.equal(diagnostic.range.end.line, 1);
    assert.equal(document.getText(diagnostic.range), flaggedCall);
  });

  it('explains the group count in the hover over the call', async () => {
    const document = await openModel();
    const diagnostic = await waitForGroupDivisibility(document.uri);
    // A position inside `GroupNorm`, so that a hover tied to the name or to the whole call both answer.
    const position = diagnostic.range.start.translate(0, 'nn.Group'.length);
    let text = '';
    await pollUntil(
      'a hover mentioning GroupNorm and 100 channels',
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
        text = hoverText(hovers ?? []);
        return text.includes('GroupNorm') && text.includes('100 channels') ? true : undefined;
      },
      () => JSON.stringify(text),
    );
  });

  it('offers the nearest divisors 25 and 50 as quick fixes', async () => {
    const document = await openModel();
    const diagnostic = await waitForGroupDivisibility(document.uri);
    let titles: string[] = [];
    await pollUntil(
      'quick fixes mentioning 25 and 50 groups',
      async () => {
        titles = (await quickFixesAt(document.uri, diagnostic.range)).map((action) => action.title);
        return titles.some((title) => /\b25\b/.test(title)) && titles.some((title) => /\b50\b/.test(title)) ? true : undefined;
      },
      () => JSON.stringify(titles),
    );
  });

  it('clears the diagnostic once the first quick fix is applied', async () => {
    const document = await openModel();
    const diagnostic = await waitForGroupDivisibility(document.uri);
    const [firstFix] = await quickFixesAt(document.uri, diagnostic.range);
    assert.ok(firstFix, `no quick fix at the diagnostic; diagnostics: ${describeDiagnostics(document.uri)}`);
    assert.ok(firstFix.edit, `the quick fix "${firstFix.title}" has no edit`);
    assert.ok(await vscode.workspace.applyEdit(firstFix.edit), `VS Code refused the edit of "${firstFix.title}"`);
    if (firstFix.command) {
      await vscode.commands.executeCommand(firstFix.command.command, ...(firstFix.command.arguments ?? []));
    }
    assert.notEqual(document.getText(), fixtureText, `"${firstFix.title}" did not change the text`);
    await waitForNoDiagnostics(document.uri);
  });

  it('clears the diagnostic when the channels become 64', async () => {
    const document = await openModel();
    await waitForGroupDivisibility(document.uri);
    await replaceText(document, flaggedCall, 'nn.GroupNorm(32, 64)');
    await waitForNoDiagnostics(document.uri);
  });
});
