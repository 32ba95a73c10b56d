// What `normlint check` found, and its text and JSON forms. Every output format (text and JSON
// here, SARIF in sarif.ts) reads the one flat list that `reportedFindings` walks out of the checked
// files, so they agree on order, paths and counts.
import { relative } from 'node:path';
import type { LintResult } from '../src/analysis/lint';
import { severities } from '../src/rules/rule';
import type { Finding, Severity } from '../src/rules/rule';
import { rangeInCell } from '../src/notebook/notebookProgram';
import type { NotebookProgram } from '../src/notebook/notebookProgram';
import type { CheckStatistics } from './stats';

export interface CheckedFile {
  /** The path as the walk found it (relative paths stay relative). */
  path: string;
  result: LintResult;
  /** For a notebook: how its code cells make up the program that was linted. */
  notebook?: NotebookProgram;
}

export interface ReportedFinding {
  /** The path as the walk found it. */
  path: string;
  /** The path relative to the working folder, as text output and SARIF show it. */
  relativePath: string;
  /** In a notebook, the 0-based code cell; the finding's ranges are then relative to that cell. */
  cell?: number;
  finding: Finding;
}

/** The one walk over findings: file by file in walk order, each file's findings by position. */
export function reportedFindings(files: readonly CheckedFile[]): ReportedFinding[] {
  return files.flatMap(({ path, result, notebook }) =>
    result.findings.map((finding) => {
      const relativePath = relative(process.cwd(), path) || path;
      if (!notebook) return { path, relativePath, finding };
      const { cell, range } = rangeInCell(notebook, finding.range);
      // Related locations in other files (a model the notebook builds) keep their own positions.
      const related = finding.related?.map((location) => (location.uri === undefined ? { ...location, range: rangeInCell(notebook, location.range).range } : location));
      return { path, relativePath, cell, finding: { ...finding, range, ...(related ? { related } : {}) } };
    }),
  );
}

/** `path:line:col: CODE [rule] message`, 1-based like ruff and eslint; `run` prints its findings the same way. */
export function formatFindingLine(label: string, finding: Finding): string {
  const { line, character } = finding.range.start;
  return `${label}:${line + 1}:${character + 1}: ${finding.code} [${finding.rule}] ${finding.message}`;
}

export function formatText(findings: readonly ReportedFinding[], filesChecked: number, statistics?: string): string {
  // A notebook's findings read `notebook.ipynb:cell 3:2:5:` with the cell counted from 1, as ruff shows them.
  const lines = findings.map(({ relativePath, cell, finding }) => formatFindingLine(cell === undefined ? relativePath : `${relativePath}:cell ${cell + 1}`, finding));
  const counts = countBySeverity(findings);
  const parts = severities.filter((severity) => counts[severity] > 0).map((severity) => plural(counts[severity], severity));
  lines.push(parts.length === 0 ? `No findings in ${plural(filesChecked, 'file')}.` : `Found ${parts.join(', ')} in ${plural(filesChecked, 'file')}.`);
  if (statistics) lines.push(statistics);
  return `${lines.join('\n')}\n`;
}

/** JSON with 0-based LSP ranges; `stats` only when asked for, so existing consumers see the same document. */
export function formatJson(findings: readonly ReportedFinding[], statistics?: CheckStatistics): string {
  const diagnostics = findings.map(({ path, cell, finding }) => ({
    path,
    ...(cell === undefined ? {} : { cell }),
    code: finding.code,
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    range: finding.range,
  }));
  return `${JSON.stringify({ version: 1, diagnostics, ...(statistics ? { stats: statistics } : {}) }, null, 2)}\n`;
}

function countBySeverity(findings: readonly ReportedFinding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const { finding } of findings) counts[finding.severity]++;
  return counts;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 || noun === 'information' ? '' : 's'}`;
}
