// `normlint check`: lints every .py file under the given paths with the configuration that applies
// to it (the nearest pyproject.toml with [tool.normlint], or --config, then --select/--ignore) and
// prints the findings as text (path:line:col: CODE message, like ruff and eslint), JSON or SARIF.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { emptyDocumentFacts } from '../src/analysis/documentFacts';
import { uniqueFindings } from '../src/analysis/lint';
import type { LintOptions } from '../src/analysis/lint';
import type { Finding } from '../src/rules/rule';
import { dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { lintOptionsFor, resolveRuleNames, unknownRuleMessage, withRuleSelection } from '../src/config/normlintConfig';
import type { NormlintConfig } from '../src/config/normlintConfig';
import { PythonParser } from '../src/python/pythonParser';
import { ProjectConfigFinder, readProjectConfigFile } from '../server/projectConfig';
import type { ProjectConfig } from '../server/projectConfig';
import { loadPythonLanguage } from '../server/pythonLanguage';
import { CommandError } from './commandError';
import { describeFileError, pythonFilesUnder } from './files';
import { indexProject } from './projectIndex';
import { formatJson, formatText, reportedFindings } from './report';
import type { CheckedFile } from './report';
import { formatSarif } from './sarif';
import { collectStatistics, formatStatisticsText } from './stats';
import { UsageError } from './usageError';

const formats = ['text', 'json', 'sarif'] as const;

export async function runCheck(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      select: { type: 'string' },
      ignore: { type: 'string' },
      stats: { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    strict: true,
  });
  const format = values.format as (typeof formats)[number];
  if (!formats.includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${values.format}'`);
  if (positionals.length === 0) throw new UsageError('check needs at least one file or folder');
  const ruleSelection = {
    ...(values.select !== undefined ? { select: ruleListOption('--select', values.select) } : {}),
    ...(values.ignore !== undefined ? { ignore: ruleListOption('--ignore', values.ignore) } : {}),
  };

  const problems: string[] = [];
  const files: string[] = [];
  for (const path of positionals) {
    try {
      files.push(...(await pythonFilesUnder(path)));
    } catch (error) {
      problems.push(`cannot read '${path}': ${describeFileError(error)}`);
    }
  }
  const configs = await configurationsFor(files, values.config);
  const checked: CheckedFile[] = [];

  const parser = new PythonParser(await loadPythonLanguage());
  const optionsByFile = new Map<string, LintOptions>();
  const optionsOf = (file: string): LintOptions => {
    let options = optionsByFile.get(file);
    if (!options) optionsByFile.set(file, (options = lintOptionsFor(withRuleSelection(configs.get(file)!, ruleSelection))));
    return options;
  };
  const { index, sources: analysed, problems: readProblems } = await indexProject(files, parser, optionsOf);
  problems.push(...readProblems);
  const fileOf = new Set(analysed.map((source) => source.uri));
  // A config's finding may be about a line of its `_base_` file: it is reported in that file.
  const configFindingsIn = new Map<string, Finding[]>();
  for (const { uri, configFindings } of analysed) {
    for (const finding of configFindings.map(withFileUri)) {
      const { uri: reportedIn = uri, ...rest } = finding;
      configFindingsIn.set(reportedIn, [...(configFindingsIn.get(reportedIn) ?? []), rest]);
    }
  }
  // Two configs that share a base report its mistakes once.
  for (const [uri, findings] of configFindingsIn) configFindingsIn.set(uri, uniqueFindings(findings));
  for (const uri of configFindingsIn.keys()) {
    if (!fileOf.has(uri)) analysed.push({ file: relative(process.cwd(), fileURLToPath(uri)), uri, configFindings: [] });
  }
  for (const { file, uri, notebook } of analysed) {
    try {
      const result = index.lint(uri) ?? { facts: emptyDocumentFacts(), findings: [] };
      const findings = [...(configFindingsIn.get(uri) ?? []), ...result.findings].sort(byPosition);
      checked.push({ path: file, result: { ...result, findings }, ...(notebook ? { notebook } : {}) });
    } catch (error) {
      // One file that trips the analyzer must not hide the findings of all the others.
      problems.push(`internal error while analysing '${file}': ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const findings = reportedFindings(checked);
  const statistics = values.stats ? collectStatistics(checked, findings, index.links()) : undefined;
  if (format === 'json') process.stdout.write(formatJson(findings, statistics));
  else if (format === 'sarif') process.stdout.write(formatSarif(findings, statistics));
  else process.stdout.write(formatText(findings, checked.length, statistics && formatStatisticsText(statistics)));
  for (const problem of problems) process.stderr.write(`normlint: ${problem}\n`);
  if (problems.length > 0) return 2;
  const blocking = findings.some(({ finding }) => finding.severity === 'error' || finding.severity === 'warning');
  return blocking ? 1 : 0;
}

/** A config check names base files by path; reports name them by URI like everything else. */
function withFileUri(finding: Finding): Finding {
  const toUri = (path: string | undefined): { uri?: string } => (path === undefined ? {} : { uri: path.startsWith('file:') ? path : pathToFileURL(path).href });
  return { ...finding, ...toUri(finding.uri), ...(finding.related ? { related: finding.related.map((related) => ({ ...related, ...toUri(related.uri) })) } : {}) };
}

function byPosition(first: Finding, second: Finding): number {
  return first.range.start.line - second.range.start.line || first.range.start.character - second.range.start.character;
}

/** `--select a,NL101` as rule names; a name that is no rule is a usage error. */
function ruleListOption(option: string, text: string): string[] {
  const selectors = text.split(',').map((selector) => selector.trim()).filter((selector) => selector.length > 0);
  const { names, unknown } = resolveRuleNames(selectors);
  if (unknown.length > 0) throw new UsageError(unknown.map((selector) => unknownRuleMessage(option, selector)).join('\n'));
  return names;
}

/**
 * The configuration of each file: the one named by --config, or the nearest pyproject.toml that
 * configures normlint. A configuration with mistakes stops the check before anything is linted,
 * since linting with part of it could pass a CI run that the intended configuration fails.
 */
async function configurationsFor(files: readonly string[], configPath: string | undefined): Promise<Map<string, NormlintConfig>> {
  const finder = new ProjectConfigFinder();
  const explicit = configPath === undefined ? undefined : await readProjectConfigFile(configPath);
  const byFile = new Map<string, ProjectConfig>();
  for (const file of files) byFile.set(file, explicit ?? (await finder.find(dirname(file))));
  const broken = [...new Set(explicit ? [explicit] : byFile.values())].filter((project) => project.errors.length > 0);
  if (broken.length > 0) {
    const messages = broken.flatMap((project) =>
      project.errors.map((error) => `${relative(process.cwd(), project.path!) || project.path}${error.line === undefined ? '' : `:${error.line}`}: ${error.message}`),
    );
    throw new CommandError(messages.join('\n'));
  }
  return new Map([...byFile].map(([file, project]) => [file, project.config]));
}
