// Runs every bundled *.test.js under out/test with Node's built-in test runner. Node 20 has no
// glob support in `node --test`, and a bare folder would also pick up the VS Code suite.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const folder = join('out', 'test');
const files = readdirSync(folder, { recursive: true })
  .map(String)
  .filter((name) => name.endsWith('.test.js'))
  .sort()
  .map((name) => join(folder, name));
if (files.length === 0) {
  console.error('no tests found under out/test: run `npm run build` first');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
