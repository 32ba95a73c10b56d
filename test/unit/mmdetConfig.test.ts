// mmcv/mmdet Python configs: evaluated without running them, merged with their `_base_` files as
// mmcv does, and checked for GroupNorm group counts and BatchNorm batch sizes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintConfigFile } from '../../src/configs';
import { lintMmdetConfig, loadMmdetConfig, looksLikeMmdetConfig, resolveBasePath } from '../../src/configs/mmdetConfig';
import type { MmdetConfigInput, MmdetValue } from '../../src/configs/mmdetConfig';
import { pythonParser } from '../helpers/python';
import { fixturePath } from '../helpers/repository';

const mmdetFixture = (name: string): string => fixturePath('configs', 'mmdet', ...name.split('/'));
const modelBase = mmdetFixture('_base_/models/retinanet_r50_fpn.py');
const datasetBase = mmdetFixture('_base_/datasets/coco_detection.py');

function readFixtureFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Lints a fixture config, reading its bases from the fixture folder. */
async function lintFixture(name: string, options: Pick<MmdetConfigInput, 'severities' | 'thresholds'> = {}) {
  const path = mmdetFixture(name);
  return lintConfigFile({ path, text: readFixtureFile(path)!, readFile: readFixtureFile, parser: await pythonParser(), ...options });
}

/** Lints `files['main.py']`, whose bases are the other entries of `files`. */
async function lintFiles(files: Record<string, string>, options: Pick<MmdetConfigInput, 'severities' | 'thresholds'> = {}) {
  return lintMmdetConfig({ path: 'configs/main.py', text: files['main.py']!, readFile: (path) => files[path.replace(/^configs\//, '')], parser: await pythonParser(), ...options });
}

/** The plain value at a dotted path of the merged config, and the file and line it was written on. */
function valueAt(config: MmdetValue, path: string): string {
  let value: MmdetValue | undefined = config;
  for (const key of path.split('.')) value = value?.kind === 'mapping' ? value.entries.get(key) : undefined;
  if (!value) return 'absent';
  const written = 'value' in value ? JSON.stringify(value.value) : value.kind;
  return `${written} in ${value.file}:${value.range.start.line + 1}`;
}

describe('mmdet group-divisibility', () => {
  it('flags a child config whose neck out_channels the shared GN norm_cfg does not divide, on that value', async () => {
    const { findings, errors } = await lintFixture('retinanet/retinanet_r50_fpn_gn_neck_100.py');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.rule, finding.severity, finding.uri, finding.range.start, finding.message]),
      [
        [
          'NL101',
          'group-divisibility',
          'error',
          undefined,
          { line: 6, character: 27 },
          '`model.neck.out_channels` = 100 is not divisible by `norm_cfg.num_groups` = 32: the GroupNorm layers of `model.neck` get 100 channels in 32 groups, which PyTorch refuses; 25 or 50 groups would divide it',
        ],
      ],
    );
    assert.deepEqual(
      findings[0]!.related?.map((related) => [related.uri, related.range.start, related.message]),
      [[undefined, { line: 4, character: 38 }, '`num_groups` sets the group count']],
    );
  });

  it('lands on the base file when the count that fails is written there, linking back to the child', async () => {
    const { findings } = await lintFixture('retinanet/retinanet_r50_fpn_gn30_head.py');
    assert.deepEqual(
      findings.map((finding) => [finding.uri, finding.range.start, finding.message]),
      [
        [
          modelBase,
          { line: 25, character: 22 },
          '`model.bbox_head.feat_channels` = 256 is not divisible by `norm_cfg.num_groups` = 30: the GroupNorm layers of `model.bbox_head` get 256 channels in 30 groups, which PyTorch refuses; 32 or 16 groups would divide it',
        ],
      ],
    );
    assert.deepEqual(
      findings[0]!.related?.map((related) => [related.uri, related.range.start.line]),
      [[mmdetFixture('retinanet/retinanet_r50_fpn_gn30_head.py'), 4]],
    );
  });

  it('checks every count of a channel list and says when there are more groups than channels', async () => {
    const { findings } = await lintFiles({
      'main.py': "model = dict(\n    neck=dict(\n        out_channels=[64, 48, 16],\n        norm_cfg=dict(type='GN', num_groups=32)))\n",
    });
    assert.deepEqual(
      findings.map((finding) => [finding.range.start, finding.message.split(':')[0]]),
      [
        [{ line: 2, character: 26 }, '`model.neck.out_channels[1]` = 48 is not divisible by `norm_cfg.num_groups` = 32'],
        [{ line: 2, character: 30 }, '`model.neck.out_channels[2]` = 16 is not divisible by `norm_cfg.num_groups` = 32 (more groups than channels)'],
      ],
    );
  });

  it('ignores in_channels, norms other than GN, and counts it cannot read', async () => {
    const { findings } = await lintFiles({
      'main.py': [
        "gn = dict(type='GN', num_groups=32)",
        "model = dict(",
        "    neck=dict(in_channels=[18, 36, 72], out_channels=256, norm_cfg=gn),",
        "    head=dict(feat_channels=100, norm_cfg=dict(type='SyncBN')),",
        "    mask_head=dict(conv_out_channels=width, norm_cfg=gn),",
        "    other=dict(channels=100, norm_cfg=dict(type='GN', num_groups=groups)))",
        '',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('honours severity settings', async () => {
    const off = await lintFixture('retinanet/retinanet_r50_fpn_gn_neck_100.py', { severities: { 'group-divisibility': 'off' } });
    assert.deepEqual(off.findings, []);
    const warning = await lintFixture('retinanet/retinanet_r50_fpn_gn_neck_100.py', { severities: { 'group-divisibility': 'warning' } });
    assert.deepEqual(warning.findings.map((finding) => finding.severity), ['warning']);
  });
});

describe('mmdet batch statistics', () => {
  it('warns when one image per GPU trains a BatchNorm head, on the samples_per_gpu line', async () => {
    const { findings, errors } = await lintFixture('retinanet/retinanet_r50_fpn_bn_head_1img.py');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.rule, finding.severity, finding.uri, finding.range.start, finding.message]),
      [
        [
          'NL104',
          'batch-size-one',
          'warning',
          undefined,
          { line: 5, character: 28 },
          "`data.samples_per_gpu` = 1 trains on one image per GPU: BatchNorm in `model.bbox_head` (`norm_cfg` on line 5) normalizes with the statistics of a single sample and folds them into the running averages; use 2 or more images per GPU, `type='SyncBN'` across GPUs, or `type='GN'` in `norm_cfg`",
        ],
      ],
    );
    assert.deepEqual(
      findings[0]!.related?.map((related) => [related.uri, related.range.start, related.message]),
      [[undefined, { line: 4, character: 37 }, "`model.bbox_head` normalizes with BatchNorm over each GPU's batch"]],
    );
  });

  it('stays silent when the only BatchNorm is a backbone frozen by norm_eval=True', async () => {
    assert.deepEqual(await lintFixture('retinanet/retinanet_r50_fpn_1img.py'), { findings: [], errors: [] });
  });

  it('reports a small batch set in a base file on that file, citing the GroupNorm paper figures', async () => {
    const { findings } = await lintFixture('retinanet/retinanet_r50_fpn_bn_head.py');
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity, finding.uri, finding.range.start, finding.message]),
      [
        [
          'NL106',
          'warning',
          datasetBase,
          { line: 31, character: 20 },
          'Batch size 2 per GPU (`data.samples_per_gpu`) is small for BatchNorm in `model.bbox_head` (`norm_cfg` on line 5 of `retinanet_r50_fpn_bn_head.py`): ' +
            'its batch statistics get noisy (ResNet-50 on ImageNet: 23.6% error at 32 images per GPU, 27.3% at 4, 34.7% at 2); ' +
            "use a larger batch, `type='SyncBN'` across GPUs, or `type='GN'` in `norm_cfg`",
        ],
      ],
    );
    assert.deepEqual(findings[0]!.related?.map((related) => [related.uri, related.range.start.line]), [[mmdetFixture('retinanet/retinanet_r50_fpn_bn_head.py'), 4]]);
  });

  it('follows the thresholds and severity settings', async () => {
    const information = await lintFixture('retinanet/retinanet_r50_fpn_bn_head.py', { thresholds: { smallBatchWarning: 2, smallBatchInformation: 16 } });
    assert.deepEqual(information.findings.map((finding) => [finding.code, finding.severity]), [['NL106', 'information']]);
    const above = await lintFixture('retinanet/retinanet_r50_fpn_bn_head.py', { thresholds: { smallBatchWarning: 2, smallBatchInformation: 2 } });
    assert.deepEqual(above.findings, []);
    const off = await lintFixture('retinanet/retinanet_r50_fpn_bn_head_1img.py', { severities: { 'batch-size-one': 'off' } });
    assert.deepEqual(off.findings, []);
    const error = await lintFixture('retinanet/retinanet_r50_fpn_bn_head_1img.py', { severities: { 'batch-size-one': 'error' } });
    assert.deepEqual(error.findings.map((finding) => finding.severity), ['error']);
  });

  it('reads the mmdet 3.x train_dataloader and names every module that trains BatchNorm', async () => {
    const { findings } = await lintFiles({
      'main.py': [
        "norm_cfg = dict(type='BN', requires_grad=True)",
        'model = dict(',
        "    backbone=dict(type='CSPDarknet', norm_cfg=norm_cfg),",
        "    neck=dict(type='YOLOXPAFPN', norm_cfg=norm_cfg),",
        "    bbox_head=dict(type='YOLOXHead', norm_cfg=dict(type='SyncBN')))",
        'train_dataloader = dict(batch_size=4, num_workers=2)',
        '',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity, finding.range.start.line, finding.message.split(':')[0]]),
      [['NL106', 'warning', 5, 'Batch size 4 per GPU (`train_dataloader.batch_size`) is small for BatchNorm in `model.backbone` (`norm_cfg` on line 1) and 1 more']],
    );
    assert.deepEqual(
      findings[0]!.related?.map((related) => related.message),
      ["`model.backbone` normalizes with BatchNorm over each GPU's batch", "`model.neck` normalizes with BatchNorm over each GPU's batch"],
    );
  });

  it('exempts BatchNorm frozen by requires_grad=False or inside a frozen module, and modules with keys it cannot see', async () => {
    const { findings } = await lintFiles({
      'main.py': [
        'model = dict(',
        "    backbone=dict(norm_eval=True, stem=dict(norm_cfg=dict(type='BN'))),",
        "    neck=dict(norm_cfg=dict(type='BN', requires_grad=False)),",
        "    head=dict(norm_cfg=dict(type='BN'), **extra))",
        'data = dict(samples_per_gpu=1)',
        '',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
});

describe('mmdet base configs', () => {
  it('merges dicts key by key, replaces other values, and keeps where each effective value was written', async () => {
    const path = mmdetFixture('retinanet/retinanet_r50_fpn_gn_neck_100.py');
    const { config } = loadMmdetConfig({ path, text: readFixtureFile(path)!, readFile: readFixtureFile, parser: await pythonParser() });
    assert.equal(valueAt(config, 'model.neck.out_channels'), `100 in ${path}:7`);
    assert.equal(valueAt(config, 'model.neck.type'), `"FPN" in ${modelBase}:15`);
    assert.equal(valueAt(config, 'model.neck.norm_cfg.num_groups'), `32 in ${path}:5`);
    assert.equal(valueAt(config, 'model.bbox_head.in_channels'), `100 in ${path}:9`);
    assert.equal(valueAt(config, 'model.backbone.norm_eval'), `true in ${modelBase}:11`);
    assert.equal(valueAt(config, 'data.samples_per_gpu'), `2 in ${datasetBase}:32`);
    assert.equal(valueAt(config, 'data.train.ann_file'), `unknown in ${datasetBase}:36`);
    assert.equal(valueAt(config, '_base_'), 'absent');
  });

  it('replaces a base dict that the child marks with _delete_=True', async () => {
    const files = {
      'base.py': "model = dict(neck=dict(type='FPN', out_channels=256, norm_cfg=dict(type='GN', num_groups=32)))\n",
      'main.py': "_base_ = './base.py'\nmodel = dict(neck=dict(_delete_=True, type='PAFPN', out_channels=100))\n",
    };
    const { findings } = await lintFiles(files);
    assert.deepEqual(findings, []);
    const { config } = loadMmdetConfig({ path: 'configs/main.py', text: files['main.py'], readFile: (path) => (files as Record<string, string>)[path.replace(/^configs\//, '')], parser: await pythonParser() });
    assert.equal(valueAt(config, 'model.neck.norm_cfg'), 'absent');
    assert.equal(valueAt(config, 'model.neck._delete_'), 'absent');
    assert.equal(valueAt(config, 'model.neck.type'), '"PAFPN" in configs/main.py:2');
  });

  it('evaluates dict literals, dict(**other) and names, and forgets names that other statements may change', async () => {
    const { findings } = await lintFiles({
      'main.py': [
        "gn = {'type': 'GN', 'num_groups': 32}",
        'neck = dict(out_channels=100, norm_cfg=gn)',
        "model = dict(neck=dict(**neck, type='FPN'))",
        "head = dict(feat_channels=100, norm_cfg=dict(type='GN', num_groups=32))",
        'if True:',
        '    head = dict()',
        "mask = dict(feat_channels=100, norm_cfg=dict(type='GN', num_groups=32))",
        "mask['feat_channels'] = 128",
        'model = dict(neck=model["neck"], head=head, mask=mask)',
        '',
      ].join('\n'),
    });
    // Each module of the last `model` comes through a statement that is not read (a subscript, a name rebound under `if`, a
    // dict changed by item assignment); the top-level `neck` is not under `model`.
    assert.deepEqual(findings, []);
    const { findings: direct } = await lintFiles({
      'main.py': "gn = {'type': 'GN', 'num_groups': 32}\nneck = dict(out_channels=100, norm_cfg=gn)\nmodel = dict(neck=dict(**neck, type='FPN'))\n",
    });
    assert.deepEqual(direct.map((finding) => [finding.range.start, finding.related?.[0]?.range.start]), [[{ line: 1, character: 25 }, { line: 0, character: 34 }]]);
  });

  it('reports a base that cannot be read, and still checks the values that are written', async () => {
    const { findings, errors } = await lintFixture('retinanet/retinanet_missing_base.py');
    const path = mmdetFixture('retinanet/retinanet_missing_base.py');
    assert.deepEqual(
      errors.map((error) => [error.path, error.range.start, error.message]),
      [
        [
          path,
          { line: 2, character: 4 },
          `Cannot read base config \`../_base_/schedules/schedule_1x.py\` (${mmdetFixture('_base_/schedules/schedule_1x.py')}); its values are not checked`,
        ],
      ],
    );
    assert.deepEqual(findings.map((finding) => [finding.code, finding.range.start.line]), [['NL101', 4]]);
  });

  it('leaves the batch checks out when a base is missing, since it may freeze any BatchNorm', async () => {
    const { findings, errors } = await lintFiles({
      'main.py': "_base_ = ['./model.py']\nmodel = dict(head=dict(norm_cfg=dict(type='BN')))\ndata = dict(samples_per_gpu=1)\n",
    });
    assert.deepEqual(findings, []);
    assert.equal(errors.length, 1);
  });

  it('reports a _base_ cycle without throwing', async () => {
    const { findings, errors } = await lintFixture('cycle/first.py');
    assert.deepEqual(
      errors.map((error) => [error.path, error.range.start.line, error.message]),
      [[mmdetFixture('cycle/second.py'), 0, '`_base_` cycle: first.py → second.py → first.py; mmcv cannot load this config']],
    );
    assert.deepEqual(findings.map((finding) => finding.code), ['NL101']);
  });

  it('reports a base that includes itself, keys set by two bases, and a dict merged onto a non-dict', async () => {
    const { errors } = await lintFiles({
      'main.py': "_base_ = ['./other.py', './model.py', 42]\nmodel = dict(neck=dict(norm_cfg=dict(type='GN')))\n",
      'model.py': "_base_ = './model.py'\nmodel = dict(neck=dict(norm_cfg=None))\n",
      'other.py': 'model = dict()\n',
    });
    assert.deepEqual(
      errors.map((error) => [error.path, error.range.start.line, error.message]),
      [
        ['configs/model.py', 0, '`_base_` cycle: model.py → model.py; mmcv cannot load this config'],
        ['configs/main.py', 0, '`model` is set by two bases, `./other.py` and `./model.py`; mmcv refuses duplicate keys among bases'],
        ['configs/main.py', 0, '`_base_` must be a path or a list of paths; this entry is not read'],
        ['configs/main.py', 1, '`model.neck.norm_cfg` is a dict here but not in its base config; mmcv refuses to merge them (set `_delete_=True` to replace the base value)'],
      ],
    );
  });

  it('reads a base shared by two bases once, without calling it a cycle', async () => {
    const reads: string[] = [];
    const files: Record<string, string> = {
      'main.py': "_base_ = ['./left.py', './right.py']\n",
      'left.py': "_base_ = './shared.py'\nleft = 1\n",
      'right.py': "_base_ = './shared.py'\nright = 1\n",
      'shared.py': 'shared = 1\n',
    };
    const { errors } = lintMmdetConfig({
      path: 'configs/main.py',
      text: files['main.py']!,
      readFile: (path) => (reads.push(path), files[path.replace(/^configs\//, '')]),
      parser: await pythonParser(),
    });
    assert.deepEqual(reads, ['configs/left.py', 'configs/shared.py', 'configs/right.py']);
    // Both bases carry `shared`: mmcv refuses that too.
    assert.deepEqual(errors.map((error) => error.message), ['`shared` is set by two bases, `./left.py` and `./right.py`; mmcv refuses duplicate keys among bases']);
  });

  it('survives broken Python and deep nesting', async () => {
    const { findings } = await lintFiles({ 'main.py': `_base_ = [\nmodel = dict(neck=dict(out_channels=100, norm_cfg=dict(type='GN', num_groups=32))\nx = ${'['.repeat(500)}${']'.repeat(500)}\n` });
    assert.ok(Array.isArray(findings));
  });
});

describe('mmdet config paths and detection', () => {
  it('resolves _base_ entries against the config folder', () => {
    assert.equal(resolveBasePath('configs/retinanet/a.py', '../_base_/models/r.py'), 'configs/_base_/models/r.py');
    assert.equal(resolveBasePath('/project/configs/a.py', './b.py'), '/project/configs/b.py');
    assert.equal(resolveBasePath('/a.py', '../../b.py'), '/b.py');
    assert.equal(resolveBasePath('a.py', '../b.py'), '../b.py');
    assert.equal(resolveBasePath('configs/a.py', '/abs/b.py'), '/abs/b.py');
    assert.equal(resolveBasePath('C:\\project\\configs\\a.py', '..\\_base_\\b.py'), 'C:/project/_base_/b.py');
  });

  it('recognises mmcv configs from their text alone', () => {
    assert.equal(looksLikeMmdetConfig("_base_ = './base.py'\n"), true);
    assert.equal(looksLikeMmdetConfig("norm_cfg = dict(type='GN', num_groups=32)\n"), true);
    assert.equal(looksLikeMmdetConfig('data = dict(\n    samples_per_gpu=2)\n'), true);
    assert.equal(looksLikeMmdetConfig('train_dataloader = dict(batch_size=2)\n'), true);
    assert.equal(looksLikeMmdetConfig('import torch\nmodel = Net()\n'), false);
  });

  it('leaves Python files that are not configs to the Python linter', async () => {
    const result = lintConfigFile({ path: 'train.py', text: 'import torch.nn as nn\nnorm = nn.GroupNorm(32, 100)\n', readFile: () => undefined, parser: await pythonParser() });
    assert.deepEqual(result, { findings: [], errors: [] });
  });
});
