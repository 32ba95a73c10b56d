// Measures the workspace index on a generated 2,000-file project shaped like a PyTorch research
// repository: how long reading, parsing and summarizing every file takes, how long the first full
// analysis takes, how much memory both hold, and how long a keystroke takes to re-analyse (in a
// model that training scripts build, and in such a script), alone and with the open files it
// affects, in process and through the language server. Prints figures and their ratio to the edit
// budget; it asserts nothing.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Parser } from '@vscode/tree-sitter-wasm';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';
import type { ProtocolConnection, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { createSeededRandom } from '../src/engine';
import { ParsedDocument, PythonParser } from '../src/python/pythonParser';
import type { SourceRange, TextChange } from '../src/python/pythonParser';
import { WorkspaceIndex } from '../src/workspace/workspaceIndex';
import { installRoot, loadPythonLanguage } from '../server/pythonLanguage';
import { median, percentile } from './statistics';

const editBudgetMs = 20;
const editCount = 200;
// `--files 500` measures a smaller workspace, to see how the figures grow with its size;
// `--in-process` skips the language server; `--time-limit 60` caps each phase at 60 s.
const pythonFileCount = Number(process.argv[process.argv.indexOf('--files') + 1]) || 2000;
const packageCount = Math.max(1, Math.round(pythonFileCount / 50));
const seed = 20240611;

interface SourceFile {
  path: string;
  text: string;
}

/** A keystroke and its undo, alternating, so every other edit changes the findings (or every line's position). */
interface EditTarget {
  path: string;
  label: string;
  /** The change for the `edit`-th keystroke (0-based); every odd one restores the text on disk. */
  change(edit: number): TextChange & { range: SourceRange };
}

interface Workspace {
  files: SourceFile[];
  edits: EditTarget[];
  /** The files open in the editor: the edited model and script, a block file the model imports and its package's `__init__.py`. */
  open: string[];
}

/** Replaces one character at `line`/`character` with `texts[0]`, then puts `texts[1]` back. */
function replacement(path: string, label: string, line: number, character: number, texts: [string, string]): EditTarget {
  return { path, label, change: (edit) => ({ range: { start: { line, character }, end: { line, character: character + 1 } }, text: texts[edit % 2]! }) };
}

/** Presses Enter at the start of `line`, then deletes the new line: everything below moves and moves back. */
function newLine(path: string, label: string, line: number): EditTarget {
  return {
    path,
    label,
    change: (edit) => (edit % 2 === 0 ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '\n' } : { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }),
  };
}

type Random = () => number;
type BlockKind = 'convNormAct' | 'bottleneck' | 'down' | 'residual' | 'squeeze';

interface BlockPlan {
  kind: BlockKind;
  className: string;
  /** `vision_core.blocks_3`. */
  module: string;
}

interface ModelPlan {
  className: string;
  module: string;
  fileName: string;
  stages: BlockPlan[];
  scripts: string[];
}

interface PackagePlan {
  name: string;
  blockFiles: BlockPlan[][];
  models: ModelPlan[];
  utilityCount: number;
}

const domains = ['vision', 'audio', 'detect', 'segment', 'diffusion', 'restore', 'depth', 'pose', 'track', 'classify'];
const flavours = ['core', 'nets', 'lab', 'zoo'];
const modelNames = ['resnet', 'unet', 'encoder', 'decoder', 'fpn', 'head', 'stem', 'backbone', 'neck', 'refiner', 'regnet', 'convnext', 'hourglass', 'pyramid', 'cascade', 'denoiser', 'upsampler', 'discriminator'];
const utilityNames = ['data', 'transforms', 'metrics', 'losses', 'schedulers', 'io_utils', 'visualize', 'augment', 'checkpoint', 'logging_utils', 'registry', 'export', 'profiling'];
const blockFilesPerPackage = 10;
const scriptsPerPackage = 8;
const configCount = 12;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const camel = (name: string): string => name.split('_').map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');

/** 50–600 lines, most files short: a power of a uniform value puts the median near 170. */
function targetLines(random: Random): number {
  return Math.round(50 + 550 * random() ** 2.2);
}

function plan(random: Random): PackagePlan[] {
  const packages: PackagePlan[] = [];
  // Two root modules (settings, hparams) and a fixed set per package; utilities take up the rest.
  const fixed = 2 + packageCount * (2 + blockFilesPerPackage + modelNames.length + scriptsPerPackage);
  const utilities = pythonFileCount - fixed;
  for (let index = 0; index < packageCount; index++) {
    const round = Math.floor(index / domains.length);
    const name = `${domains[index % domains.length]}_${flavours[round % flavours.length]}${round < flavours.length ? '' : Math.floor(round / flavours.length)}`;
    const blockFiles: BlockPlan[][] = [];
    for (let file = 0; file < blockFilesPerPackage; file++) {
      const module = `${name}.blocks_${file}`;
      const second: BlockKind = pick(random, ['bottleneck', 'down', 'residual', 'squeeze']);
      blockFiles.push([
        { kind: 'convNormAct', className: `ConvNormAct${file}`, module },
        { kind: second, className: `${camel(second === 'down' ? 'down_block' : second === 'residual' ? 'residual_block' : second === 'squeeze' ? 'squeeze_excite' : second)}${file}`, module },
      ]);
    }
    packages.push({ name, blockFiles, models: [], utilityCount: Math.floor(utilities / packageCount) + (index < utilities % packageCount ? 1 : 0) });
  }
  for (const packagePlan of packages) {
    for (const modelName of modelNames) {
      const stages: BlockPlan[] = [];
      for (let stage = 0; stage < 3; stage++) {
        // Most stages come from the package's own blocks, some from another package's.
        const source = random() < 0.25 ? pick(random, packages) : packagePlan;
        stages.push(pick(random, pick(random, source.blockFiles)));
      }
      packagePlan.models.push({ className: `${camel(packagePlan.name)}${camel(modelName)}`, module: `${packagePlan.name}.${modelName}`, fileName: `${modelName}.py`, stages, scripts: [] });
    }
  }
  return packages;
}

/** Lines of Python, with the line each recorded marker landed on. */
class PythonWriter {
  readonly lines: string[] = [];
  readonly marks = new Map<string, number>();

  add(...lines: string[]): this {
    this.lines.push(...lines);
    return this;
  }

  mark(name: string, line: string): this {
    this.marks.set(name, this.lines.length);
    this.lines.push(line);
    return this;
  }

  get length(): number {
    return this.lines.length;
  }

  get text(): string {
    return this.lines.join('\n') + '\n';
  }
}

function blockClass(block: BlockPlan, inner: BlockPlan | undefined): string[] {
  const name = block.className;
  switch (block.kind) {
    case 'convNormAct':
      return [
        `class ${name}(nn.Module):`,
        '    """Convolution, group normalization and SiLU: the unit every stage is built from."""',
        '',
        '    def __init__(self, in_channels, out_channels, groups=GROUPS, kernel_size=3, stride=1):',
        '        super().__init__()',
        '        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=kernel_size // 2, bias=False)',
        '        self.norm = nn.GroupNorm(groups, out_channels)',
        '        self.act = nn.SiLU(inplace=True)',
        '',
        '    def forward(self, x):',
        '        return self.act(self.norm(self.conv(x)))',
      ];
    case 'bottleneck':
      return [
        `class ${name}(nn.Module):`,
        '    """ResNet bottleneck: 1x1 reduce, 3x3, 1x1 expand, batch-normalized."""',
        '',
        '    expansion = 4',
        '',
        '    def __init__(self, in_channels, planes, stride=1, momentum=BN_MOMENTUM):',
        '        super().__init__()',
        '        self.conv1 = nn.Conv2d(in_channels, planes, 1, bias=False)',
        '        self.bn1 = nn.BatchNorm2d(planes, momentum=momentum)',
        '        self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, padding=1, bias=False)',
        '        self.bn2 = nn.BatchNorm2d(planes, momentum=momentum)',
        '        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)',
        '        self.bn3 = nn.BatchNorm2d(planes * 4, momentum=momentum)',
        '        self.relu = nn.ReLU(inplace=True)',
        '        self.downsample = None',
        '        if stride != 1 or in_channels != planes * 4:',
        '            self.downsample = nn.Sequential(',
        '                nn.Conv2d(in_channels, planes * 4, 1, stride=stride, bias=False),',
        '                nn.BatchNorm2d(planes * 4, momentum=momentum),',
        '            )',
        '',
        '    def forward(self, x):',
        '        identity = x',
        '        out = self.relu(self.bn1(self.conv1(x)))',
        '        out = self.relu(self.bn2(self.conv2(out)))',
        '        out = self.bn3(self.conv3(out))',
        '        if self.downsample is not None:',
        '            identity = self.downsample(x)',
        '        return self.relu(out + identity)',
      ];
    case 'down':
      return [
        `class ${name}(nn.Module):`,
        '    """Halves the resolution: a strided convolution stack beside an average-pooled shortcut."""',
        '',
        '    def __init__(self, in_channels, out_channels, groups=GROUPS):',
        '        super().__init__()',
        '        self.body = nn.Sequential(',
        '            nn.Conv2d(in_channels, out_channels, 3, stride=2, padding=1, bias=False),',
        '            nn.GroupNorm(groups, out_channels),',
        '            nn.SiLU(inplace=True),',
        '            nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),',
        '            nn.GroupNorm(groups, out_channels),',
        '        )',
        '        self.skip = nn.Sequential(nn.AvgPool2d(2), nn.Conv2d(in_channels, out_channels, 1, bias=False))',
        '        self.act = nn.SiLU(inplace=True)',
        '',
        '    def forward(self, x):',
        '        return self.act(self.body(x) + self.skip(x))',
      ];
    case 'residual':
      return [
        `class ${name}(nn.Module):`,
        '    """Two convolutions around a dropout, added back to the input."""',
        '',
        '    def __init__(self, channels, groups=GROUPS, dropout=0.0):',
        '        super().__init__()',
        `        self.first = ${inner!.className}(channels, channels, groups)`,
        '        self.dropout = nn.Dropout2d(dropout)',
        '        self.second = nn.Conv2d(channels, channels, 3, padding=1, bias=False)',
        '        self.norm = nn.GroupNorm(groups, channels)',
        '        self.act = nn.SiLU(inplace=True)',
        '',
        '    def forward(self, x):',
        '        out = self.first(x)',
        '        out = self.norm(self.second(self.dropout(out)))',
        '        return self.act(out + x)',
      ];
    case 'squeeze':
      return [
        `class ${name}(nn.Module):`,
        '    """Channel attention: pooled statistics rescale each channel."""',
        '',
        '    def __init__(self, channels, reduction=4):',
        '        super().__init__()',
        '        hidden = max(8, channels // reduction)',
        '        self.pool = nn.AdaptiveAvgPool2d(1)',
        '        self.fc1 = nn.Conv2d(channels, hidden, 1)',
        '        self.fc2 = nn.Conv2d(hidden, channels, 1)',
        '',
        '    def forward(self, x):',
        '        scale = torch.sigmoid(self.fc2(torch.relu(self.fc1(self.pool(x)))))',
        '        return x * scale',
      ];
  }
}

/** A block applied to `channels`: the call and the channels it produces. */
function stageCall(block: BlockPlan, channels: string, doubled: string): { call: string; out: string } {
  switch (block.kind) {
    case 'convNormAct':
    case 'down':
      return { call: `${block.className}(${channels}, ${doubled}, groups)`, out: doubled };
    case 'bottleneck':
      return { call: `${block.className}(${channels}, ${channels} // 4)`, out: channels };
    case 'residual':
      return { call: `${block.className}(${channels}, groups)`, out: channels };
    case 'squeeze':
      return { call: `${block.className}(${channels})`, out: channels };
  }
}

/** Plain helper code of the kind every repository carries: no layers, some loops and dictionaries. */
function helperFunction(random: Random, index: number): string[] {
  const name = pick(random, ['collate', 'normalize', 'resize', 'summarize', 'accumulate', 'format', 'select', 'merge', 'split', 'smooth']);
  const noun = pick(random, ['batch', 'records', 'scores', 'images', 'stats', 'paths', 'labels', 'history']);
  const limit = 2 + Math.floor(random() * 30);
  switch (Math.floor(random() * 4)) {
    case 0:
      return [
        `def ${name}_${noun}_${index}(${noun}, limit=${limit}):`,
        `    """${camel(name)} up to ${limit} ${noun}, skipping empty entries."""`,
        '    result = []',
        `    for position, item in enumerate(${noun}):`,
        '        if position >= limit:',
        '            break',
        '        if item is None:',
        '            continue',
        '        result.append(item)',
        '    return result',
      ];
    case 1:
      return [
        `def ${name}_${noun}_${index}(${noun}, scale=${(random() * 4).toFixed(2)}):`,
        `    totals = {}`,
        `    for key, value in ${noun}.items():`,
        '        totals[key] = totals.get(key, 0.0) + value * scale',
        '    count = max(1, len(totals))',
        '    mean = sum(totals.values()) / count',
        '    return {key: value - mean for key, value in totals.items()}',
      ];
    case 2:
      return [
        `class ${camel(noun)}Tracker${index}:`,
        `    """Keeps a running average of ${noun} over the last ${limit} steps."""`,
        '',
        `    def __init__(self, window=${limit}):`,
        '        self.window = window',
        '        self.values = []',
        '',
        '    def update(self, value):',
        '        self.values.append(float(value))',
        '        if len(self.values) > self.window:',
        '            self.values.pop(0)',
        '',
        '    @property',
        '    def average(self):',
        '        return sum(self.values) / max(1, len(self.values))',
      ];
    default:
      return [
        `def ${name}_${noun}_${index}(tensor, dim=${Math.floor(random() * 3) + 1}, eps=1e-${4 + Math.floor(random() * 4)}):`,
        '    if tensor.numel() == 0:',
        '        return tensor',
        '    mean = tensor.mean(dim=dim, keepdim=True)',
        '    std = tensor.std(dim=dim, keepdim=True)',
        '    return (tensor - mean) / (std + eps)',
      ];
  }
}

function fillWithHelpers(writer: PythonWriter, random: Random, target: number): void {
  for (let index = 0; writer.length < target; index++) writer.add('', '', ...helperFunction(random, index));
}

function settingsFile(random: Random): string {
  const writer = new PythonWriter().add(
    '"""Hyperparameters shared by every package: change them here, not in the models."""',
    '',
    'BASE_WIDTH = 64',
    'NORM_GROUPS = 32',
    'NUM_CLASSES = 1000',
    'IMAGE_SIZE = 224',
    'BN_MOMENTUM = 0.1',
    'BN_EPS = 1e-5',
    'DROPOUT = 0.1',
    '',
  );
  for (let index = 0; writer.length < 70; index++) {
    const dataset = pick(random, ['imagenet', 'cifar', 'coco', 'ade', 'cityscapes', 'kitti', 'voc']);
    writer.add(`${dataset.toUpperCase()}_MEAN_${index} = (${[0, 1, 2].map(() => random().toFixed(3)).join(', ')})`);
  }
  return writer.text;
}

function hparamsFile(): string {
  return new PythonWriter()
    .add('"""Optimization defaults for the training scripts."""', '', 'BATCH_SIZE = 64', 'EVAL_BATCH_SIZE = 128', 'LEARNING_RATE = 0.1', 'WEIGHT_DECAY = 1e-4', 'EPOCHS = 90', 'WARMUP_EPOCHS = 5', 'NUM_WORKERS = 8')
    .text;
}

function packageConfigFile(random: Random): string {
  const writer = new PythonWriter().add(
    '"""Settings of this package, derived from the project-wide ones."""',
    'from settings import BN_MOMENTUM as GLOBAL_BN_MOMENTUM',
    'from settings import NORM_GROUPS',
    '',
    'GROUPS = NORM_GROUPS',
    'BN_MOMENTUM = GLOBAL_BN_MOMENTUM',
    `STAGE_DEPTHS = (${[0, 1, 2, 3].map(() => 1 + Math.floor(random() * 4)).join(', ')})`,
  );
  return writer.text;
}

function blocksFile(random: Random, packagePlan: PackagePlan, file: number): string {
  const [first, second] = packagePlan.blockFiles[file]!;
  const writer = new PythonWriter().add(`"""Building blocks of ${packagePlan.name}, part ${file}."""`, 'import torch', 'import torch.nn as nn', '');
  writer.add('from .config import BN_MOMENTUM, GROUPS');
  // A residual block wraps a unit from an earlier block file of the package (or this one's).
  const innerFile = file === 0 ? 0 : Math.floor(random() * file);
  const inner = packagePlan.blockFiles[innerFile]![0]!;
  if (second!.kind === 'residual' && innerFile !== file) writer.add(`from .blocks_${innerFile} import ${inner.className}`);
  writer.add('', '', ...blockClass(first!, undefined), '', '', ...blockClass(second!, innerFile === file ? first : inner));
  const target = targetLines(random);
  for (let extra = 0; writer.length < target - 20; extra++) {
    const kind: BlockKind = pick(random, ['convNormAct', 'bottleneck', 'down', 'squeeze']);
    writer.add('', '', ...blockClass({ kind, className: `${camel(kind)}${file}Variant${extra}`, module: first!.module }, undefined));
  }
  writer.add(
    '',
    '',
    'def make_stage(block, in_channels, out_channels, depth, groups=GROUPS):',
    '    layers = [block(in_channels, out_channels, groups)]',
    '    for _ in range(depth - 1):',
    '        layers.append(block(out_channels, out_channels, groups))',
    '    return nn.Sequential(*layers)',
  );
  return writer.text;
}

/** A model file; marks `headNorm`, the GroupNorm line an edit flips between 16 and 15 groups. */
function modelFile(random: Random, packagePlan: PackagePlan, model: ModelPlan): PythonWriter {
  const writer = new PythonWriter().add(`"""${model.className}: a ${model.fileName.replace('.py', '')} for ${packagePlan.name}."""`, 'import torch', 'import torch.nn as nn', '');
  writer.mark('settingsImport', 'from settings import BASE_WIDTH, NORM_GROUPS, NUM_CLASSES');
  const byModule = new Map<string, string[]>();
  for (const stage of model.stages) byModule.set(stage.module, [...new Set([...(byModule.get(stage.module) ?? []), stage.className])]);
  for (const [module, names] of byModule) {
    const local = module.startsWith(`${packagePlan.name}.`);
    writer.add(`from ${local ? module.slice(packagePlan.name.length) : module} import ${names.join(', ')}`);
  }
  writer.add('', '');
  writer.mark('class', `class ${model.className}(nn.Module):`);
  writer.add(
    `    """Stem, three stages and a classifier head."""`,
    '',
    '    def __init__(self, in_channels=3, width=BASE_WIDTH, groups=NORM_GROUPS, num_classes=NUM_CLASSES):',
    '        super().__init__()',
    '        self.stem = nn.Sequential(',
    '            nn.Conv2d(in_channels, width, 3, stride=2, padding=1, bias=False),',
    '            nn.BatchNorm2d(width),',
    '            nn.ReLU(inplace=True),',
    '        )',
  );
  let channels = 'width';
  let multiplier = 1;
  model.stages.forEach((stage, index) => {
    const doubled = `width * ${multiplier * 2}`;
    const { call, out } = stageCall(stage, channels, doubled);
    if (out === doubled) multiplier *= 2;
    channels = out;
    writer.add(`        self.stage${index + 1} = ${call}`);
  });
  writer.mark('headNorm', `        self.head_norm = nn.GroupNorm(16, ${channels})`);
  writer.add(
    '        self.pool = nn.AdaptiveAvgPool2d(1)',
    `        self.fc = nn.Linear(${channels}, num_classes)`,
    '',
    '    def forward(self, x):',
    '        x = self.stem(x)',
    '        x = self.stage1(x)',
    '        x = self.stage2(x)',
    '        x = self.stage3(x)',
    '        x = self.head_norm(x)',
    '        return self.fc(torch.flatten(self.pool(x), 1))',
    '',
    '',
    `def build_${model.fileName.replace('.py', '')}(variant="base", **kwargs):`,
    '    widths = {"small": 32, "base": 64, "large": 96}',
    `    return ${model.className}(width=widths[variant], **kwargs)`,
    '',
    '',
    'def init_weights(module):',
    '    for layer in module.modules():',
    '        if isinstance(layer, nn.Conv2d):',
    '            nn.init.kaiming_normal_(layer.weight, mode="fan_out", nonlinearity="relu")',
    '        elif isinstance(layer, (nn.BatchNorm2d, nn.GroupNorm)):',
    '            nn.init.ones_(layer.weight)',
    '            nn.init.zeros_(layer.bias)',
  );
  const target = targetLines(random);
  for (let extra = 0; writer.length < target; extra++) {
    if (random() < 0.5) {
      const kind: BlockKind = pick(random, ['convNormAct', 'bottleneck', 'down', 'squeeze']);
      writer.add('', '', ...blockClass({ kind, className: `_Local${camel(kind)}${extra}`, module: model.module }, undefined).map((line) => line.replace(/=GROUPS\b/, '=NORM_GROUPS').replace(/=BN_MOMENTUM\b/, '=0.1')));
    } else writer.add('', '', ...helperFunction(random, extra));
  }
  return writer;
}

function initFile(packagePlan: PackagePlan): string {
  const writer = new PythonWriter().add(`"""${packagePlan.name}: models and blocks."""`);
  for (const model of packagePlan.models) writer.add(`from .${model.fileName.replace('.py', '')} import ${model.className}`);
  writer.add('from .blocks_0 import ConvNormAct0', '', `__all__ = [${[...packagePlan.models.map((model) => model.className), 'ConvNormAct0'].map((name) => `"${name}"`).join(', ')}]`);
  return writer.text;
}

function configYaml(random: Random, index: number): string {
  // A few configs carry the mistakes normlint exists for: groups that do not divide, a batch of one.
  const groups = index % 5 === 3 ? 24 : pick(random, [8, 16, 32]);
  const batchSize = index % 7 === 4 ? 1 : pick(random, [32, 64, 128, 256]);
  return [
    `# Experiment ${index}`,
    'model:',
    `  width: ${pick(random, [32, 64, 96])}`,
    `  groups: ${groups}`,
    '  in_channels: 3',
    'train:',
    `  batch_size: ${batchSize}`,
    `  epochs: ${pick(random, [30, 90, 300])}`,
    `  lr: ${pick(random, ['0.1', '0.05', '0.001'])}`,
    'data:',
    `  image_size: ${pick(random, [32, 224, 256])}`,
    '  num_workers: 8',
    '',
  ].join('\n');
}

type ScriptStyle = 'moduleLevel' | 'main' | 'omegaconf';

/** A training script; marks `constructor`, the line that builds its model (with `groups=16` outside the OmegaConf style). */
function scriptFile(random: Random, packagePlan: PackagePlan, model: ModelPlan, other: ModelPlan | undefined, style: ScriptStyle): PythonWriter {
  const writer = new PythonWriter().add(`"""Trains ${model.className} on synthetic data."""`);
  if (style === 'main') writer.add('import argparse', '');
  writer.add('import torch', 'import torch.nn as nn');
  if (style === 'omegaconf') writer.add('from omegaconf import OmegaConf');
  writer.add('from torch.utils.data import DataLoader, TensorDataset', '', `from ${packagePlan.name} import ${model.className}`);
  if (other) writer.add(random() < 0.5 ? `from ${other.module.split('.')[0]} import ${other.className}` : `from ${other.module} import ${other.className}`);
  writer.add('from hparams import BATCH_SIZE, EPOCHS, LEARNING_RATE', '', '');
  const samples = pick(random, [256, 512, 1000, 1025]);
  const dataset = `    dataset = TensorDataset(torch.randn(${samples}, 3, 32, 32), torch.randint(0, 10, (${samples},)))`;
  const loop = (indent: string, loader: string, epochs: string): string[] =>
    [
      `for epoch in range(${epochs}):`,
      '    model.train()',
      `    for images, labels in ${loader}:`,
      '        loss = criterion(model(images), labels)',
      '        optimizer.zero_grad()',
      '        loss.backward()',
      '        optimizer.step()',
      '    scheduler.step()',
    ].map((line) => indent + line);
  if (style === 'moduleLevel') {
    writer.mark('constructor', `model = ${model.className}(in_channels=3, width=64, groups=16)`);
    if (other) writer.add(`teacher = ${other.className}(width=${pick(random, [32, 64])}, groups=${pick(random, [8, 16, 32])})`);
    writer.add(
      dataset.trimStart(),
      'loader = DataLoader(dataset, batch_size=BATCH_SIZE, shuffle=True, drop_last=True)',
      'criterion = nn.CrossEntropyLoss()',
      'optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)',
      'scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, EPOCHS)',
      '',
      ...loop('', 'loader', 'EPOCHS'),
    );
  } else if (style === 'main') {
    writer.add(
      'def parse_args():',
      '    parser = argparse.ArgumentParser(description=__doc__)',
      `    parser.add_argument("--batch-size", type=int, default=${pick(random, [2, 16, 64, 128])})`,
      '    parser.add_argument("--epochs", type=int, default=EPOCHS)',
      '    parser.add_argument("--lr", type=float, default=LEARNING_RATE)',
      '    return parser.parse_args()',
      '',
      '',
      'def main():',
      '    args = parse_args()',
    );
    writer.mark('constructor', `    model = ${model.className}(in_channels=3, width=64, groups=16)`);
    writer.add(
      dataset,
      '    loader = DataLoader(dataset, batch_size=args.batch_size, shuffle=True)',
      '    criterion = nn.CrossEntropyLoss()',
      '    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)',
      '    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, args.epochs)',
      ...loop('    ', 'loader', 'args.epochs'),
    );
  } else {
    writer.add(`cfg = OmegaConf.load("configs/experiment_${Math.floor(random() * configCount)}.yaml")`, '');
    writer.mark('constructor', `model = ${model.className}(in_channels=cfg.model.in_channels, width=cfg.model.width, groups=cfg.model.groups)`);
    writer.add(
      dataset.trimStart(),
      'loader = DataLoader(dataset, batch_size=cfg.train.batch_size, shuffle=True)',
      'criterion = nn.CrossEntropyLoss()',
      'optimizer = torch.optim.SGD(model.parameters(), lr=cfg.train.lr, momentum=0.9)',
      'scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, cfg.train.epochs)',
      '',
      ...loop('', 'loader', 'cfg.train.epochs'),
    );
  }
  const target = Math.min(400, targetLines(random));
  const trailer = style === 'main' ? ['', '', 'if __name__ == "__main__":', '    main()'] : [];
  fillWithHelpers(writer, random, target - trailer.length);
  writer.add(...trailer);
  return writer;
}

function utilityFile(random: Random, packagePlan: PackagePlan, name: string): string {
  const writer = new PythonWriter().add(`"""${camel(name)} helpers for ${packagePlan.name}."""`, 'import math', 'import os', '', 'import torch', '');
  if (random() < 0.6) writer.add('from settings import IMAGE_SIZE, NUM_CLASSES');
  if (random() < 0.3) writer.add(`from .config import STAGE_DEPTHS`);
  fillWithHelpers(writer, random, targetLines(random));
  return writer.text;
}

function generate(): Workspace {
  const random = createSeededRandom(seed);
  const packages = plan(random);
  const files: SourceFile[] = [
    { path: 'settings.py', text: settingsFile(random) },
    { path: 'hparams.py', text: hparamsFile() },
  ];
  for (let index = 0; index < configCount; index++) files.push({ path: `configs/experiment_${index}.yaml`, text: configYaml(random, index) });

  // Scripts are planned before models are written, so the edited model can be one that scripts build.
  const scriptPlans: { packagePlan: PackagePlan; model: ModelPlan; other: ModelPlan | undefined; style: ScriptStyle; fileName: string }[] = [];
  for (const packagePlan of packages) {
    for (let script = 0; script < scriptsPerPackage; script++) {
      const model = pick(random, packagePlan.models);
      const other = random() < 0.4 ? pick(random, pick(random, packages).models) : undefined;
      const style: ScriptStyle = script % 4 === 3 ? 'omegaconf' : script % 2 === 0 ? 'moduleLevel' : 'main';
      const fileName = `train_${model.fileName.replace('.py', '')}_${script}.py`;
      scriptPlans.push({ packagePlan, model, other, style, fileName });
      model.scripts.push(`${packagePlan.name}/${fileName}`);
      if (other && other !== model) other.scripts.push(`${packagePlan.name}/${fileName}`);
    }
  }
  const middle = packages[Math.floor(packageCount / 2)]!;
  // The edited model is one of the middle package's that a script builds with literal arguments, and of those the one most scripts build.
  const candidates = scriptPlans.filter((scriptPlan) => scriptPlan.packagePlan === middle && scriptPlan.style !== 'omegaconf').map((scriptPlan) => scriptPlan.model);
  const edited = [...new Set(candidates)].sort((first, second) => second.scripts.length - first.scripts.length)[0]!;

  const edits: EditTarget[] = [];
  let alsoOpenBlocks: string | undefined;
  for (const packagePlan of packages) {
    files.push({ path: `${packagePlan.name}/__init__.py`, text: initFile(packagePlan) });
    files.push({ path: `${packagePlan.name}/config.py`, text: packageConfigFile(random) });
    for (let file = 0; file < blockFilesPerPackage; file++) files.push({ path: `${packagePlan.name}/blocks_${file}.py`, text: blocksFile(random, packagePlan, file) });
    for (const modelPlan of packagePlan.models) {
      const writer = modelFile(random, packagePlan, modelPlan);
      const path = `${packagePlan.name}/${modelPlan.fileName}`;
      files.push({ path, text: writer.text });
      if (modelPlan === edited) {
        const line = writer.marks.get('headNorm')!;
        const summary = `${path} (built by ${edited.scripts.length} scripts, importing ${new Set(edited.stages.map((stage) => stage.module)).size} block files)`;
        edits.push(replacement(path, `a layer line in a model, ${summary}: GroupNorm(16 ↔ 15, …)`, line, writer.lines[line]!.indexOf('(16') + 2, ['5', '6']));
        edits.push(newLine(path, `Enter above the model's class, ${path}: every line below it moves`, writer.marks.get('class')!));
        const importLine = writer.marks.get('settingsImport')!;
        edits.push(replacement(path, `an import line in the model, ${path}: NUM_CLASSES ↔ NUM_CLASSEX`, importLine, writer.lines[importLine]!.lastIndexOf('S'), ['X', 'S']));
        const localBlock = modelPlan.stages.find((stage) => stage.module.startsWith(`${packagePlan.name}.`)) ?? modelPlan.stages[0]!;
        alsoOpenBlocks = `${localBlock.module.replaceAll('.', '/')}.py`;
      }
    }
    for (let index = 0; index < packagePlan.utilityCount; index++) {
      const name = utilityNames[index % utilityNames.length]!;
      files.push({ path: `${packagePlan.name}/${name}${index < utilityNames.length ? '' : `_${index}`}.py`, text: utilityFile(random, packagePlan, name) });
    }
  }
  let script: EditTarget | undefined;
  for (const scriptPlan of scriptPlans) {
    const writer = scriptFile(random, scriptPlan.packagePlan, scriptPlan.model, scriptPlan.other, scriptPlan.style);
    const path = `${scriptPlan.packagePlan.name}/${scriptPlan.fileName}`;
    files.push({ path, text: writer.text });
    if (!script && scriptPlan.model === edited && scriptPlan.style !== 'omegaconf') {
      const line = writer.marks.get('constructor')!;
      script = replacement(path, `the model's arguments in a training script, ${path}: groups=16 ↔ 15`, line, writer.lines[line]!.indexOf('groups=16') + 'groups=1'.length, ['5', '6']);
    }
  }
  if (edits.length === 0 || !script || !alsoOpenBlocks) throw new Error('the generated workspace has no model that a literal-argument script builds; change the seed');
  return { files, edits: [...edits, script], open: [edits[0]!.path, script.path, alsoOpenBlocks, `${middle.name}/__init__.py`] };
}

/** How long one phase may run before it stops and reports what it finished: a slow index must not make the benchmark hang. */
const phaseLimitMs = (Number(process.argv[process.argv.indexOf('--time-limit') + 1]) || 120) * 1000;

/** The tree-sitter runtime's module object: Emscripten keeps its heap views on it, so its size is visible. */
interface RuntimeModule {
  locateFile(file: string): string;
  HEAP8?: Int8Array;
}

class MemoryPeaks {
  rss = 0;
  heapUsed = 0;
  readonly startRss = process.memoryUsage.rss();
  readonly startHeap = process.memoryUsage().heapUsed;

  constructor(private readonly runtime: RuntimeModule) {}

  sample(): void {
    const usage = process.memoryUsage();
    this.rss = Math.max(this.rss, usage.rss);
    this.heapUsed = Math.max(this.heapUsed, usage.heapUsed);
  }

  /** WebAssembly memory only grows, so its size now is its peak. */
  get wasmBytes(): number | undefined {
    return this.runtime.HEAP8?.buffer.byteLength;
  }
}

const collect = (globalThis as { gc?: () => void }).gc;
/** Run with `--expose-gc` (as `npm run bench:workspace` does), the heap is what the index keeps, not what the collector has yet to reclaim. */
const heapMeaning = collect ? 'kept' : 'used (garbage included: run with --expose-gc)';

function retainedHeap(): number {
  collect?.();
  return process.memoryUsage().heapUsed;
}

const format = (milliseconds: number): string => (milliseconds >= 10000 ? `${(milliseconds / 1000).toFixed(1)} s` : `${milliseconds.toFixed(2)} ms`);
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const count = (value: number): string => value.toLocaleString('en-US');
const stopped = (done: number, of: number): string => (done < of ? `  — stopped at the ${phaseLimitMs / 1000} s limit after ${count(done)} of ${count(of)}` : '');

/** Latencies of one kind of keystroke: the edited file alone, and with the open files it affects. */
function printEdits(alone: number[], withOpen: number[], openCount: number): void {
  console.log(`  edited file re-analysed, median           ${format(median(alone))}  (p90 ${format(percentile(alone, 0.9))}, first ${format(alone[0]!)}, ${alone.length} edits)${stopped(alone.length, editCount)}`);
  console.log(`  + ${openCount} affected open files, median         ${format(median(withOpen))}  (p90 ${format(percentile(withOpen, 0.9))})`);
  console.log(`  budget ${editBudgetMs} ms: median is ${(median(alone) / editBudgetMs).toFixed(2)}× alone, ${(median(withOpen) / editBudgetMs).toFixed(2)}× with the open files`);
}


async function inProcess(parser: PythonParser, runtime: RuntimeModule, root: string, paths: readonly string[], workspace: Workspace): Promise<void> {
  const uriOf = (path: string): string => pathToFileURL(join(root, path)).href;
  const python = paths.filter((path) => path.endsWith('.py'));
  const memory = new MemoryPeaks(runtime);
  const index = new WorkspaceIndex(parser.language);
  let started = performance.now();
  let parseTime = 0;
  // As the server reads the workspace: one tree at a time, freed as soon as it is summarized.
  for (const [position, path] of paths.entries()) {
    const text = readFileSync(join(root, path), 'utf8');
    if (!path.endsWith('.py')) {
      index.setConfigFile(uriOf(path), path, text);
      continue;
    }
    const parseStarted = performance.now();
    const tree = parser.parse(text);
    parseTime += performance.now() - parseStarted;
    index.setPythonFile(uriOf(path), path, tree);
    tree.delete();
    if (position % 25 === 0) memory.sample();
  }
  const indexTime = performance.now() - started;
  memory.sample();
  const afterIndex = { rss: process.memoryUsage.rss(), heap: retainedHeap() };
  console.log('in process (WorkspaceIndex, no LSP transport):');
  console.log(`  time to index              ${format(indexTime)}  (parse ${format(parseTime)}), ${count(Math.round((python.length / indexTime) * 1000))} files/s`);
  console.log(`  memory after indexing      RSS ${megabytes(afterIndex.rss)} (${megabytes(memory.startRss)} before), JS heap ${megabytes(afterIndex.heap)} ${heapMeaning} (${megabytes(memory.startHeap)} before)`);

  started = performance.now();
  let linted = 0;
  let findingCount = 0;
  let filesWithFindings = 0;
  let crossFileFindings = 0;
  for (const path of python) {
    if (performance.now() - started > phaseLimitMs) break;
    const findings = index.lint(uriOf(path))?.findings ?? [];
    linted++;
    findingCount += findings.length;
    if (findings.length > 0) filesWithFindings++;
    crossFileFindings += findings.filter((finding) => finding.related?.some((related) => related.uri !== undefined)).length;
    if (linted % 25 === 0) memory.sample();
  }
  const analysisTime = performance.now() - started;
  memory.sample();
  const afterAnalysis = retainedHeap();
  console.log(`  first full analysis        ${format(analysisTime)}  (lint of every file), ${count(Math.round((linted / analysisTime) * 1000))} files/s${stopped(linted, python.length)}`);
  console.log(`  JS heap after it            ${megabytes(afterAnalysis)} ${heapMeaning}`);
  console.log(`  findings                   ${count(findingCount)} in ${count(filesWithFindings)} files, ${count(crossFileFindings)} pointing into another file`);
  if (linted === python.length) {
    started = performance.now();
    const links = index.links();
    console.log(
      `  cross-file links           ${count(links.imports)} imports, ${count(links.crossFileCalls)} calls, ${count(links.layersBuiltAcrossFiles)} layers built across files, ${count(links.configValues)} config values read  (${format(performance.now() - started)})`,
    );
  } else console.log('  cross-file links           not counted: the first analysis did not finish');
  const wasm = memory.wasmBytes;
  console.log(`  peak memory                RSS ${megabytes(memory.rss)}, JS heap ${megabytes(memory.heapUsed)}, tree-sitter wasm memory ${wasm === undefined ? 'not visible' : megabytes(wasm)}`);

  const open = workspace.open.map(uriOf);
  for (const target of workspace.edits) {
    const uri = uriOf(target.path);
    const document = new ParsedDocument(parser, readFileSync(join(root, target.path), 'utf8'));
    index.setPythonFile(uri, target.path, document.tree);
    const affected = index.affectedBy(uri);
    const openAffected = open.filter((other) => other !== uri && affected.includes(other));
    console.log(`typing: ${target.label}`);
    console.log(`  affects ${count(affected.length)} files; ${openAffected.length} other open files among them`);
    const alone: number[] = [];
    const withOpen: number[] = [];
    const parses: number[] = [];
    const phaseStarted = performance.now();
    for (let edit = 0; edit < editCount && performance.now() - phaseStarted < phaseLimitMs; edit++) {
      const editStarted = performance.now();
      document.applyChanges([target.change(edit)]);
      const tree = document.tree;
      parses.push(performance.now() - editStarted);
      index.setPythonFile(uri, target.path, tree);
      index.lint(uri);
      alone.push(performance.now() - editStarted);
      // As the server re-publishes after an edit: every open file the edit may have changed.
      for (const other of index.affectedBy(uri)) if (openAffected.includes(other)) index.lint(other);
      withOpen.push(performance.now() - editStarted);
      if (edit % 10 === 0) memory.sample();
    }
    // Back to the text on disk, so the next target's edits start from the same workspace.
    if (alone.length % 2 === 1) {
      document.applyChanges([target.change(1)]);
      index.setPythonFile(uri, target.path, document.tree);
    }
    document.dispose();
    console.log(`  incremental parse, median                 ${format(median(parses))}`);
    printEdits(alone, withOpen, openAffected.length);
  }
  console.log(`  peak over the in-process run: RSS ${megabytes(memory.rss)}, JS heap ${megabytes(memory.heapUsed)}`);
}

/** A client that opens the generated workspace as a folder, as an editor does. */
class WorkspaceClient {
  readonly connection: ProtocolConnection;
  private readonly published = new Map<string, { params: PublishDiagnosticsParams; at: number }[]>();
  private readonly waiters: (() => void)[] = [];
  indexedAt: number | undefined;
  /** Set when the server process ended, so no wait outlives it. */
  exitCode: number | null | undefined;

  constructor(private readonly child: ChildProcess) {
    child.once('exit', (code) => {
      this.exitCode = code;
      this.wake();
    });
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, [...(this.published.get(params.uri) ?? []), { params, at: performance.now() }]);
      this.wake();
    });
    // The server reports indexing as work-done progress; its end is when the index is ready.
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      this.connection.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind === 'end') {
          this.indexedAt = performance.now();
          this.wake();
        }
      });
    });
    this.connection.listen();
  }

  /** How many diagnostics notifications `uri` has received so far. */
  publishedCount(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  latest(uri: string): PublishDiagnosticsParams | undefined {
    return this.published.get(uri)?.at(-1)?.params;
  }

  /** When `uri`'s diagnostics last arrived. */
  publishedAt(uri: string): number | undefined {
    return this.published.get(uri)?.at(-1)?.at;
  }

  /** Waits until `done` holds; false when `deadline` (a performance.now() time) passes first. */
  async until(done: () => boolean, deadline: number): Promise<boolean> {
    for (;;) {
      if (done()) return true;
      const remaining = deadline - performance.now();
      if (remaining <= 0 || this.exitCode !== undefined) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Ends the server; one still busy analysing is killed rather than waited for. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.child.kill(), 5000);
    void this.connection.sendRequest(ShutdownRequest.type).then(() => this.connection.sendNotification(ExitNotification.type), () => undefined);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

async function overLsp(root: string, workspace: Workspace): Promise<void> {
  console.log(`over LSP (dist/server.js --stdio, the generated folder as the workspace, default settings, ${workspace.open.length} files open):`);
  const uriOf = (path: string): string => pathToFileURL(join(root, path)).href;
  const started = performance.now();
  const client = new WorkspaceClient(spawn(process.execPath, [join(installRoot(), 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] }));
  try {
    const rootUri = pathToFileURL(root).href;
    const initialized = client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'workspace' }],
      capabilities: { window: { workDoneProgress: true } },
    });
    // A server that dies at start never answers: stop waiting when it exits.
    const answered = await Promise.race([initialized.then(() => true, () => false), client.until(() => false, started + phaseLimitMs)]);
    if (!answered || client.exitCode !== undefined) {
      console.log(client.exitCode === undefined ? `  the server did not answer within ${phaseLimitMs / 1000} s` : `  the server exited (code ${client.exitCode}) before answering`);
      return;
    }
    await client.connection.sendNotification(InitializedNotification.type, {});
    if (!(await client.until(() => client.indexedAt !== undefined, started + phaseLimitMs))) {
      console.log(client.exitCode === undefined ? `  the server reported no finished indexing within ${phaseLimitMs / 1000} s` : `  the server exited (code ${client.exitCode})`);
      return;
    }
    console.log(`  server start to workspace indexed and analysed   ${format(client.indexedAt! - started)}`);

    const open = workspace.open;
    const opened = performance.now();
    for (const path of open) {
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(path), languageId: 'python', version: 1, text: readFileSync(join(root, path), 'utf8') } });
    }
    if (!(await client.until(() => open.every((path) => client.publishedCount(uriOf(path)) > 0), opened + phaseLimitMs))) {
      console.log(`  open ${open.length} files to their diagnostics: not all published within ${phaseLimitMs / 1000} s`);
      return;
    }
    console.log(`  open ${open.length} files to their diagnostics           ${format(performance.now() - opened)}`);

    // Each document's versions go on rising across the kinds of keystroke, as an editor's do.
    const versions = new Map(open.map((path) => [uriOf(path), 1]));
    const change = async (uri: string, contentChange: TextChange & { range: SourceRange }): Promise<number> => {
      const version = versions.get(uri)! + 1;
      versions.set(uri, version);
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [contentChange] });
      return version;
    };
    for (const target of workspace.edits) {
      const uri = uriOf(target.path);
      const others = open.map(uriOf).filter((other) => other !== uri);
      const alone: number[] = [];
      const withOpen: number[] = [];
      const phaseStarted = performance.now();
      let applied = 0;
      console.log(`typing: ${target.label}`);
      for (let edit = 0; edit < editCount; edit++) {
        const before = new Map(others.map((other) => [other, client.publishedCount(other)]));
        const editStarted = performance.now();
        const version = await change(uri, target.change(edit));
        applied++;
        const deadline = phaseStarted + phaseLimitMs;
        if (!(await client.until(() => client.latest(uri)?.version === version, deadline))) break;
        alone.push(performance.now() - editStarted);
        // The server re-publishes the open files the edit affects; the others keep what they had.
        // An open file the edit does not affect is not re-published: the wait ends at the last one that is.
        await client.until(() => others.every((other) => client.publishedCount(other) > before.get(other)!), Math.min(deadline, performance.now() + 2000));
        const republished = others.filter((other) => client.publishedCount(other) > before.get(other)!).map((other) => client.publishedAt(other)!);
        withOpen.push(Math.max(alone.at(-1)!, ...republished.map((at) => at - editStarted)));
      }
      if (alone.length === 0) {
        console.log(`  no diagnostics for the edited file within ${phaseLimitMs / 1000} s`);
        return;
      }
      printEdits(alone, withOpen, others.length);
      // Back to the text on disk, so the next target's edits start from the same workspace.
      if (applied % 2 === 1) await change(uri, target.change(1));
    }
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  const runtime: RuntimeModule = { locateFile: (file) => join(installRoot(), 'dist', file) };
  // Initialised here first so the runtime keeps its heap views on an object this benchmark can read; loading the grammar reuses it.
  await Parser.init(runtime);
  const parser = new PythonParser(await loadPythonLanguage());

  const workspace = generate();
  const root = mkdtempSync(join(tmpdir(), 'normlint-workspace-'));
  try {
    for (const file of workspace.files) {
      mkdirSync(dirname(join(root, file.path)), { recursive: true });
      writeFileSync(join(root, file.path), file.text);
    }
    const python = workspace.files.filter((file) => file.path.endsWith('.py'));
    const lineCount = python.reduce((total, file) => total + file.text.split('\n').length - 1, 0);
    const byteCount = python.reduce((total, file) => total + file.text.length, 0);
    const paths = workspace.files.map((file) => file.path);
    console.log(
      `normlint workspace index — ${count(python.length)} Python files (${count(lineCount)} lines, ${(byteCount / 1e6).toFixed(1)} MB) and ${paths.length - python.length} YAML configs in ${packageCount} packages, Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`,
    );
    // Only the disk holds the texts from here on, as for the server.
    workspace.files.length = 0;
    await inProcess(parser, runtime, root, paths, workspace);
    if (!process.argv.includes('--in-process')) await overLsp(root, workspace);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
