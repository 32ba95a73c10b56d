// Parses and lints Python source in tests, with the grammar loaded the way the CLI loads it.
import type { LintOptions, LintResult } from '../../src/analysis/lint';
import { lint } from '../../src/analysis/lint';
import { PythonParser } from '../../src/python/pythonParser';
import { loadPythonLanguage } from '../../server/pythonLanguage';

let parser: PythonParser | undefined;

export async function pythonParser(): Promise<PythonParser> {
  parser ??= new PythonParser(await loadPythonLanguage());
  return parser;
}

export async function lintSource(source: string, options?: LintOptions): Promise<LintResult> {
  const ready = await pythonParser();
  const tree = ready.parse(source);
  try {
    return lint(tree, ready.language, options);
  } finally {
    tree.delete();
  }
}
