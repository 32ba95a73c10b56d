// Runs the analyzer on an annotated fixture and compares its findings with the annotations.
// A line that should be flagged ends with `# error: [rule-name]` (or warning/information/hint),
// optionally followed by a quoted piece of the expected message: `# error: [group-divisibility] "25 or 50"`.
// Every other line must produce nothing from the rules the fixture is about: the rule its file is
// named after and any rule it annotates (other rules' findings on its code are not its subject).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { lintSource } from './python';

interface Expectation {
  line: number;
  severity: string;
  rule: string;
  messagePart?: string;
}

const annotation = /#\s*(error|warning|information|hint):\s*\[([a-z0-9-]+)\](?:\s*"([^"]*)")?/;

export async function checkFixture(path: string): Promise<void> {
  const source = readFileSync(path, 'utf8');
  const expected: Expectation[] = [];
  source.split('\n').forEach((text, line) => {
    const match = annotation.exec(text);
    if (match) expected.push({ line: line + 1, severity: match[1]!, rule: match[2]!, ...(match[3] ? { messagePart: match[3] } : {}) });
  });
  const subject = new Set([basename(path).split('.')[0]!, ...expected.map((expectation) => expectation.rule)]);
  const { findings } = await lintSource(source);
  const actual = findings.filter((finding) => subject.has(finding.rule)).map((finding) => ({ line: finding.range.start.line + 1, severity: finding.severity, rule: finding.rule, message: finding.message }));
  const describe = (items: { line: number; severity: string; rule: string }[]) => items.map((item) => `line ${item.line}: ${item.severity} [${item.rule}]`).sort();
  assert.deepEqual(describe(actual), describe(expected), `findings in ${path} differ from its annotations`);
  for (const expectation of expected) {
    if (!expectation.messagePart) continue;
    const finding = actual.find((candidate) => candidate.line === expectation.line && candidate.rule === expectation.rule);
    assert.ok(finding?.message.includes(expectation.messagePart), `line ${expectation.line}: message "${finding?.message}" should contain "${expectation.messagePart}"`);
  }
}
