// What the extension-host suites share: polling with a timeout instead of sleeping, editing a
// document through a workspace edit, and reading hover text.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// The language server starts with the extension; 20 s covers a slow first start on 2 cores.
const pollTimeoutMs = 20_000;
const pollIntervalMs = 100;

/**
 * Calls `probe` until it returns something other than undefined, and fails after `timeoutMs` with
 * `what` and the last thing `describeLast` saw, so that a failure tells what was there instead.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  describeLast: () => string = () => '',
  timeoutMs = pollTimeoutMs,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      const last = describeLast();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `; last seen: ${last}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

/** Replaces the first `search` in `document` with `replacement` through a workspace edit. */
export async function replaceText(document: vscode.TextDocument, search: string, replacement: string): Promise<void> {
  const offset = document.getText().indexOf(search);
  assert.ok(offset >= 0, `${JSON.stringify(search)} is not in ${document.uri.toString()}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + search.length)), replacement);
  assert.ok(await vscode.workspace.applyEdit(edit), 'VS Code refused the edit');
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}
