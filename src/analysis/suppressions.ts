// Reads `# normlint: ignore` and `# normlint: ignore[rule-name, NL101]` comments. A comment
// silences findings whose range covers its line, so it works at the end of either line of
// a call that spans several.

export interface Suppression {
  /** Where the comment starts. */
  line: number;
  character: number;
  /** Rule names or codes; empty means every rule. */
  rules: string[];
}

const directive = /#\s*normlint:\s*ignore(?:\[([^\]]*)\])?/;

/** The suppression a comment's text declares, if any. */
export function parseSuppression(comment: string, line: number, character: number): Suppression | undefined {
  const match = directive.exec(comment);
  if (!match) return undefined;
  return { line, character, rules: (match[1] ?? '').split(',').map((rule) => rule.trim()).filter((rule) => rule.length > 0) };
}

export function isSuppressed(
  suppressions: readonly Suppression[],
  finding: { rule: string; code: string; range: { start: { line: number }; end: { line: number } } },
): boolean {
  return suppressions.some(
    (suppression) =>
      suppression.line >= finding.range.start.line &&
      suppression.line <= finding.range.end.line &&
      (suppression.rules.length === 0 || suppression.rules.includes(finding.rule) || suppression.rules.includes(finding.code)),
  );
}
