// Reads normlint's settings (VS Code's `normlint.*`, or the same object from another editor)
// into a validated shape. Unknown or malformed values fall back to the defaults.
import { defaultThresholds } from '../src/analysis/lint';
import type { SeveritySetting } from '../src/analysis/lint';
import { rules } from '../src/rules';

export interface ServerSettings {
  enable: boolean;
  severities: Record<string, SeveritySetting>;
  /** Files larger than this are not analysed (generated code, data dumped into .py). */
  maxFileSizeBytes: number;
  /** "Preview normalization" lenses above each layer. */
  codeLens: boolean;
  /** small-batch thresholds the user set in the editor (absent where left at the default, so pyproject.toml applies). */
  thresholds: { smallBatchWarning?: number; smallBatchInformation?: number };
  /** Read the workspace's other files, so imports, constructor calls and configs are followed across files. */
  indexWorkspace: boolean;
}

export const defaultSettings: ServerSettings = { enable: true, indexWorkspace: true, severities: {}, maxFileSizeBytes: 5_000_000, codeLens: true, thresholds: {} };

const severitySettings = new Set<string>(['default', 'error', 'warning', 'information', 'hint', 'off']);

export function readSettings(raw: unknown): ServerSettings {
  const object = isRecord(raw) ? raw : {};
  const ruleSettings = isRecord(object.rules) ? object.rules : {};
  const severities: Record<string, SeveritySetting> = {};
  for (const rule of rules) {
    const entry = ruleSettings[rule.name];
    const severity = isRecord(entry) ? entry.severity : undefined;
    if (typeof severity === 'string' && severitySettings.has(severity)) severities[rule.name] = severity as SeveritySetting;
  }
  const maxFileSize = object.maxFileSize;
  return {
    enable: typeof object.enable === 'boolean' ? object.enable : defaultSettings.enable,
    severities,
    maxFileSizeBytes: typeof maxFileSize === 'number' && maxFileSize > 0 ? maxFileSize * 1000 : defaultSettings.maxFileSizeBytes,
    codeLens: typeof object.codeLens === 'boolean' ? object.codeLens : defaultSettings.codeLens,
    thresholds: readThresholds(object.thresholds),
    indexWorkspace: typeof object.indexWorkspace === 'boolean' ? object.indexWorkspace : defaultSettings.indexWorkspace,
  };
}

function readThresholds(raw: unknown): ServerSettings['thresholds'] {
  const thresholds: ServerSettings['thresholds'] = {};
  if (!isRecord(raw)) return thresholds;
  for (const [key, fallback] of Object.entries(defaultThresholds) as [keyof typeof defaultThresholds, number][]) {
    const value = raw[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 2 && value !== fallback) thresholds[key] = value;
  }
  return thresholds;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
