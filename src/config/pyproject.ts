// Reads normlint's configuration from the `[tool.normlint]` table of a pyproject.toml text:
//
//   [tool.normlint]
//   select = ["group-divisibility"]        # rule names or codes; absent = every rule
//   ignore = ["NL101"]
//   [tool.normlint.severity]
//   group-divisibility = "warning"         # error, warning, information, hint or off
//   [tool.normlint.thresholds]
//   small-batch-warning = 4
//
// Every mistake (TOML syntax, unknown key or rule, wrong type) becomes a ConfigError with its line
// rather than being skipped, so a typo never silently turns a rule back on; the valid parts apply.
import { parse, TomlError } from 'smol-toml';
import { defaultConfig, defaultThresholds, resolveRuleNames, ruleSeverities, unknownRuleMessage } from './normlintConfig';
import type { ConfigError, NormlintConfig, RuleSeverity, Thresholds } from './normlintConfig';
import { ruleByName } from '../rules';
import { TomlKeyLines } from './tomlKeyLines';

export interface PyprojectConfig {
  /**
   * Whether the file configures normlint: it has a `[tool.normlint]` table, or it cannot be parsed
   * and mentions normlint. Like ruff with `[tool.ruff]`, hosts skip a pyproject.toml that does not.
   */
  configuresNormlint: boolean;
  config: NormlintConfig;
  errors: ConfigError[];
}

type TomlTable = Record<string, unknown>;

const tablePath = ['tool', 'normlint'];

/** The keys of `[tool.normlint.thresholds]` and the Thresholds field each one sets. */
const thresholdKeys: Readonly<Record<string, keyof Thresholds>> = {
  'small-batch-warning': 'smallBatchWarning',
  'small-batch-information': 'smallBatchInformation',
};

export function readPyprojectConfig(text: string): PyprojectConfig {
  let document: TomlTable;
  try {
    document = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml's message repeats the offending lines after the first; the line number says where.
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    return { configuresNormlint: /normlint/.test(text), config: defaultConfig, errors: [{ message: `TOML syntax error: ${reason}`, line: error.line }] };
  }
  const tool = document.tool;
  if (!isTable(tool) || tool.normlint === undefined) return { configuresNormlint: false, config: defaultConfig, errors: [] };
  return { configuresNormlint: true, ...new TableReader(new TomlKeyLines(text)).read(tool.normlint) };
}

/** Validates `[tool.normlint]`, collecting errors with their lines. */
class TableReader {
  private readonly errors: ConfigError[] = [];

  constructor(private readonly keyLines: TomlKeyLines) {}

  read(table: unknown): { config: NormlintConfig; errors: ConfigError[] } {
    if (!isTable(table)) {
      this.error([], `\`tool.normlint\` must be a table, not ${describeType(table)}`);
      return { config: defaultConfig, errors: this.errors };
    }
    let config: NormlintConfig = defaultConfig;
    for (const [key, value] of Object.entries(table)) {
      switch (key) {
        case 'select':
          config = { ...config, select: this.ruleList(key, value) };
          break;
        case 'ignore':
          config = { ...config, ignore: this.ruleList(key, value) };
          break;
        case 'severity':
          config = { ...config, severities: this.severities(value) };
          break;
        case 'thresholds':
          config = { ...config, thresholds: this.thresholds(value) };
          break;
        default:
          this.error([key], `[tool.normlint]: unknown key \`${key}\`; the keys are select, ignore, severity and thresholds`);
      }
    }
    return { config, errors: this.errors };
  }

  private ruleList(key: 'select' | 'ignore', value: unknown): string[] {
    const where = `[tool.normlint] ${key}`;
    if (!Array.isArray(value)) {
      this.error([key], `${where} must be an array of rule names or codes, not ${describeType(value)}`);
      return [];
    }
    const selectors: string[] = [];
    for (const item of value) {
      if (typeof item === 'string') selectors.push(item);
      else this.error([key], `${where}: entries must be rule names or codes (strings), not ${describeType(item)}`);
    }
    const { names, unknown } = resolveRuleNames(selectors);
    for (const selector of unknown) this.error([key], unknownRuleMessage(where, selector), selector);
    return names;
  }

  private severities(value: unknown): Record<string, RuleSeverity> {
    const severities: Record<string, RuleSeverity> = {};
    if (!isTable(value)) {
      this.error(['severity'], `[tool.normlint] severity must be a table of rule = "severity", not ${describeType(value)}`);
      return severities;
    }
    const keyByRule = new Map<string, string>();
    for (const [key, severity] of Object.entries(value)) {
      const rule = ruleByName(key);
      const path = ['severity', key];
      if (!rule) {
        this.error(path, unknownRuleMessage('[tool.normlint.severity]', key));
      } else if (keyByRule.has(rule.name)) {
        this.error(path, `[tool.normlint.severity]: \`${keyByRule.get(rule.name)}\` and \`${key}\` both set ${rule.name} (${rule.code})`);
      } else if (typeof severity !== 'string' || !(ruleSeverities as readonly string[]).includes(severity)) {
        const written = typeof severity === 'string' ? `\`${severity}\`` : describeType(severity);
        this.error(path, `[tool.normlint.severity] ${key}: ${written} is not a severity; use ${ruleSeverities.join(', ')}`);
      } else {
        keyByRule.set(rule.name, key);
        severities[rule.name] = severity as RuleSeverity;
      }
    }
    return severities;
  }

  private thresholds(value: unknown): Thresholds {
    if (!isTable(value)) {
      this.error(['thresholds'], `[tool.normlint] thresholds must be a table, not ${describeType(value)}`);
      return defaultThresholds;
    }
    const thresholds = { ...defaultThresholds };
    for (const [key, threshold] of Object.entries(value)) {
      const field = thresholdKeys[key];
      const path = ['thresholds', key];
      if (!field) {
        this.error(path, `[tool.normlint.thresholds]: unknown key \`${key}\`; the keys are ${Object.keys(thresholdKeys).join(' and ')}`);
      } else if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 1) {
        const written = typeof threshold === 'number' ? String(threshold) : describeType(threshold);
        this.error(path, `[tool.normlint.thresholds] ${key} must be a positive whole number of samples per device, not ${written}`);
      } else {
        thresholds[field] = threshold;
      }
    }
    // Information covers the band above the warning, so its threshold cannot be lower.
    if (thresholds.smallBatchWarning > thresholds.smallBatchInformation) {
      this.error(
        ['thresholds'],
        `[tool.normlint.thresholds]: small-batch-warning (${thresholds.smallBatchWarning}) is above small-batch-information (${thresholds.smallBatchInformation}); warnings must start at a smaller batch than information`,
      );
      return defaultThresholds;
    }
    return thresholds;
  }

  private error(pathInTable: readonly string[], message: string, item?: string): void {
    const line = this.keyLines.lineOf([...tablePath, ...pathInTable], item);
    this.errors.push(line === undefined ? { message } : { message, line });
  }
}

function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A TOML value's type as the TOML specification names it, for messages. */
function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (isTable(value)) return 'a table';
  if (typeof value === 'number') return Number.isInteger(value) ? `an integer (${value})` : `a float (${value})`;
  if (typeof value === 'boolean') return `a boolean (${value})`;
  if (typeof value === 'string') return `a string ("${value}")`;
  return String(value);
}
