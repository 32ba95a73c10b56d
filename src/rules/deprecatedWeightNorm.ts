// deprecated-weight-norm (NL110): torch.nn.utils.weight_norm and remove_weight_norm, replaced by parametrizations.
import type { DocumentFacts } from '../analysis/documentFacts';
import type { CallSite } from '../python/statementSummary';
import type { Deprecation } from '../frameworks/torch';
import type { Fix, Rule, RuleFinding } from './rule';

export const deprecatedWeightNorm: Rule = {
  code: 'NL110',
  name: 'deprecated-weight-norm',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes: 'Checks for calls to `torch.nn.utils.weight_norm` and `torch.nn.utils.remove_weight_norm`.',
    whyIsThisBad:
      'Since PyTorch 2.1 both emit `FutureWarning: torch.nn.utils.weight_norm is deprecated in favor of ' +
      'torch.nn.utils.parametrizations.weight_norm` and are slated for removal. The replacement registers the ' +
      'reparametrization w = g · v / ‖v‖ as a parametrization, which works with `torch.compile`, `deepcopy` and ' +
      'the other parametrization tools. Migrating changes the state-dict keys: `weight_g` and `weight_v` become ' +
      '`parametrizations.weight.original0` and `parametrizations.weight.original1`, so old checkpoints need their ' +
      'keys renamed when loaded.',
    example:
      'import torch.nn as nn\n\nconv = nn.utils.weight_norm(nn.Conv1d(80, 512, 7))\nnn.utils.remove_weight_norm(conv)',
    useInstead:
      'import torch.nn as nn\n\nconv = nn.utils.parametrizations.weight_norm(nn.Conv1d(80, 512, 7))\n' +
      'nn.utils.parametrize.remove_parametrizations(conv, "weight")',
    references: [
      { title: 'torch.nn.utils.parametrizations.weight_norm', url: 'https://pytorch.org/docs/stable/generated/torch.nn.utils.parametrizations.weight_norm.html' },
      { title: 'Salimans & Kingma, Weight Normalization (2016)', url: 'https://arxiv.org/abs/1602.07868' },
    ],
  },
  check: ({ facts }) => facts.deprecatedCalls.map(checkCall),
};

function checkCall({ call, qualifiedName, target: { deprecation: target } }: DocumentFacts['deprecatedCalls'][number]): RuleFinding {
  const fix = replacementFix(call, target);
  return {
    message: `\`${qualifiedName.replace('.weight_norm.', '.')}\` is deprecated since PyTorch ${target.since}; use \`${target.replacement}\``,
    range: call.callee.range,
    ...(fix ? { fixes: [fix] } : {}),
  };
}

/**
 * Rewrites `nn.utils.weight_norm(...)` to `nn.utils.parametrizations.weight_norm(...)` in place,
 * keeping the user's own prefix. A bare imported name gets no fix: its import would change too.
 */
function replacementFix(call: CallSite, target: Deprecation): Fix | undefined {
  const callee = call.callee;
  if (callee.kind !== 'attribute' || !callee.object.source.endsWith('utils')) return undefined;
  const isRemoval = target.pathBelowUtils.startsWith('parametrize.');
  const edits = [{ range: callee.range, newText: `${callee.object.source}.${target.pathBelowUtils}` }];
  if (isRemoval) {
    // `remove_parametrizations` needs the tensor's name, which `remove_weight_norm` defaulted to "weight".
    const [module, ...rest] = call.arguments;
    if (!module || module.keyword || module.unpacking || rest.length > 0) return undefined;
    edits.push({ range: { start: module.value.range.end, end: module.value.range.end }, newText: ', "weight"' });
    return { title: `Use \`${target.replacement}\``, edits, isPreferred: true };
  }
  return {
    title: `Use \`${target.replacement}\` (checkpoint keys change: \`weight_g\`/\`weight_v\` become \`parametrizations.weight.original0/1\`)`,
    edits,
    isPreferred: true,
  };
}
