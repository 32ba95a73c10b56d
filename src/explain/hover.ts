// Explains a normalization layer for hover: what it normalizes over for this exact
// configuration, where each number came from, and what is wrong with it if anything is.
import { fileLabel } from '../analysis/fileLabel';
import type { LintResult } from '../analysis/lint';
import type { BoundArgument, NormLayerFact } from '../analysis/normLayers';
import type { Value } from '../python/evaluate';
import { contains } from '../python/pythonParser';
import type { Position, SourceRange } from '../python/pythonParser';
import { suggestedGroupCounts } from '../rules/groupDivisibility';
import { ruleByName } from '../rules';

export interface LayerExplanation {
  layer: NormLayerFact;
  markdown: string;
}

/** The innermost layer constructor call at `position`. */
export function layerAt(result: LintResult, position: Position): NormLayerFact | undefined {
  const enclosing = result.facts.normLayers.filter((layer) => contains(layer.range, position));
  return enclosing.sort((first, second) => spanOf(first.range) - spanOf(second.range))[0];
}

export function explainLayerAt(result: LintResult, position: Position): LayerExplanation | undefined {
  const layer = layerAt(result, position);
  if (!layer) return undefined;
  const sections = [
    `**${layer.signature.displayName}** — \`${layer.qualifiedName}\``,
    normalizationSet(layer),
    parameterTable(layer),
    ...result.findings
      .filter((finding) => finding.range.start.line === layer.range.start.line && finding.range.start.character === layer.range.start.character)
      .map((finding) => `**${finding.severity}** \`${finding.code}\` ${finding.rule}: ${finding.message}\n\n${ruleByName(finding.rule)?.docs.whyIsThisBad ?? ''}`),
  ];
  return { layer, markdown: sections.filter((section) => section.length > 0).join('\n\n---\n\n') };
}

function normalizationSet(layer: NormLayerFact): string {
  const formula = 'y = (x − E[x]) / √(Var[x] + ε) · γ + β, with the biased variance';
  switch (layer.signature.family) {
    case 'GroupNorm':
      return groupNormSet(layer, formula);
    case 'BatchNorm':
      return (
        `Normalizes each channel over the whole batch and all spatial positions (N×H×W values per channel) — ${formula}. ` +
        'Training uses the statistics of the current batch, so they depend on the batch size; evaluation uses running averages ' +
        'updated as `running = (1 − momentum)·running + momentum·batch` (PyTorch momentum 0.1; Keras writes the same decay as 0.99).'
      );
    case 'InstanceNorm':
      return (
        `Normalizes each sample and channel separately over its spatial positions (H×W values per set) — ${formula}. ` +
        'Unlike BatchNorm, `affine` and `track_running_stats` default to `False`.'
      );
    case 'LayerNorm':
      return `Normalizes each sample over its last ${describeShape(layer.arguments.get('normalized_shape'))} — ${formula}. Independent of the batch size.`;
    case 'RMSNorm':
      return `Scales each sample by the root mean square of its last ${describeShape(layer.arguments.get('normalized_shape'))}: y = x / √(mean(x²) + ε) · γ. No mean is subtracted.`;
  }
}

function groupNormSet(layer: NormLayerFact, formula: string): string {
  const groups = knownInt(layer.arguments.get('num_groups'));
  const channels = knownInt(layer.arguments.get('num_channels'));
  if (groups === undefined || channels === undefined) {
    return `Normalizes each sample over groups of C/G channels × H×W — ${formula}; γ and β are per channel. Independent of the batch size.`;
  }
  if (groups <= 0 || channels % groups !== 0) {
    const alternatives = suggestedGroupCounts(channels, groups).join(' or ');
    return (
      `GroupNorm: ${channels} channels in ${groups} groups — **not divisible**; each sample's statistics would be taken over ` +
      `C/G channels × H×W, and ${channels}/${groups} is not a whole number. PyTorch raises ` +
      '`ValueError: num_channels must be divisible by num_groups`. ' +
      `${alternatives} groups would work.`
    );
  }
  const perGroup = channels / groups;
  const special =
    groups === 1 ? ' With one group this is LayerNorm over (C, H, W).' : groups === channels ? ' With one channel per group this is InstanceNorm.' : '';
  return (
    `GroupNorm: ${channels} channels in ${groups} groups — each sample's statistics are taken over ${groups} groups × ` +
    `${perGroup} channel${perGroup === 1 ? '' : 's'} × H×W — ${formula}; γ and β are per channel. Independent of the batch size.${special}`
  );
}

function parameterTable(layer: NormLayerFact): string {
  const rows = layer.signature.parameters
    .filter((parameter) => parameter.name !== 'device' && parameter.name !== 'dtype')
    .map((parameter) => {
      const argument = layer.arguments.get(parameter.name);
      if (!argument) {
        const shown = parameter.defaultSource ?? (layer.hasUnpackedArguments ? '(from `*args`/`**kwargs`)' : '(missing)');
        return `| \`${parameter.name}\` | ${shown} | ${parameter.defaultSource ? 'default' : ''} |`;
      }
      return `| \`${parameter.name}\` | \`${argument.source}\`${valueSuffix(argument.value, argument.source)} | ${originText(argument)} |`;
    });
  return ['| parameter | value | from |', '|---|---|---|', ...rows].join('\n');
}

function valueSuffix(value: Value, source: string): string {
  if (value.kind === 'int' || value.kind === 'float') return String(value.value) === source ? '' : ` = ${value.value}`;
  return '';
}

function originText(argument: BoundArgument): string {
  const value = argument.value;
  if (value.kind === 'unknown') return `unresolved: ${value.reason}`;
  if (value.kind === 'symbol') return `depends on ${describeSymbol(value.key)}, which no call in this file sets`;
  if (value.origins.length === 0) return 'written here';
  return value.origins.map((origin) => `\`${origin.name}\` (${origin.uri === undefined ? '' : `${fileLabel(origin.uri)} `}line ${origin.range.start.line + 1})`).join(', ');
}

/** `block.width` → "parameter `width` of `block`"; compound keys name the expression instead. */
function describeSymbol(key: string): string {
  const lastDot = key.lastIndexOf('.');
  if (key.startsWith('(') || lastDot < 0) return 'parameters of the enclosing function';
  return `parameter \`${key.slice(lastDot + 1)}\` of \`${key.slice(0, lastDot)}\``;
}

function describeShape(argument: BoundArgument | undefined): string {
  const value = argument?.value;
  if (value?.kind === 'int') return `axis (${value.value} features)`;
  if (value?.kind === 'sequence') return `${value.items.length} axes (${value.items.map((item) => (item.kind === 'int' ? item.value : '?')).join('×')})`;
  return 'axes given by `normalized_shape`';
}

function knownInt(argument: BoundArgument | undefined): number | undefined {
  return argument?.value.kind === 'int' ? argument.value.value : undefined;
}

function spanOf(range: SourceRange): number {
  return (range.end.line - range.start.line) * 1e6 + (range.end.character - range.start.character);
}
