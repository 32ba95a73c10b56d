// group-divisibility (NL101): GroupNorm whose channel count is not a multiple of its group count.
import type { BoundArgument, NormLayerFact } from '../analysis/normLayers';
import type { Fix, RelatedLocation, Rule, RuleFinding } from './rule';

export const groupDivisibility: Rule = {
  code: 'NL101',
  name: 'group-divisibility',
  defaultSeverity: 'error',
  docs: {
    whatItDoes: 'Checks for `GroupNorm` layers whose number of channels is not divisible by their number of groups.',
    whyIsThisBad:
      'GroupNorm splits the channels of each sample into `num_groups` equal groups and normalizes each group over its ' +
      'channels and spatial positions. When the channels do not split evenly there are no equal groups: PyTorch refuses to ' +
      'build the layer and raises `ValueError: num_channels must be divisible by num_groups` as the model is constructed — ' +
      'often deep inside a training job, after data loading has already started. More groups than channels is the same ' +
      'error; zero groups raises `ZeroDivisionError`.',
    example: 'import torch.nn as nn\n\nnorm = nn.GroupNorm(32, 100)  # 100 channels cannot form 32 equal groups',
    useInstead: 'import torch.nn as nn\n\nnorm = nn.GroupNorm(25, 100)  # 25 groups of 4 channels',
    references: [
      { title: 'torch.nn.GroupNorm', url: 'https://pytorch.org/docs/stable/generated/torch.nn.GroupNorm.html' },
      { title: 'Wu & He, Group Normalization (2018)', url: 'https://arxiv.org/abs/1803.08494' },
    ],
  },
  check: ({ facts }) => facts.normLayers.flatMap(checkLayer),
};

function checkLayer(layer: NormLayerFact): RuleFinding[] {
  // Only GroupNorm splits channels into groups.
  if (layer.signature.family !== 'GroupNorm') return [];
  // Half-typed calls get a verdict once they parse.
  if (layer.isIncomplete) return [];
  const groups = layer.arguments.get('num_groups');
  const channels = layer.arguments.get('num_channels');
  // Both numbers must be known; an unresolved value is never guessed.
  if (groups?.value.kind !== 'int' || channels?.value.kind !== 'int') return [];
  const numGroups = groups.value.value;
  const numChannels = channels.value.value;
  // A non-positive channel count is a different mistake, reported elsewhere.
  if (numChannels <= 0) return [];
  // A positive group count that divides the channels is what PyTorch accepts.
  if (numGroups > 0 && numChannels % numGroups === 0) return [];

  const suggestions = suggestedGroupCounts(numChannels, numGroups);
  const alternatives = suggestions.map(String).join(' or ');
  const channelsText = `${numChannels} channels${namedSource(channels)}`;
  const message =
    numGroups <= 0
      ? `\`num_groups\` is ${numGroups}${namedSource(groups)}; GroupNorm needs a positive group count that divides ${channelsText}, such as ${alternatives}`
      : `${channelsText} are not divisible by ${numGroups} groups${namedSource(groups)}` +
        `${numGroups > numChannels ? ' (more groups than channels)' : ''}; ${alternatives} would be`;
  return [
    {
      message,
      range: layer.range,
      layer,
      basis: [groups, channels],
      related: [...originsOf(channels, 'channels'), ...originsOf(groups, 'groups')],
      fixes: suggestions.map((divisor, index) => groupCountFix(groups, numChannels, divisor, index === 0)),
    },
  ];
}

/** Group counts that divide `numChannels`, nearest to the one written first. Hover lists the same ones. */
export function suggestedGroupCounts(numChannels: number, numGroups: number): number[] {
  // With no usable group count, suggest the Group Normalization paper's default of 32, or the nearest divisor under it.
  return numGroups <= 0 ? nearestDivisors(numChannels, 33).slice(0, 1) : nearestDivisors(numChannels, numGroups);
}

/** The divisors of `numChannels` closest to `numGroups` from below and from above, nearest first. */
function nearestDivisors(numChannels: number, numGroups: number): number[] {
  let below: number | undefined;
  let above: number | undefined;
  for (let divisor = 1; divisor * divisor <= numChannels; divisor++) {
    if (numChannels % divisor !== 0) continue;
    for (const candidate of [divisor, numChannels / divisor]) {
      if (candidate < numGroups && (below === undefined || candidate > below)) below = candidate;
      if (candidate > numGroups && (above === undefined || candidate < above)) above = candidate;
    }
  }
  const found = [below, above].filter((divisor): divisor is number => divisor !== undefined);
  return found.sort((first, second) => Math.abs(first - numGroups) - Math.abs(second - numGroups) || first - second);
}

function groupCountFix(groups: BoundArgument, numChannels: number, divisor: number, isPreferred: boolean): Fix {
  const perGroup = numChannels / divisor;
  return {
    title: `Use ${divisor} groups (${perGroup} channel${perGroup === 1 ? '' : 's'} per group)`,
    edits: [{ range: groups.range, newText: String(divisor) }],
    isPreferred,
  };
}

/** " (`CHANNELS`)" when the number was not written at the call but came through a name. */
function namedSource(argument: BoundArgument): string {
  const value = argument.value;
  if (value.kind !== 'int' || value.origins.length === 0 || argument.source === String(value.value)) return '';
  return ` (\`${argument.source}\`)`;
}

function originsOf(argument: BoundArgument, what: string): RelatedLocation[] {
  if (argument.value.kind === 'unknown') return [];
  return argument.value.origins.map((origin) => ({ range: origin.range, message: `${what}: \`${origin.name}\` is set here`, ...(origin.uri === undefined ? {} : { uri: origin.uri }) }));
}
