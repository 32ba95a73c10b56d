// The entry point VS Code loads with --extensionTestsPath: runs every *.e2e.js file built next to
// this one with mocha inside the extension host, the layout @vscode/test-electron expects. When
// NORMLINT_E2E_RESULTS names a file, it also writes the results there for scripts/vscodeE2e.mjs.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One finished test as scripts/vscodeE2e.mjs prints it. */
interface TestResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  // esbuild writes test/e2e/suite/*.e2e.ts to out/test/e2e/suite/*.e2e.js, beside this bundle.
  const testFiles = readdirSync(__dirname)
    .filter((name) => name.endsWith('.e2e.js'))
    .sort();
  for (const name of testFiles) {
    mocha.addFile(join(__dirname, name));
  }
  const results: TestResult[] = [];
  return new Promise((resolve, reject) => {
    if (testFiles.length === 0) {
      reject(new Error(`no *.e2e.js test files next to ${__filename}`));
      return;
    }
    const runner = mocha.run((failures) => {
      writeResults(results);
      if (failures > 0) {
        reject(new Error(`${failures} of ${results.length} end-to-end tests failed`));
      } else {
        resolve();
      }
    });
    runner.on('pass', (test) => {
      results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
    });
    // A failing hook is reported here too, so a broken before() is counted rather than hidden.
    runner.on('fail', (test, error: unknown) => {
      results.push({
        title: test.fullTitle(),
        state: 'failed',
        durationMs: test.duration ?? 0,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    });
  });
}

/** Writes the results where the offline runner reads them; other runners set no such file. */
function writeResults(results: TestResult[]): void {
  const resultsPath = process.env['NORMLINT_E2E_RESULTS'];
  if (resultsPath) {
    writeFileSync(resultsPath, JSON.stringify({ tests: results }, null, 2));
  }
}
