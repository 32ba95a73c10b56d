// Reads the layer that a `normlint run` expression such as `nn.GroupNorm(4, 8)` constructs, with
// the same analyzer and rules as the editor: the expression is linted as the last line of a small
// module that imports the usual aliases, so a bad expression gets the editor's diagnostics.
import type { NormLayerFact } from '../src/analysis/normLayers';
import { lint } from '../src/analysis/lint';
import type { SourceRange } from '../src/python/pythonParser';
import { PythonParser } from '../src/python/pythonParser';
import type { Finding } from '../src/rules/rule';
import { loadPythonLanguage } from '../server/pythonLanguage';
import { CommandError } from './commandError';

/** The names an expression may start with: torch's, and Keras' both standalone and through TensorFlow. */
const prelude = ['import torch', 'import torch.nn as nn', 'import tensorflow as tf', 'import keras', 'from keras import layers'];

export interface LayerExpression {
  layer: NormLayerFact;
  /** The rules' findings on the expression, with positions in the expression itself (line 0 is its first line). */
  findings: Finding[];
}

export async function analyzeLayerExpression(expression: string): Promise<LayerExpression> {
  const written = expression.trim();
  const source = `${prelude.join('\n')}\n${written}\n`;
  const parser = new PythonParser(await loadPythonLanguage());
  const tree = parser.parse(source);
  let result;
  try {
    result = lint(tree, parser.language);
  } finally {
    tree.delete();
  }
  const layers = result.facts.normLayers;
  if (layers.length === 0) {
    throw new CommandError(
      `\`${written}\` constructs no normalization layer normlint knows; write the constructor, e.g. \`nn.GroupNorm(4, 8)\` or \`layers.GroupNormalization(groups=4)\``,
    );
  }
  if (layers.length > 1) throw new CommandError(`\`${written}\` constructs ${layers.length} normalization layers; give one constructor`);
  const layer = layers[0]!;
  // The engine runs the layer, not an expression around it (`nn.GroupNorm(4, 8).half()`).
  if (textOf(source, layer.range) !== written) {
    throw new CommandError(`\`${written}\` is more than a layer constructor; give only \`${textOf(source, layer.range)}\``);
  }
  if (layer.isIncomplete) throw new CommandError(`\`${written}\` has a syntax error`);
  return { layer, findings: result.findings.map((finding) => ({ ...finding, range: withoutPrelude(finding.range) })) };
}

function textOf(source: string, range: SourceRange): string {
  const lines = source.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line]!.slice(range.start.character, range.end.character);
  return [
    lines[range.start.line]!.slice(range.start.character),
    ...lines.slice(range.start.line + 1, range.end.line),
    lines[range.end.line]!.slice(0, range.end.character),
  ].join('\n');
}

function withoutPrelude(range: SourceRange): SourceRange {
  return {
    start: { line: range.start.line - prelude.length, character: range.start.character },
    end: { line: range.end.line - prelude.length, character: range.end.character },
  };
}
