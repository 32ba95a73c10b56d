// Writes docs/rules/<name>.md from each rule's documentation (`npm run docs`). Diagnostics link
// to these files; a unit test fails when they are out of date.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../src/rules';
import { ruleDocsMarkdown } from '../src/rules/ruleDocsMarkdown';

const folder = join(__dirname, '..', '..', 'docs', 'rules');
mkdirSync(folder, { recursive: true });
for (const rule of rules) {
  writeFileSync(join(folder, `${rule.name}.md`), ruleDocsMarkdown(rule));
  console.log(`docs/rules/${rule.name}.md`);
}
