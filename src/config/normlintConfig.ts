// The normlint configuration that the CLI and the language server share: which rules run, at which
// severity, and the thresholds rules read. pyproject.ts reads it from `[tool.normlint]`; the hosts
// add their own overrides (command-line options, editor settings) and hand `lintOptionsFor` to lint().
import type { LintOptions, SeveritySetting } from '../analysis/lint';
import { defaultThresholds as lintDefaultThresholds } from '../analysis/lint';
import { ruleByName, rules } from '../rules';
import type { Severity } from '../rules/rule';

export type RuleSeverity = Severity | 'off';

export const ruleSeverities: readonly RuleSeverity[] = ['error', 'warning', 'information', 'hint', 'off'];

/** Batch sizes below which small-batch reports (see src/analysis/lint.ts for how rules read them). */
export interface Thresholds {
  /** small-batch warns when a BatchNorm layer sees fewer samples per device than this (the GN paper: BN error grows below 8). */
  smallBatchWarning: number;
  /** small-batch reports information below this many samples per device. */
  smallBatchInformation: number;
}

export interface NormlintConfig {
  /** Rule names to run (ruff's `select`); absent runs every rule. */
  select?: readonly string[];
  /** Rule names never to run, removed after `select`. */
  ignore: readonly string[];
  /** Severity per rule name; rules not listed keep their default. */
  severities: Readonly<Record<string, RuleSeverity>>;
  thresholds: Thresholds;
}

/** A mistake in a configuration, reported instead of being ignored. */
export interface ConfigError {
  message: string;
  /** 1-based, as TOML parsers and editors' status bars count; absent when the mistake has no single line. */
  line?: number;
}

export const defaultThresholds: Thresholds = lintDefaultThresholds;

export const defaultConfig: NormlintConfig = { ignore: [], severities: {}, thresholds: defaultThresholds };

/** The rules the configuration runs: all (or those selected) minus those ignored. */
export function enabledRuleNames(config: NormlintConfig): Set<string> {
  const selected = config.select ?? rules.map((rule) => rule.name);
  return new Set(selected.filter((name) => !config.ignore.includes(name)));
}

/**
 * The options lint() takes. A rule that select/ignore turn off is given severity `off`, which
 * lint() already honours by not running it, so no finding needs filtering afterwards.
 */
export function lintOptionsFor(config: NormlintConfig): LintOptions {
  const enabled = enabledRuleNames(config);
  const severities: Record<string, SeveritySetting> = {};
  for (const rule of rules) severities[rule.name] = enabled.has(rule.name) ? (config.severities[rule.name] ?? 'default') : 'off';
  return { severities, thresholds: config.thresholds };
}

/**
 * Applies a later selection (the CLI's `--select`/`--ignore`) on top of the configuration, as ruff
 * layers command-line options over its config file: a later `select` starts the set afresh (the
 * file's `select` and `ignore` no longer apply), a later `ignore` removes rules from whatever the
 * file selected.
 */
export function withRuleSelection(config: NormlintConfig, later: { select?: readonly string[]; ignore?: readonly string[] }): NormlintConfig {
  const ignore = later.ignore ?? [];
  if (later.select) return { ...config, select: later.select, ignore };
  return { ...config, ignore: [...config.ignore, ...ignore.filter((name) => !config.ignore.includes(name))] };
}

/**
 * Turns rule names or codes (`group-divisibility`, `NL101`) into rule names, in order and without
 * repeats, and lists the selectors that name no rule.
 */
export function resolveRuleNames(selectors: readonly string[]): { names: string[]; unknown: string[] } {
  const names: string[] = [];
  const unknown: string[] = [];
  for (const selector of selectors) {
    const rule = ruleByName(selector);
    if (!rule) unknown.push(selector);
    else if (!names.includes(rule.name)) names.push(rule.name);
  }
  return { names, unknown };
}

/** The message for a rule name or code that names no rule; `where` says where it was written. */
export function unknownRuleMessage(where: string, selector: string): string {
  return `${where}: unknown rule \`${selector}\`; the rules are ${rules.map((rule) => `${rule.name} (${rule.code})`).join(', ')}`;
}
