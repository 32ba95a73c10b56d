// `normlint check --format sarif`: SARIF 2.1.0, the format code-scanning services (GitHub, Azure
// DevOps, GitLab) import. One run; the driver lists every rule with its documentation, each result
// points at a file relative to %SRCROOT% (the working folder) with a 1-based region.
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SourceRange } from '../src/python/pythonParser';
import { rules } from '../src/rules';
import type { Severity } from '../src/rules/rule';
import { ruleDocsMarkdown } from '../src/rules/ruleDocsMarkdown';
import type { ReportedFinding } from './report';
import type { CheckStatistics } from './stats';
import { normlintVersion } from './version';

const sarifSchema = 'https://json.schemastore.org/sarif-2.1.0.json';

/** SARIF has three levels of problem; information and hints are both notes. */
const sarifLevels: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(findings: readonly ReportedFinding[], statistics?: CheckStatistics): string {
  const ruleIndexByName = new Map(rules.map((rule, index) => [rule.name, index]));
  const log = {
    $schema: sarifSchema,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'normlint',
            version: normlintVersion,
            rules: rules.map((rule) => ({
              id: rule.code,
              name: rule.name,
              shortDescription: { text: rule.docs.whatItDoes },
              fullDescription: { text: rule.docs.whyIsThisBad },
              // The documentation itself rather than a link: it is the same text as docs/rules/<name>.md
              // and needs no web page that normlint does not have.
              help: { text: rule.docs.whyIsThisBad, markdown: ruleDocsMarkdown(rule) },
              defaultConfiguration: { level: sarifLevels[rule.defaultSeverity] },
            })),
          },
        },
        // Consumers that know where the checkout is may rebase %SRCROOT%; this says where it was here.
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(process.cwd() + sep).href } },
        columnKind: 'utf16CodeUnits',
        results: findings.map(({ relativePath, cell, finding }) => ({
          ruleId: finding.code,
          ruleIndex: ruleIndexByName.get(finding.rule),
          level: sarifLevels[finding.severity],
          message: { text: finding.message },
          locations: [location(relativePath, finding.range)],
          ...(finding.related?.length
            ? {
                relatedLocations: finding.related.map((related, index) => ({
                  id: index,
                  ...location(related.uri ? relative(process.cwd(), fileURLToPath(related.uri)) : relativePath, related.range),
                  message: { text: related.message },
                })),
              }
            : {}),
          // Regions in a notebook are relative to its code cell (0-based), which SARIF has no field for.
          ...(cell === undefined ? {} : { properties: { cell } }),
        })),
        ...(statistics ? { properties: { normlintStats: statistics } } : {}),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function location(relativePath: string, range: SourceRange) {
  return { physicalLocation: { artifactLocation: artifactLocation(relativePath), region: region(range) } };
}

/** A relative URI under %SRCROOT%, or an absolute file URI for files outside the working folder. */
function artifactLocation(relativePath: string): { uri: string; uriBaseId?: string } {
  const segments = relativePath.split(sep);
  if (isAbsolute(relativePath) || segments[0] === '..') return { uri: pathToFileURL(relativePath).href };
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** SARIF counts lines and columns from 1; the end column is the one after the region, like our exclusive end. */
function region(range: SourceRange) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}
