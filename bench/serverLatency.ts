// Measures what a user feels from the language server: how long from starting it to the first
// diagnostics, and how long from an edit in a 5,000-line model file to updated diagnostics.
// Prints figures and their ratio to the design's budget; it asserts nothing.
import { performance } from 'node:perf_hooks';
import { DocumentLinter } from '../src/analysis/lint';
import { ParsedDocument, PythonParser } from '../src/python/pythonParser';
import { loadPythonLanguage } from '../server/pythonLanguage';
import { LspTestClient } from '../test/helpers/lspClient';
import { serverPath } from '../test/helpers/repository';
import { median, percentile } from './statistics';

const editBudgetMs = 20;
const editCount = 200;

/** A 5,000-line file shaped like real model code: constants, blocks, norms, forward passes. */
function modelFile(targetLines: number): string {
  const lines = ['import torch', 'import torch.nn as nn', 'from torch.nn import GroupNorm as GN', '', 'BASE = 64', 'GROUPS = 32', ''];
  for (let block = 0; lines.length < targetLines; block++) {
    lines.push(
      `class Block${block}(nn.Module):`,
      `    """Residual block ${block}: conv, norm, activation, twice."""`,
      '',
      `    def __init__(self, in_channels=BASE, out_channels=BASE * 2):`,
      '        super().__init__()',
      '        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False)',
      `        self.norm1 = nn.GroupNorm(GROUPS, BASE * ${(block % 4) + 1})`,
      '        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1, bias=False)',
      `        self.norm2 = GN(num_groups=${block % 5 === 0 ? 24 : 16}, num_channels=${64 * ((block % 3) + 1)})`,
      `        self.bn = nn.BatchNorm2d(out_channels, momentum=0.1)`,
      '        self.act = nn.ReLU(inplace=True)',
      '',
      '    def forward(self, x):',
      '        residual = x',
      '        x = self.act(self.norm1(self.conv1(x)))',
      '        x = self.norm2(self.conv2(x))',
      '        x = self.bn(x)',
      '        return self.act(x + residual)',
      '',
    );
  }
  return lines.slice(0, targetLines).join('\n') + '\n';
}

const format = (milliseconds: number): string => `${milliseconds.toFixed(2)} ms`;

async function inProcess(text: string): Promise<void> {
  const parser = new PythonParser(await loadPythonLanguage());
  const document = new ParsedDocument(parser, text);
  let started = performance.now();
  const firstTree = document.tree;
  const fullParse = performance.now() - started;
  const linter = new DocumentLinter(parser.language);
  started = performance.now();
  linter.lint(firstTree);
  const firstLint = performance.now() - started;
  const parseTimes: number[] = [];
  const lintTimes: number[] = [];
  // The same edit as over LSP below: a GroupNorm's group count flips between 16 and 15.
  const lines = text.split('\n');
  const line = lines.findIndex((candidate) => candidate.includes('num_groups=16'));
  const character = lines[line]!.indexOf('16');
  for (let edit = 0; edit < editCount; edit++) {
    document.applyChanges([{ range: { start: { line, character }, end: { line, character: character + 2 } }, text: edit % 2 === 0 ? '15' : '16' }]);
    started = performance.now();
    const tree = document.tree;
    parseTimes.push(performance.now() - started);
    started = performance.now();
    linter.lint(tree);
    lintTimes.push(performance.now() - started);
  }
  document.dispose();
  console.log('in process (no LSP transport):');
  console.log(`  full parse                 ${format(fullParse)}`);
  console.log(`  first lint                 ${format(firstLint)}`);
  console.log(`  incremental parse, median  ${format(median(parseTimes))}`);
  console.log(`  lint after edit, median    ${format(median(lintTimes))}`);
}

async function overLsp(text: string): Promise<void> {
  const uri = 'file:///bench/model.py';
  const started = performance.now();
  const { client } = await LspTestClient.start([serverPath, '--stdio']);
  await client.open('file:///bench/small.py', 'import torch.nn as nn\nnorm = nn.GroupNorm(32, 100)\n');
  await client.diagnostics('file:///bench/small.py', (params) => params.diagnostics.length === 1);
  const startToFirstDiagnostics = performance.now() - started;

  let opened = performance.now();
  await client.open(uri, text);
  await client.diagnostics(uri, () => true, 60000);
  const openToDiagnostics = performance.now() - opened;

  // Each edit flips a GroupNorm between a valid and an invalid group count, so the diagnostics really change.
  const lines = text.split('\n');
  const line = lines.findIndex((candidate) => candidate.includes('num_groups=16'));
  const character = lines[line]!.indexOf('16');
  const latencies: number[] = [];
  for (let version = 2; version < editCount + 2; version++) {
    const newText = version % 2 === 0 ? '15' : '16';
    opened = performance.now();
    await client.change(uri, version, [{ range: { start: { line, character }, end: { line, character: character + 2 } }, text: newText }]);
    await client.diagnostics(uri, (params) => params.version === version);
    latencies.push(performance.now() - opened);
  }
  await client.stop();
  const editMedian = median(latencies);
  console.log('over LSP (dist/server.js --stdio, JSON-RPC both ways):');
  console.log(`  server start to first diagnostics     ${format(startToFirstDiagnostics)}`);
  console.log(`  open 5,000-line file to diagnostics   ${format(openToDiagnostics)}`);
  console.log(`  edit to updated diagnostics, median   ${format(editMedian)}  (p90 ${format(percentile(latencies, 0.9))}, ${editCount} edits)`);
  console.log(`  budget ${editBudgetMs} ms: median is ${(editMedian / editBudgetMs).toFixed(2)}× the budget`);
}

async function main(): Promise<void> {
  const text = modelFile(5000);
  console.log(`normlint server latency — ${text.split('\n').length - 1} lines, ${(text.length / 1000).toFixed(0)} KB, Node ${process.version}`);
  await inProcess(text);
  await overLsp(text);
}

void main();
