// Reads YAML and JSON model and training configs into one tree of plain values that remember
// where each was written, so a finding about a number lands on the line that states it. Broken
// files still yield whatever parsed, with the syntax errors beside it: a config half-way through
// an edit is checked as far as it goes.
import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node as JsonNode, ParseError as JsonParseError } from 'jsonc-parser';
import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Alias, Document as YamlDocument, Node as YamlNode, Pair } from 'yaml';
import { computeLineStarts, positionAt } from '../python/pythonParser';
import type { SourceRange } from '../python/pythonParser';

export type ConfigFormat = 'yaml' | 'json';

interface Located {
  /** The value as written, from its first character to its last (comments excluded). */
  range: SourceRange;
  /** The key, when the value is a mapping entry. */
  keyRange?: SourceRange;
}

export type ConfigScalar = Located &
  (
    | { kind: 'int' | 'float'; value: number }
    | { kind: 'bool'; value: boolean }
    | { kind: 'str'; value: string }
    | { kind: 'none'; value: null }
  );

export type ConfigValue = ConfigScalar | (Located & { kind: 'sequence'; items: ConfigValue[] }) | (Located & { kind: 'mapping'; entries: Map<string, ConfigValue> });

export interface ConfigSyntaxError {
  message: string;
  range: SourceRange;
}

export interface ConfigTree {
  /** Undefined for an empty document, or one so broken that no value parsed. */
  readonly root: ConfigValue | undefined;
  readonly errors: readonly ConfigSyntaxError[];
  /** The value at `path` (mapping keys, and sequence indexes written as numbers: `['down_blocks', '0']`). */
  lookup(path: readonly string[]): ConfigValue | undefined;
}

/** Keys under which training frameworks (PyTorch Lightning, Hugging Face, mmcv, detectron2) state the batch size per step or per device. */
export const batchSizeKeys = ['batch_size', 'train_batch_size', 'per_device_train_batch_size', 'samples_per_gpu', 'IMS_PER_BATCH'] as const;

export interface BatchSizeValue {
  /** Where the number sits in the tree, as `ConfigTree.lookup` takes it. */
  path: string[];
  /** The batch-size key it is written under. */
  key: string;
  value: number;
  range: SourceRange;
}

export function parseConfigTree(text: string, format: ConfigFormat): ConfigTree {
  const lineStarts = computeLineStarts(text);
  const rangeAt = (start: number, end: number): SourceRange => ({ start: positionAt(lineStarts, start), end: positionAt(lineStarts, end) });
  const { root, errors } = format === 'json' ? readJson(text, rangeAt) : readYaml(text, rangeAt);
  return { root, errors, lookup: (path) => lookupValue(root, path) };
}

export function lookupValue(value: ConfigValue | undefined, path: readonly string[]): ConfigValue | undefined {
  let current = value;
  for (const segment of path) {
    if (current?.kind === 'mapping') current = current.entries.get(segment);
    else if (current?.kind === 'sequence' && /^(?:0|[1-9][0-9]*)$/.test(segment)) current = current.items[Number(segment)];
    else return undefined;
  }
  return current;
}

/**
 * Visits `value` and everything below it, parents first. `label` is the path as a reader would
 * write it (`unet.block_out_channels[1]`), which the string path cannot tell apart from a mapping
 * whose key is a number.
 */
export function forEachConfigValue(value: ConfigValue | undefined, visit: (value: ConfigValue, path: string[], label: string) => void): void {
  const walk = (current: ConfigValue, path: string[], label: string): void => {
    visit(current, path, label);
    if (current.kind === 'sequence') current.items.forEach((item, index) => walk(item, [...path, String(index)], `${label}[${index}]`));
    if (current.kind === 'mapping') for (const [key, entry] of current.entries) walk(entry, [...path, key], label === '' ? key : `${label}.${key}`);
  };
  if (value) walk(value, [], '');
}

/** Every integer written under a batch-size key anywhere in the tree, directly or as an item of a list (a sweep). */
export function findBatchSizes(tree: ConfigTree): BatchSizeValue[] {
  const found: BatchSizeValue[] = [];
  forEachConfigValue(tree.root, (value, path) => {
    if (value.kind !== 'mapping') return;
    for (const key of batchSizeKeys) {
      const entry = value.entries.get(key);
      if (entry?.kind === 'int') found.push({ path: [...path, key], key, value: entry.value, range: entry.range });
      if (entry?.kind !== 'sequence') continue;
      entry.items.forEach((item, index) => {
        if (item.kind === 'int') found.push({ path: [...path, key, String(index)], key, value: item.value, range: item.range });
      });
    }
  });
  return found;
}

type RangeAt = (start: number, end: number) => SourceRange;

interface ReadResult {
  root: ConfigValue | undefined;
  errors: ConfigSyntaxError[];
}

/** Integers as YAML 1.2's core schema and JSON write them; anything else numeric (`1e3`, `32.0`, `.inf`) is a float, as Python would load it. */
const integerLiteral = /^[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;

function readJson(text: string, rangeAt: RangeAt): ReadResult {
  const parseErrors: JsonParseError[] = [];
  const rootNode = parseTree(text, parseErrors);
  const errors = parseErrors.map((error) => ({ message: sentenceOf(printParseErrorCode(error.error)), range: rangeAt(error.offset, error.offset + error.length) }));
  const convert = (node: JsonNode): ConfigValue | undefined => {
    const range = rangeAt(node.offset, node.offset + node.length);
    switch (node.type) {
      case 'number':
        return { kind: integerLiteral.test(text.slice(node.offset, node.offset + node.length)) ? 'int' : 'float', value: node.value as number, range };
      case 'string':
        return { kind: 'str', value: node.value as string, range };
      case 'boolean':
        return { kind: 'bool', value: node.value as boolean, range };
      case 'null':
        return { kind: 'none', value: null, range };
      case 'array':
        return { kind: 'sequence', items: (node.children ?? []).map(convert).filter((item): item is ConfigValue => item !== undefined), range };
      case 'object': {
        const entries = new Map<string, ConfigValue>();
        for (const property of node.children ?? []) {
          const [keyNode, valueNode] = property.children ?? [];
          const value = valueNode && convert(valueNode);
          // A property still being typed (`"key":` and nothing yet) has no value to check.
          if (keyNode?.type !== 'string' || !value) continue;
          entries.set(keyNode.value as string, { ...value, keyRange: rangeAt(keyNode.offset, keyNode.offset + keyNode.length) });
        }
        return { kind: 'mapping', entries, range };
      }
      default:
        return undefined;
    }
  };
  return { root: rootNode && convert(rootNode), errors };
}

/** `CloseBracketExpected` → `Close bracket expected`. */
function sentenceOf(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Aliases may nest (`b: [*a, *a]`, `c: [*b, *b]`, …); past this many values the expansion stops instead of growing exponentially. */
const maximumValues = 100_000;

function readYaml(text: string, rangeAt: RangeAt): ReadResult {
  const document = parseDocument(text, { prettyErrors: false });
  const errors: ConfigSyntaxError[] = document.errors.map((error) => ({ message: error.message, range: rangeAt(error.pos[0], error.pos[1]) }));
  const reader = new YamlReader(document, text, rangeAt, errors);
  const contents = document.contents;
  return { root: contents ? reader.convert(contents) : undefined, errors };
}

class YamlReader {
  private valueCount = 0;
  /** The collections being converted, so an alias inside its own anchor (`&a [*a]`) is refused instead of recursing forever. */
  private readonly expanding = new Set<YamlNode>();

  constructor(
    private readonly document: YamlDocument,
    private readonly text: string,
    private readonly rangeAt: RangeAt,
    private readonly errors: ConfigSyntaxError[],
  ) {}

  convert(node: YamlNode): ConfigValue | undefined {
    if (isAlias(node)) return this.convertAlias(node);
    if (++this.valueCount === maximumValues) this.errors.push({ message: `More than ${maximumValues} values after expanding aliases; the rest is not read`, range: this.rangeOf(node) });
    if (this.valueCount >= maximumValues) return undefined;
    const range = this.rangeOf(node);
    if (isScalar(node)) {
      const value = node.value;
      if (typeof value === 'number') {
        const written = this.text.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0);
        return { kind: node.type === 'PLAIN' && integerLiteral.test(written) ? 'int' : 'float', value, range };
      }
      if (typeof value === 'boolean') return { kind: 'bool', value, range };
      if (typeof value === 'string') return { kind: 'str', value, range };
      if (value === null || value === undefined) return { kind: 'none', value: null, range };
      // Timestamps, binary and other tagged scalars have no use in a check.
      return undefined;
    }
    if (!isSeq(node) && !isMap(node)) return undefined;
    this.expanding.add(node);
    try {
      if (isMap(node)) return { kind: 'mapping', entries: this.entriesOf(node.items), range };
      const items = node.items.map((item) => this.convertUnknown(item));
      return { kind: 'sequence', items: items.filter((item): item is ConfigValue => item !== undefined), range };
    } finally {
      this.expanding.delete(node);
    }
  }

  /** Collections of a parsed document hold nodes, or null where an entry is empty (`- `, `key:` in a flow mapping). */
  private convertUnknown(item: unknown): ConfigValue | undefined {
    return isAlias(item) || isScalar(item) || isSeq(item) || isMap(item) ? this.convert(item) : undefined;
  }

  private convertAlias(node: Alias): ConfigValue | undefined {
    const target = node.resolve(this.document);
    if (!target) {
      this.errors.push({ message: `Unknown alias \`*${node.source}\``, range: this.rangeOf(node) });
      return undefined;
    }
    if (this.expanding.has(target)) {
      this.errors.push({ message: `Alias \`*${node.source}\` refers to the value that contains it`, range: this.rangeOf(node) });
      return undefined;
    }
    return this.convert(target);
  }

  /** A mapping's entries; `<<: *base` (YAML 1.1 merge keys, common in training configs) adds the aliased mapping's entries that are not written here. */
  private entriesOf(pairs: readonly Pair<unknown, unknown>[]): Map<string, ConfigValue> {
    const entries = new Map<string, ConfigValue>();
    const merged: ConfigValue[] = [];
    for (const pair of pairs) {
      // Complex keys (`? [a, b]`) name nothing a check looks up.
      if (!isScalar(pair.key)) continue;
      const value = this.convertUnknown(pair.value);
      if (!value) continue;
      const key = String(pair.key.value);
      if (key === '<<' && pair.key.type === 'PLAIN' && value.kind !== 'str') {
        merged.push(...(value.kind === 'sequence' ? value.items : [value]));
        continue;
      }
      entries.set(key, { ...value, keyRange: this.rangeOf(pair.key) });
    }
    for (const source of merged) {
      if (source.kind !== 'mapping') continue;
      for (const [key, value] of source.entries) if (!entries.has(key)) entries.set(key, value);
    }
    return entries;
  }

  private rangeOf(node: YamlNode): SourceRange {
    const [start, valueEnd] = node.range ?? [0, 0];
    return this.rangeAt(start, valueEnd);
  }
}
