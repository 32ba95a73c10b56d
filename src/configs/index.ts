// The one entry for model and training config files: the file name picks the check. Hosts read
// files; the checks only call back for the bases a config names.
import type { SeveritySetting } from '../analysis/lint';
import type { PythonParser } from '../python/pythonParser';
import type { Finding } from '../rules/rule';
import { parseConfigTree } from './configTree';
import { lintDiffusersConfigTree, mayBeDiffusersConfig } from './diffusersConfig';
import { lintMmdetConfig, looksLikeMmdetConfig } from './mmdetConfig';
import type { ConfigFileError } from './mmdetConfig';

export type { ConfigFileError } from './mmdetConfig';

export interface ConfigFileInput {
  /** With `/` separators (or the host's own); base configs are resolved against its folder and read through `readFile`. */
  path: string;
  text: string;
  severities?: Readonly<Record<string, SeveritySetting | undefined>>;
  thresholds?: { smallBatchWarning: number; smallBatchInformation: number };
  /** The text of another file (an mmcv `_base_`), or undefined when it cannot be read. */
  readFile: (path: string) => string | undefined;
  /** Needed for Python configs; without it they are skipped. */
  parser?: PythonParser;
}

export interface ConfigFileResult {
  /**
   * `uri` is undefined for lines of the checked file; for lines of a base config it is that
   * file's path as passed to `readFile`, and so is a related location's `uri` when its file is
   * not the finding's. The host turns these paths into URIs.
   */
  findings: Finding[];
  /** What kept part of the config from being read: syntax errors, missing or cyclic bases. Never findings. */
  errors: ConfigFileError[];
}

const nothing: ConfigFileResult = { findings: [], errors: [] };

/** Files `lintConfigFile` reads: JSON and YAML configs, and Python files, which it checks when they are mmcv configs. */
export function isConfigPath(path: string): boolean {
  return /\.(?:json|ya?ml|py)$/i.test(path);
}

export function lintConfigFile(input: ConfigFileInput): ConfigFileResult {
  const severities = input.severities ?? {};
  const extension = /\.(json|ya?ml|py)$/i.exec(input.path)?.[1]?.toLowerCase();
  if (extension === 'py') {
    if (!input.parser || !looksLikeMmdetConfig(input.text)) return nothing;
    return lintMmdetConfig({ ...input, parser: input.parser, severities });
  }
  if (extension === undefined || !mayBeDiffusersConfig(input.text)) return nothing;
  const tree = parseConfigTree(input.text, extension === 'json' ? 'json' : 'yaml');
  return {
    findings: lintDiffusersConfigTree(tree, severities),
    errors: tree.errors.map((error) => ({ ...error, path: input.path })),
  };
}
