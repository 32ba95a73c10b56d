import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, enabledRuleNames, lintOptionsFor, resolveRuleNames, withRuleSelection } from '../../src/config/normlintConfig';
import type { NormlintConfig } from '../../src/config/normlintConfig';
import { rules } from '../../src/rules';
import { lintSource } from '../helpers/python';

const allRules = rules.map((rule) => rule.name);
const otherRules = allRules.filter((name) => name !== 'group-divisibility');

function config(fields: Partial<NormlintConfig>): NormlintConfig {
  return { ...defaultConfig, ...fields };
}

describe('rule selection', () => {
  it('runs every rule by default', () => {
    assert.deepEqual([...enabledRuleNames(defaultConfig)], allRules);
  });

  it('limits the rules to `select` and then removes `ignore`, as ruff does', () => {
    assert.deepEqual([...enabledRuleNames(config({ select: ['group-divisibility'] }))], ['group-divisibility']);
    assert.deepEqual([...enabledRuleNames(config({ ignore: ['group-divisibility'] }))], otherRules);
    assert.deepEqual([...enabledRuleNames(config({ select: ['group-divisibility'], ignore: ['group-divisibility'] }))], []);
    assert.deepEqual([...enabledRuleNames(config({ select: [] }))], []);
  });

  it('lets a later --select start afresh, dropping the select and ignore of the file', () => {
    const fromFile = config({ select: otherRules, ignore: ['group-divisibility'] });
    const layered = withRuleSelection(fromFile, { select: ['group-divisibility'] });
    assert.deepEqual([...enabledRuleNames(layered)], ['group-divisibility']);
  });

  it('adds a later --ignore to the ignore of the file and keeps its select', () => {
    const fromFile = config({ select: allRules, ignore: otherRules.slice(0, 1) });
    const layered = withRuleSelection(fromFile, { ignore: ['group-divisibility'] });
    assert.deepEqual(layered.select, allRules);
    assert.deepEqual([...enabledRuleNames(layered)], otherRules.slice(1));
  });

  it('keeps severities and thresholds when the selection changes', () => {
    const fromFile = config({ severities: { 'group-divisibility': 'hint' }, thresholds: { smallBatchWarning: 2, smallBatchInformation: 4 } });
    const layered = withRuleSelection(fromFile, { select: ['group-divisibility'], ignore: [] });
    assert.deepEqual(layered.severities, fromFile.severities);
    assert.deepEqual(layered.thresholds, fromFile.thresholds);
  });

  it('resolves names and codes, and lists what names no rule', () => {
    assert.deepEqual(resolveRuleNames(['NL101', 'group-divisibility', 'groupnorm', 'NL000']), { names: ['group-divisibility'], unknown: ['groupnorm', 'NL000'] });
  });
});

describe('lintOptionsFor', () => {
  it('maps configured severities and turns off the rules that are not selected', () => {
    const options = lintOptionsFor(config({ select: ['group-divisibility'], severities: { 'group-divisibility': 'warning' } }));
    assert.deepEqual(options.severities, Object.fromEntries(allRules.map((name) => [name, name === 'group-divisibility' ? 'warning' : 'off'])));
  });

  it('changes what lint() reports: severity, and nothing from an ignored rule', async () => {
    const source = 'import torch.nn as nn\nnorm = nn.GroupNorm(3, 64)\n';
    const asWarning = await lintSource(source, lintOptionsFor(config({ severities: { 'group-divisibility': 'warning' } })));
    assert.deepEqual(asWarning.findings.map((finding) => [finding.rule, finding.severity]), [['group-divisibility', 'warning']]);
    const ignored = await lintSource(source, lintOptionsFor(config({ ignore: ['group-divisibility'] })));
    assert.deepEqual(ignored.findings, []);
    // The facts stay: --stats and hover still see the layer.
    assert.equal(ignored.facts.normLayers.length, 1);
  });
});
