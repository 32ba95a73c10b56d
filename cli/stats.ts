// `normlint check --stats`: how much of the checked code the analyzer could see into. It counts
// the norm layers found and how many of their size arguments (the channel, group and feature
// counts that the rules check) were written and resolved to a known value; an unresolved
// argument is one the rules must stay silent about, so this is the share of layers they could judge.
import type { Value } from '../src/python/evaluate';
import { rules } from '../src/rules';
import type { WorkspaceLinkStatistics } from '../src/workspace/workspaceIndex';
import type { CheckedFile, ReportedFinding } from './report';

/** The parameters that carry a layer's size: GroupNorm's groups and channels, BatchNorm/InstanceNorm's features, LayerNorm/RMSNorm's shape. */
const sizeParameters = new Set(['num_groups', 'num_channels', 'num_features', 'normalized_shape']);

export interface CheckStatistics {
  files: number;
  normLayers: { total: number; byFamily: Record<string, number> };
  /** Size arguments the layers take, how many the calls write, and how many of those resolve to a known value. */
  sizeArguments: { total: number; written: number; resolved: number };
  /** Findings per rule name, in code order; rules without findings are left out. */
  findingsByRule: Record<string, number>;
  /** What the workspace index linked across files. */
  crossFile: WorkspaceLinkStatistics;
}

export function collectStatistics(files: readonly CheckedFile[], findings: readonly ReportedFinding[], crossFile: WorkspaceLinkStatistics): CheckStatistics {
  const byFamily: Record<string, number> = {};
  const sizeArguments = { total: 0, written: 0, resolved: 0 };
  let total = 0;
  for (const { result } of files) {
    for (const layer of result.facts.normLayers) {
      total++;
      byFamily[layer.signature.family] = (byFamily[layer.signature.family] ?? 0) + 1;
      for (const parameter of layer.signature.parameters) {
        if (!sizeParameters.has(parameter.name)) continue;
        sizeArguments.total++;
        const argument = layer.arguments.get(parameter.name);
        if (!argument) continue;
        sizeArguments.written++;
        if (isKnown(argument.value)) sizeArguments.resolved++;
      }
    }
  }
  const findingsByRule: Record<string, number> = {};
  for (const rule of rules) {
    const count = findings.filter(({ finding }) => finding.rule === rule.name).length;
    if (count > 0) findingsByRule[rule.name] = count;
  }
  return { files: files.length, normLayers: { total, byFamily: sortedByKey(byFamily) }, sizeArguments, findingsByRule, crossFile };
}

export function formatStatisticsText(statistics: CheckStatistics): string {
  const { files, normLayers, sizeArguments, findingsByRule, crossFile } = statistics;
  const families = Object.entries(normLayers.byFamily).map(([family, count]) => `${family} ${count}`);
  const byRule = Object.entries(findingsByRule).map(([rule, count]) => `${rule} ${count}`);
  return [
    'Statistics:',
    `  files checked: ${files}`,
    `  norm layers: ${normLayers.total}${families.length > 0 ? ` (${families.join(', ')})` : ''}`,
    `  channel/group/feature arguments: ${sizeArguments.resolved} of ${sizeArguments.total} resolved to a known value` +
      `${percentage(sizeArguments.resolved, sizeArguments.total)}; ${sizeArguments.written} written`,
    `  findings by rule: ${byRule.length > 0 ? byRule.join(', ') : 'none'}`,
    `  cross-file links: ${crossFile.imports} imports of workspace files, ${crossFile.crossFileCalls} calls into other files, ` +
      `${crossFile.layersBuiltAcrossFiles} norm layers built with another file's arguments, ${crossFile.configValues} config values read`,
  ].join('\n');
}

/** A value the rules can use: known, and for a shape every entry known. */
function isKnown(value: Value): boolean {
  if (value.kind === 'unknown') return false;
  return value.kind !== 'sequence' || value.items.every(isKnown);
}

function percentage(part: number, whole: number): string {
  return whole === 0 ? '' : ` (${((100 * part) / whole).toFixed(1)}%)`;
}

function sortedByKey(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([first], [second]) => first.localeCompare(second)));
}
