// `normlint check`: lints every .py file under the given paths and prints the findings as
// text (path:line:col: CODE message, like ruff and eslint) or as JSON.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { lint } from '../src/analysis/lint';
import { PythonParser } from '../src/python/pythonParser';
import type { Finding } from '../src/rules/rule';
import { loadPythonLanguage } from '../server/pythonLanguage';
import { defaultSettings } from '../server/settings';
import { UsageError } from './usageError';

/** Folders that hold no user code worth linting. */
const skippedFolders = new Set(['node_modules', '__pycache__', 'site-packages', 'venv']);

interface FileFindings {
  path: string;
  findings: Finding[];
}

export async function runCheck(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' } },
    strict: true,
  });
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not '${values.format}'`);
  if (positionals.length === 0) throw new UsageError('check needs at least one file or folder');

  const problems: string[] = [];
  const files: string[] = [];
  for (const path of positionals) {
    try {
      files.push(...(await pythonFilesUnder(path)));
    } catch (error) {
      problems.push(`cannot read '${path}': ${describeFileError(error)}`);
    }
  }

  const parser = new PythonParser(await loadPythonLanguage());
  const results: FileFindings[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      problems.push(`cannot read '${file}': ${describeFileError(error)}`);
      continue;
    }
    if (text.length > defaultSettings.maxFileSizeBytes) {
      process.stderr.write(`normlint: skipped '${file}': ${Math.round(text.length / 1000)} KB is over the ${defaultSettings.maxFileSizeBytes / 1000} KB limit\n`);
      continue;
    }
    const tree = parser.parse(text);
    try {
      results.push({ path: file, findings: lint(tree, parser.language).findings });
    } catch (error) {
      // One file that trips the analyzer must not hide the findings of all the others.
      problems.push(`internal error while analysing '${file}': ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      tree.delete();
    }
  }

  process.stdout.write(values.format === 'json' ? formatJson(results) : formatText(results, files.length));
  for (const problem of problems) process.stderr.write(`normlint: ${problem}\n`);
  if (problems.length > 0) return 2;
  const blocking = results.some((result) => result.findings.some((finding) => finding.severity === 'error' || finding.severity === 'warning'));
  return blocking ? 1 : 0;
}

async function pythonFilesUnder(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const files: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((first, second) => first.name.localeCompare(second.name))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !skippedFolders.has(entry.name)) files.push(...(await pythonFilesUnder(child)));
    } else if (entry.isFile() && entry.name.endsWith('.py')) {
      files.push(child);
    }
  }
  return files;
}

function describeFileError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return error instanceof Error ? error.message : String(error);
}

function formatText(results: FileFindings[], filesChecked: number): string {
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const { path, findings } of results) {
    for (const finding of findings) {
      counts[finding.severity]++;
      const { line, character } = finding.range.start;
      lines.push(`${relative(process.cwd(), path) || path}:${line + 1}:${character + 1}: ${finding.code} [${finding.rule}] ${finding.message}`);
    }
  }
  const total = counts.error + counts.warning + counts.information + counts.hint;
  const parts = (['error', 'warning', 'information', 'hint'] as const).filter((severity) => counts[severity] > 0).map((severity) => plural(counts[severity], severity));
  lines.push(total === 0 ? `No findings in ${plural(filesChecked, 'file')}.` : `Found ${parts.join(', ')} in ${plural(filesChecked, 'file')}.`);
  return `${lines.join('\n')}\n`;
}

function formatJson(results: FileFindings[]): string {
  const diagnostics = results.flatMap(({ path, findings }) =>
    findings.map((finding) => ({
      path,
      code: finding.code,
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      range: finding.range,
    })),
  );
  return `${JSON.stringify({ version: 1, diagnostics }, null, 2)}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 || noun === 'information' ? '' : 's'}`;
}
