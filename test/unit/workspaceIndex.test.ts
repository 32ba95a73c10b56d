import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/rules/rule';
import { WorkspaceIndex } from '../../src/workspace/workspaceIndex';
import { absoluteNames, moduleNamesOf } from '../../src/workspace/moduleNames';
import { pythonParser } from '../helpers/python';

type Files = Record<string, string>;

const uriOf = (path: string): string => `file:///project/${path}`;

/** An index over in-memory files: Python parsed and summarized, YAML and JSON as configs. */
async function indexOf(files: Files): Promise<WorkspaceIndex> {
  const parser = await pythonParser();
  const index = new WorkspaceIndex(parser.language);
  for (const [path, text] of Object.entries(files)) setFile(index, parser, path, text);
  return index;
}

function setFile(index: WorkspaceIndex, parser: Awaited<ReturnType<typeof pythonParser>>, path: string, text: string): void {
  if (!path.endsWith('.py')) {
    index.setConfigFile(uriOf(path), path, text);
    return;
  }
  const tree = parser.parse(text);
  try {
    index.setPythonFile(uriOf(path), path, tree);
  } finally {
    tree.delete();
  }
}

/** `train.py:10 NL101` for each finding reported in `path`. */
function reported(index: WorkspaceIndex, path: string): string[] {
  return (index.lint(uriOf(path))?.findings ?? []).map((finding: Finding) => `${path}:${finding.range.start.line + 1} ${finding.code}`);
}

const blockModule = `import torch.nn as nn


class Block(nn.Module):
    def __init__(self, channels, groups=8):
        super().__init__()
        self.norm = nn.GroupNorm(groups, channels)
`;

describe('module names', () => {
  it('names files, packages and src layouts as Python imports them', () => {
    assert.deepEqual(moduleNamesOf('models/unet.py'), ['models.unet']);
    assert.deepEqual(moduleNamesOf('models/__init__.py'), ['models']);
    assert.deepEqual(moduleNamesOf('src/pkg/mod.py'), ['src.pkg.mod', 'pkg.mod']);
    assert.deepEqual(moduleNamesOf('my-scripts/train.py'), []);
  });

  it('resolves relative imports from the package and absolute ones from the root or the script folder', () => {
    assert.deepEqual(absoluteNames('.blocks.Block', 'models/unet.py'), [{ name: 'models.blocks.Block' }]);
    assert.deepEqual(absoluteNames('.blocks.Block', 'models/__init__.py'), [{ name: 'models.blocks.Block' }]);
    assert.deepEqual(absoluteNames('..utils.X', 'models/sub/net.py'), [{ name: 'models.utils.X' }]);
    assert.deepEqual(absoluteNames('...X', 'models/net.py'), []);
    assert.deepEqual(absoluteNames('unet.UNet', 'models/train.py'), [{ name: 'unet.UNet' }, { name: 'models.unet.UNet', within: 'models' }]);
  });
});

describe('the workspace index', () => {
  it('does not take `import torch` in a package for an import of that package', async () => {
    const index = await indexOf({
      'nets/__init__.py': 'import torch\nfrom .blocks import Block\n',
      'nets/blocks.py': blockModule,
      'nets/other.py': 'import torch\nX = 1\n',
    });
    // Only `__init__.py` imports blocks; `other.py` imports nothing of the workspace, so an edit to it reaches no other file.
    assert.deepEqual(index.affectedBy(uriOf('nets/other.py')), [uriOf('nets/other.py')]);
  });

  it('follows a class through a package re-export and an aliased module import to the call that builds it', async () => {
    const index = await indexOf({
      'nets/__init__.py': 'from .blocks import Block\n',
      'nets/blocks.py': blockModule,
      'a.py': 'from nets import Block\n\nmodel = Block(30)\n',
      'b.py': 'import nets.blocks as nb\n\nmodel = nb.Block(30, groups=5)\n',
      'c.py': 'from nets import Block\n\nmodel = Block(64)\n',
    });
    assert.deepEqual(reported(index, 'a.py'), ['a.py:3 NL101']);
    assert.deepEqual(reported(index, 'b.py'), []);
    assert.deepEqual(reported(index, 'c.py'), []);
    // The layer's file repeats the one finding on the lines it involves there (the default group
    // count, the layer), naming the call; b.py and c.py, which pass values that divide, add nothing.
    const mirrors = index.lint(uriOf('nets/blocks.py'))!.findings;
    assert.deepEqual(
      mirrors.map((finding) => [finding.range.start.line + 1, finding.message.slice(0, finding.message.indexOf('): ') + 1)]),
      [
        [5, 'From a.py line 3 (groups: `groups` is set here)'],
        [7, 'From a.py line 3 (the GroupNorm this call builds)'],
      ],
    );
  });

  it('reads a value from the config a Hydra entry point names, and reports it on the config line', async () => {
    const index = await indexOf({
      'nets/blocks.py': blockModule,
      'conf/train.yaml': 'model:\n  channels: 30\n  groups: 8\n',
      'train.py': [
        'import hydra',
        'from nets.blocks import Block',
        '',
        '@hydra.main(config_path="conf", config_name="train")',
        'def main(cfg):',
        '    model = Block(cfg.model.channels, groups=cfg.model.groups)',
        '',
      ].join('\n'),
    });
    assert.deepEqual(reported(index, 'train.py'), ['train.py:6 NL101']);
    const onConfig = index.lint(uriOf('conf/train.yaml'))!.findings;
    assert.deepEqual(onConfig.map((finding) => finding.range.start.line + 1), [2, 3]);
    assert.ok(onConfig.every((finding) => finding.message.startsWith('From train.py line 6 (')));
    assert.equal(index.links().configValues > 0, true);
  });

  it('reaches the BatchNorm of an imported model from a training loader and from a model call on a literal tensor', async () => {
    const model = 'import torch.nn as nn\n\n\nclass Head(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(16, 8)\n        self.bn = nn.BatchNorm1d(8)\n\n    def forward(self, x):\n        return self.bn(self.fc(x))\n';
    const index = await indexOf({
      'head.py': model,
      'loader.py': 'import torch\nfrom torch.utils.data import DataLoader\nfrom head import Head\n\nmodel = Head()\nloader = DataLoader(torch.randn(100, 16), batch_size=1, shuffle=True)\n',
      'probe.py': 'import torch\nfrom head import Head\n\nmodel = Head()\nout = model(torch.randn(1, 16))\n',
    });
    assert.deepEqual(reported(index, 'loader.py'), ['loader.py:6 NL104']);
    assert.deepEqual(reported(index, 'probe.py'), ['probe.py:5 NL104']);
    assert.match(index.lint(uriOf('probe.py'))!.findings[0]!.message, /`nn\.BatchNorm1d` \(head\.py line 8\) gets one value per channel after `nn\.Linear` \(head\.py line 7\)/);
  });

  it('repeats a crash on the layer that crashes as an error, and on a layer that only degrades as a warning', async () => {
    const index = await indexOf({
      'net.py': [
        'import torch.nn as nn',
        '',
        '',
        'class Net(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, bias=False), nn.BatchNorm2d(8), nn.AdaptiveAvgPool2d(1), nn.Flatten())',
        '        self.head = nn.Sequential(nn.Linear(8, 4, bias=False), nn.BatchNorm1d(4))',
        '',
        '    def forward(self, x):',
        '        return self.head(self.features(x))',
        '',
      ].join('\n'),
      'train.py': 'import torch\nfrom torch.utils.data import DataLoader\nfrom net import Net\n\nmodel = Net()\nloader = DataLoader(torch.randn(100, 3, 8, 8), batch_size=1, shuffle=True)\n',
    });
    assert.deepEqual(
      index.lint(uriOf('net.py'))!.findings.map((finding) => [finding.range.start.line + 1, finding.code, finding.severity]),
      [
        [7, 'NL104', 'warning'],
        [8, 'NL104', 'error'],
      ],
    );
  });

  it('survives import cycles and files that import themselves', async () => {
    const index = await indexOf({
      'a.py': 'from b import WIDTH\nimport torch.nn as nn\nGROUPS = 3\nnorm = nn.GroupNorm(GROUPS, WIDTH)\n',
      'b.py': 'from a import GROUPS\nWIDTH = GROUPS * 10 + 1\n',
      'self.py': 'from self import X\nX = 1\n',
    });
    assert.deepEqual(reported(index, 'a.py'), ['a.py:4 NL101']);
    assert.deepEqual(reported(index, 'self.py'), []);
  });

  it('knows which files an edit affects, and forgets a removed file', async () => {
    const index = await indexOf({
      'nets/blocks.py': blockModule,
      'settings.py': 'GROUPS = 8\n',
      'train.py': 'from nets.blocks import Block\nfrom settings import GROUPS\n\nmodel = Block(30, GROUPS)\n',
      'other.py': 'X = 1\n',
    });
    assert.deepEqual(index.affectedBy(uriOf('settings.py')).sort(), [uriOf('nets/blocks.py'), uriOf('settings.py'), uriOf('train.py')]);
    assert.ok(!index.affectedBy(uriOf('nets/blocks.py')).includes(uriOf('other.py')));
    assert.deepEqual(reported(index, 'train.py'), ['train.py:4 NL101']);
    index.remove(uriOf('settings.py'));
    assert.deepEqual(reported(index, 'train.py'), []);
  });

  it('gives the same results after edits to any file as an index built fresh from the edited files', async () => {
    const parser = await pythonParser();
    const files: Files = {
      'nets/__init__.py': 'from .blocks import Block\n',
      'nets/blocks.py': blockModule,
      'settings.py': 'GROUPS = 8\nCHANNELS = 30\n',
      'conf/train.yaml': 'train:\n  batch_size: 4\n',
      'nets/model.py': 'import torch.nn as nn\nfrom .blocks import Block\n\n\nclass Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        width = 32\n        self.block = Block(width, 8)\n        self.head = nn.GroupNorm(4, 16)\n',
      'train.py': 'from omegaconf import OmegaConf\nfrom nets import Block\nfrom settings import GROUPS, CHANNELS\n\ncfg = OmegaConf.load("conf/train.yaml")\nmodel = Block(CHANNELS, GROUPS)\n',
    };
    const edits: [string, string, string][] = [
      ['settings.py', 'GROUPS = 8', 'GROUPS = 10'],
      ['train.py', 'Block(CHANNELS, GROUPS)', 'Block(CHANNELS * 2, GROUPS)'],
      ['nets/blocks.py', 'groups=8', 'groups=7'],
      ['train.py', 'from settings import GROUPS, CHANNELS\n', 'from settings import GROUPS, CHANNELS\nEXTRA = 1\n'],
      ['nets/blocks.py', 'nn.GroupNorm(groups, channels)', 'nn.GroupNorm(3, channels)'],
      ['settings.py', 'CHANNELS = 30', 'CHANNELS = 33'],
      ['conf/train.yaml', 'batch_size: 4', 'batch_size: 1'],
      // A layer line beside a call into another file, then the local that call reads.
      ['nets/model.py', 'nn.GroupNorm(4, 16)', 'nn.GroupNorm(5, 16)'],
      ['nets/model.py', 'width = 32', 'width = 30'],
      ['nets/model.py', 'width = 30', 'width = 40'],
      // Imports typed and removed: the graph changes under the files that depend on them.
      ['train.py', 'from settings import GROUPS, CHANNELS\n', 'from settings import GROUPS\nCHANNELS = 64\n'],
      ['train.py', 'from settings import GROUPS\nCHANNELS = 64\n', 'from settings import GROUPS, CHANNELS\n'],
      ['nets/__init__.py', 'from .blocks import Block\n', 'from .blocks import Block as Block\nfrom .model import Model\n'],
      ['nets/model.py', 'from .blocks import Block\n', 'from nets.blocks import Block\n'],
    ];
    const index = await indexOf(files);
    const everything = (of: WorkspaceIndex): string[] => Object.keys(files).flatMap((path) => (of.lint(uriOf(path))?.findings ?? []).map((finding) => `${path}:${finding.range.start.line}:${finding.code}:${finding.message}`));
    for (const [path, search, replacement] of edits) {
      files[path] = files[path]!.replace(search, replacement);
      setFile(index, parser, path, files[path]!);
      assert.deepEqual(everything(index), everything(await indexOf(files)), `after editing ${path}`);
    }
  });
});
