// Reads `# normlint: ignore` and `# normlint: ignore[rule-name, NL101]` comments. A comment
// silences findings whose range covers its line, so it works at the end of either line of
// a call that spans several.
import type { Language, Tree } from '@vscode/tree-sitter-wasm';
import { pythonQuery } from '../python/queries';

export interface Suppression {
  line: number;
  /** Rule names or codes; empty means every rule. */
  rules: string[];
}

const directive = /#\s*normlint:\s*ignore(?:\[([^\]]*)\])?/;

export function findSuppressions(tree: Tree, language: Language): Suppression[] {
  const suppressions: Suppression[] = [];
  for (const capture of pythonQuery(language, 'comments').captures(tree.rootNode)) {
    const match = directive.exec(capture.node.text);
    if (!match) continue;
    const rules = (match[1] ?? '').split(',').map((rule) => rule.trim()).filter((rule) => rule.length > 0);
    suppressions.push({ line: capture.node.startPosition.row, rules });
  }
  return suppressions;
}

export function isSuppressed(suppressions: readonly Suppression[], finding: { rule: string; code: string; range: { start: { line: number }; end: { line: number } } }): boolean {
  return suppressions.some(
    (suppression) =>
      suppression.line >= finding.range.start.line &&
      suppression.line <= finding.range.end.line &&
      (suppression.rules.length === 0 || suppression.rules.includes(finding.rule) || suppression.rules.includes(finding.code)),
  );
}
