// Runs the end-to-end suite in a desktop VS Code that @vscode/test-electron downloads from
// Microsoft's update servers, for machines with internet (`npm run test:vscode`). Machines without
// it use scripts/vscodeE2e.mjs, which runs the same suite in the VS Code inside code-server.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// This file is bundled to out/test/e2e/runWithTestElectron.js, three folders below the repo root.
const repoRoot = resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  // The tests edit model.py without saving; a copy keeps the fixture folder clean all the same.
  const workspace = mkdtempSync(join(tmpdir(), 'normlint-e2e-workspace-'));
  cpSync(join(repoRoot, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspaces', 'training'), join(workspace, 'training'), { recursive: true });
  try {
    await runTests({
      // The same VS Code as the offline runner; engines.vscode must allow it.
      version: process.env['NORMLINT_VSCODE_VERSION'] ?? '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('The end-to-end tests failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
