// Checks mmcv/mmdet-style Python configs: a file of top-level assignments (`model = dict(…)`)
// that inherits from the files named in `_base_`. The config is evaluated without running it —
// literals, `dict(…)` calls, `{…}` literals and names assigned earlier in the same file — and
// merged with its bases as mmcv does, each value remembering the file and range it was written in,
// so a finding lands on the line that set the effective value, in whichever file that is.
//
// Findings on a line of the checked config leave `uri` undefined; findings on a line of a base
// file set `uri` to that file's path, and related locations set `uri` to their file's path when
// it differs from the finding's. Paths are the ones passed to `readFile`; the host turns them
// into URIs.
import type { SeveritySetting } from '../analysis/lint';
import { defaultThresholds, uniqueFindings } from '../analysis/lint';
import type { Node, PythonParser, SourceRange } from '../python/pythonParser';
import { rangeOfNode } from '../python/pythonParser';
import { namedChildrenOf } from '../python/syntax';
import { batchSizeOne } from '../rules/batchSizeOne';
import { groupDivisibility, suggestedGroupCounts } from '../rules/groupDivisibility';
import type { Finding, RelatedLocation, Rule, Severity } from '../rules/rule';
import { smallBatch } from '../rules/smallBatch';

interface Written {
  /** The file the value is written in. */
  file: string;
  range: SourceRange;
}

export type MmdetValue = Written &
  (
    | { kind: 'int' | 'float'; value: number }
    | { kind: 'bool'; value: boolean }
    | { kind: 'str'; value: string }
    | { kind: 'none' }
    | { kind: 'sequence'; items: MmdetValue[] }
    /** `isOpen`: keys may exist that were not read (`dict(**other)` of an unknown `other`, a dict merged onto a base value that is unknown). */
    | { kind: 'mapping'; entries: Map<string, MmdetValue>; isOpen: boolean }
    | { kind: 'unknown' }
  );

export type MmdetMapping = Extract<MmdetValue, { kind: 'mapping' }>;

/** A config that could not be read as mmcv would read it: a base that is missing or includes itself, or a merge mmcv refuses. */
export interface ConfigFileError {
  message: string;
  /** The file the error is in. */
  path: string;
  range: SourceRange;
}

export interface MmdetConfigInput {
  /** The config's path, with `/` separators; its `_base_` entries are resolved against its folder. */
  path: string;
  text: string;
  parser: PythonParser;
  /** The text of a base config, or undefined when it cannot be read. */
  readFile: (path: string) => string | undefined;
  severities?: Readonly<Record<string, SeveritySetting | undefined>>;
  thresholds?: { smallBatchWarning: number; smallBatchInformation: number };
}

/**
 * Whether a Python file looks like an mmcv config, from its text alone: it inherits (`_base_ =`),
 * defines a shared `norm_cfg`, a `train_dataloader`, or sets `samples_per_gpu`.
 */
export function looksLikeMmdetConfig(text: string): boolean {
  return /^(?:_base_|norm_cfg|train_dataloader)\s*=/m.test(text) || /\bsamples_per_gpu\s*=/.test(text);
}

export interface LoadedMmdetConfig {
  config: MmdetMapping;
  errors: ConfigFileError[];
  /** A base could not be read (missing, or part of a cycle): any key of the config may be missing. */
  isIncomplete: boolean;
}

/** The config as mmcv would build it: the bases merged in order, then the file's own values. */
export function loadMmdetConfig(input: Pick<MmdetConfigInput, 'path' | 'text' | 'parser' | 'readFile'>): LoadedMmdetConfig {
  const loader = new ConfigLoader(input.parser, input.readFile);
  const config = loader.load(input.path, input.text);
  return { config, errors: loader.errors, isIncomplete: loader.isIncomplete };
}

export function lintMmdetConfig(input: MmdetConfigInput): { findings: Finding[]; errors: ConfigFileError[] } {
  const { config, errors, isIncomplete } = loadMmdetConfig(input);
  const severities = input.severities ?? {};
  const thresholds = input.thresholds ?? defaultThresholds;
  const model = config.entries.get('model');
  const components = model ? componentsOf(model) : [];
  const findings = [
    ...components.flatMap((component) => groupDivisibilityFindings(component, input.path)),
    // An unread base may set `norm_eval=True` or `requires_grad=False` on any module; values that are written stay certain, so group counts are still checked.
    ...(isIncomplete ? [] : batchStatisticsFindings(config, components, thresholds, input.path)),
  ].flatMap((finding) => withSeverity(finding, severities));
  const unique = uniqueFindings(findings);
  unique.sort((first, second) => (first.uri ?? '').localeCompare(second.uri ?? '') || first.range.start.line - second.range.start.line || first.range.start.character - second.range.start.character);
  return { findings: unique, errors };
}

/** Joins a `_base_` entry to the folder of the config naming it, resolving `.` and `..`. Hosts on Windows may pass `\` separators; the result uses `/`. */
export function resolveBasePath(fromPath: string, relative: string): string {
  const isAbsolute = /^(?:[\\/]|[A-Za-z]:[\\/])/.test(relative);
  const folder = fromPath.slice(0, Math.max(fromPath.lastIndexOf('/'), fromPath.lastIndexOf('\\')) + 1);
  const segments = (isAbsolute ? relative : folder + relative).split(/[\\/]/);
  const resolved: string[] = [];
  segments.forEach((segment, index) => {
    // The empty first segment of an absolute path is its root and stays.
    if ((segment === '' && index > 0) || segment === '.') return;
    if (segment === '..' && resolved.length > 0 && resolved[resolved.length - 1] !== '..' && resolved[resolved.length - 1] !== '') resolved.pop();
    else if (segment !== '..' || resolved[0] !== '') resolved.push(segment);
  });
  return resolved.length === 1 && resolved[0] === '' ? '/' : resolved.join('/');
}

// Loading.

/** Deeply nested expressions beyond this are unknown instead of overflowing the stack. */
const maximumDepth = 200;

class ConfigLoader {
  readonly errors: ConfigFileError[] = [];
  isIncomplete = false;
  /** Each file's merged config, so a base shared by several bases (a diamond) is read once. */
  private readonly loaded = new Map<string, MmdetMapping>();
  /** The files being loaded, outermost first, to tell a cycle from a diamond. */
  private readonly loading: string[] = [];

  constructor(
    private readonly parser: PythonParser,
    private readonly readFile: (path: string) => string | undefined,
  ) {}

  load(path: string, text: string): MmdetMapping {
    const cached = this.loaded.get(path);
    if (cached) return cached;
    this.loading.push(path);
    const tree = this.parser.parse(text);
    let variables: Map<string, MmdetValue>;
    let range: SourceRange;
    try {
      variables = evaluateModule(tree.rootNode, path);
      range = rangeOfNode(tree.rootNode);
    } finally {
      tree.delete();
    }
    const bases = this.loadBases(path, variables.get('_base_'));
    variables.delete('_base_');
    const entries = new Map(bases);
    for (const [key, value] of variables) entries.set(key, this.merge(value, bases.get(key), key));
    const config: MmdetMapping = { kind: 'mapping', entries, isOpen: false, file: path, range };
    this.loading.pop();
    this.loaded.set(path, config);
    return config;
  }

  /** The bases' values, merged in order; mmcv refuses a key set by two bases, and so does this (the later one is kept). */
  private loadBases(path: string, base: MmdetValue | undefined): Map<string, MmdetValue> {
    const merged = new Map<string, MmdetValue>();
    const firstSetIn = new Map<string, string>();
    if (!base) return merged;
    const entries = base.kind === 'sequence' ? base.items : [base];
    for (const entry of entries) {
      if (entry.kind !== 'str') {
        this.error('`_base_` must be a path or a list of paths; this entry is not read', entry);
        this.isIncomplete = true;
        continue;
      }
      // mmengine's `package::path` bases live inside installed packages, which are not read.
      if (entry.value.includes('::')) {
        this.error(`Base config \`${entry.value}\` is inside an installed package and is not read`, entry);
        this.isIncomplete = true;
        continue;
      }
      const basePath = resolveBasePath(path, entry.value);
      if (this.loading.includes(basePath)) {
        const cycle = [...this.loading.slice(this.loading.indexOf(basePath)), basePath].map(fileName).join(' → ');
        this.error(`\`_base_\` cycle: ${cycle}; mmcv cannot load this config`, entry);
        this.isIncomplete = true;
        continue;
      }
      const baseConfig = this.loaded.get(basePath) ?? this.readAndLoad(basePath);
      if (!baseConfig) {
        this.error(`Cannot read base config \`${entry.value}\` (${basePath}); its values are not checked`, entry);
        this.isIncomplete = true;
        continue;
      }
      for (const [key, value] of baseConfig.entries) {
        const earlier = firstSetIn.get(key);
        if (earlier !== undefined) this.error(`\`${key}\` is set by two bases, \`${earlier}\` and \`${entry.value}\`; mmcv refuses duplicate keys among bases`, entry);
        else firstSetIn.set(key, entry.value);
        merged.set(key, value);
      }
    }
    return merged;
  }

  private readAndLoad(path: string): MmdetMapping | undefined {
    const text = this.readFile(path);
    return text === undefined ? undefined : this.load(path, text);
  }

  /** mmcv's `_merge_a_into_b`: a dict merges into the base's dict key by key unless it sets `_delete_=True`; anything else replaces. */
  private merge(value: MmdetValue, base: MmdetValue | undefined, label: string, depth = 0): MmdetValue {
    if (value.kind !== 'mapping' || base === undefined || depth > maximumDepth) return value;
    const deletesBase = value.entries.get('_delete_');
    if (deletesBase?.kind === 'bool' && deletesBase.value) return withoutDeleteKey(value);
    if (base.kind === 'unknown') return { ...withoutDeleteKey(value), isOpen: true };
    if (base.kind !== 'mapping') {
      this.error(`\`${label}\` is a dict here but not in its base config; mmcv refuses to merge them (set \`_delete_=True\` to replace the base value)`, value);
      return withoutDeleteKey(value);
    }
    const entries = new Map(base.entries);
    for (const [key, entry] of value.entries) if (key !== '_delete_') entries.set(key, this.merge(entry, base.entries.get(key), `${label}.${key}`, depth + 1));
    return { ...value, entries, isOpen: value.isOpen || base.isOpen };
  }

  private error(message: string, at: Written): void {
    this.errors.push({ message, path: at.file, range: at.range });
  }
}

function withoutDeleteKey(mapping: MmdetMapping): MmdetMapping {
  if (!mapping.entries.has('_delete_')) return mapping;
  const entries = new Map(mapping.entries);
  entries.delete('_delete_');
  return { ...mapping, entries };
}

function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/**
 * The module's variables as mmcv collects them after running the file: each plain `name = value`
 * at the top level, in order, so later names see earlier ones. A name any other statement may
 * rebind or change (`if`, `for`, `x['k'] = …`, `x.update(…)`) becomes unknown: the checks never
 * guess what code would have done.
 */
function evaluateModule(root: Node, file: string): Map<string, MmdetValue> {
  const variables = new Map<string, MmdetValue>();
  const unknownAt = (node: Node): MmdetValue => ({ kind: 'unknown', file, range: rangeOfNode(node) });
  for (const statement of namedChildrenOf(root)) {
    const assignment = statement.type === 'expression_statement' && statement.namedChildCount === 1 ? statement.namedChild(0) : null;
    const target = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const value = assignment?.childForFieldName('right');
    // A chained `a = b = …` binds two names and falls through to the general case.
    if (assignment && target?.type === 'identifier' && value && value.type !== 'assignment' && !statement.hasError) {
      variables.set(target.text, evaluate(value, variables, file, 0));
      continue;
    }
    for (const name of namesChangedBy(statement)) variables.set(name, unknownAt(statement));
  }
  // mmcv leaves dunder names out of the config.
  for (const name of [...variables.keys()]) if (name.startsWith('__')) variables.delete(name);
  return variables;
}

/** The names a statement may bind or mutate, looking inside compound statements but not into function bodies. */
function namesChangedBy(statement: Node): string[] {
  const names: string[] = [];
  const rootOf = (node: Node | null): void => {
    if (!node) return;
    if (node.type === 'identifier') names.push(node.text);
    else if (node.type === 'attribute' || node.type === 'subscript') rootOf(node.childForFieldName(node.type === 'attribute' ? 'object' : 'value'));
    else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'parenthesized_expression'].includes(node.type)) namedChildrenOf(node).forEach(rootOf);
  };
  const visit = (node: Node, depth: number): void => {
    if (node.type === 'function_definition' || node.type === 'class_definition' || depth > maximumDepth) return;
    if (node.type === 'assignment' || node.type === 'augmented_assignment' || node.type === 'for_statement' || node.type === 'named_expression') {
      rootOf(node.childForFieldName(node.type === 'named_expression' ? 'name' : 'left'));
    }
    // A method call on a variable (`train_pipeline.append(…)`) may change it in place.
    if (node.type === 'call' && node.childForFieldName('function')?.type === 'attribute') rootOf(node.childForFieldName('function'));
    for (const child of namedChildrenOf(node)) visit(child, depth + 1);
  };
  visit(statement, 0);
  return names;
}

function evaluate(node: Node, variables: ReadonlyMap<string, MmdetValue>, file: string, depth: number): MmdetValue {
  const range = rangeOfNode(node);
  const unknown: MmdetValue = { kind: 'unknown', file, range };
  if (depth > maximumDepth) return unknown;
  const inner = (child: Node): MmdetValue => evaluate(child, variables, file, depth + 1);
  switch (node.type) {
    case 'integer':
    case 'float': {
      const value = Number(node.text.replace(/_/g, ''));
      // Complex literals (`1j`) and Python 2 forms are not numbers here.
      return Number.isNaN(value) ? unknown : { kind: node.type === 'integer' ? 'int' : 'float', value, file, range };
    }
    case 'true':
    case 'false':
      return { kind: 'bool', value: node.type === 'true', file, range };
    case 'none':
      return { kind: 'none', file, range };
    case 'string': {
      const text = stringValue(node);
      return text === undefined ? unknown : { kind: 'str', value: text, file, range };
    }
    case 'concatenated_string': {
      const parts = namedChildrenOf(node).map(stringValue);
      return parts.every((part): part is string => part !== undefined) ? { kind: 'str', value: parts.join(''), file, range } : unknown;
    }
    case 'unary_operator': {
      const operand = node.childForFieldName('argument');
      const operator = node.childForFieldName('operator')?.text;
      const value = operand ? inner(operand) : unknown;
      if ((value.kind !== 'int' && value.kind !== 'float') || (operator !== '-' && operator !== '+')) return unknown;
      return { ...value, value: operator === '-' ? -value.value : value.value, range };
    }
    case 'parenthesized_expression':
      return node.namedChildCount === 1 && node.namedChild(0) ? inner(node.namedChild(0)!) : unknown;
    case 'list':
    case 'tuple':
    case 'expression_list': {
      const items = namedChildrenOf(node).filter((item) => item.type !== 'comment');
      if (items.some((item) => item.type === 'list_splat')) return unknown;
      return { kind: 'sequence', items: items.map(inner), file, range };
    }
    case 'identifier':
      return variables.get(node.text) ?? unknown;
    case 'dictionary':
      return dictionaryLiteral(node, inner, file, range);
    case 'call':
      return dictCall(node, inner, file, range) ?? unknown;
    default:
      return unknown;
  }
}

/** A plain string's value; undefined for f-strings with replacements, bytes, and escapes (whose value differs from their text). */
function stringValue(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  const parts = namedChildrenOf(node);
  const prefix = (parts[0]?.type === 'string_start' ? parts[0].text : '').replace(/['"]+$/, '').toLowerCase();
  if (prefix.includes('b') || parts.some((part) => part.type === 'interpolation')) return undefined;
  const contents = parts.filter((part) => part.type === 'string_content');
  if (!prefix.includes('r') && contents.some((part) => namedChildrenOf(part).some((child) => child.type === 'escape_sequence'))) return undefined;
  return contents.map((part) => part.text).join('');
}

/** `{'type': 'GN', **extra}`. */
function dictionaryLiteral(node: Node, inner: (child: Node) => MmdetValue, file: string, range: SourceRange): MmdetValue {
  const mapping: MmdetMapping = { kind: 'mapping', entries: new Map(), isOpen: false, file, range };
  for (const item of namedChildrenOf(node)) {
    if (item.type === 'dictionary_splat') {
      spreadInto(mapping, item.namedChild(0) ? inner(item.namedChild(0)!) : undefined);
    } else if (item.type === 'pair') {
      const keyNode = item.childForFieldName('key');
      const valueNode = item.childForFieldName('value');
      const key = keyNode ? stringValue(keyNode) : undefined;
      if (key === undefined || !valueNode) mapping.isOpen = true;
      else mapping.entries.set(key, inner(valueNode));
    } else if (item.type !== 'comment') {
      // Comprehensions and half-typed entries hide their keys.
      mapping.isOpen = true;
    }
  }
  return mapping;
}

/** `dict(type='GN', num_groups=32)`, `dict(base, **extra)`; undefined for any other call. */
function dictCall(node: Node, inner: (child: Node) => MmdetValue, file: string, range: SourceRange): MmdetValue | undefined {
  const callee = node.childForFieldName('function');
  const argumentList = node.childForFieldName('arguments');
  if (callee?.type !== 'identifier' || callee.text !== 'dict' || argumentList?.type !== 'argument_list') return undefined;
  const mapping: MmdetMapping = { kind: 'mapping', entries: new Map(), isOpen: false, file, range };
  for (const argument of namedChildrenOf(argumentList)) {
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name');
      const value = argument.childForFieldName('value');
      if (name && value) mapping.entries.set(name.text, inner(value));
      else mapping.isOpen = true;
    } else if (argument.type === 'dictionary_splat') {
      spreadInto(mapping, argument.namedChild(0) ? inner(argument.namedChild(0)!) : undefined);
    } else if (argument.type !== 'comment') {
      // `dict(other)` copies a mapping; anything else (`dict(pairs)`) hides its keys.
      spreadInto(mapping, inner(argument));
    }
  }
  return mapping;
}

function spreadInto(mapping: MmdetMapping, source: MmdetValue | undefined): void {
  if (source?.kind !== 'mapping') {
    mapping.isOpen = true;
    return;
  }
  for (const [key, value] of source.entries) mapping.entries.set(key, value);
  mapping.isOpen ||= source.isOpen;
}

// Checks.

/** The keys whose channel counts the norm layers of an mmcv module normalize: `ConvModule` puts its norm after the convolution, so `in_channels` (the module's input) never is. */
const channelKeys = ['out_channels', 'feat_channels', 'channels', 'conv_out_channels'] as const;

/** mmcv's registry names for `nn.BatchNorm*d`; `SyncBN` shares statistics across GPUs and is not one of them. */
const batchNormTypes = new Set(['BN', 'BN1d', 'BN2d', 'BN3d']);

interface Component {
  /** Where it sits in the config, `model.roi_head.bbox_head[0]`. */
  label: string;
  value: MmdetMapping;
  normConfig: MmdetMapping;
  /** `norm_eval=True` on it or a module containing it keeps its BatchNorm layers in eval mode. */
  isFrozen: boolean;
}

/** A dict used in several places (`head = dict(…)` twice) is visited once per place; past this many visits the walk stops rather than grow with every reuse. */
const maximumVisits = 100_000;

/** Every dict below `model` with a `norm_cfg` dict: the modules that build norm layers. */
function componentsOf(model: MmdetValue): Component[] {
  const components: Component[] = [];
  let visits = 0;
  const walk = (value: MmdetValue, label: string, isFrozen: boolean, depth: number): void => {
    if (++visits > maximumVisits || depth > maximumDepth) return;
    if (value.kind === 'sequence') value.items.forEach((item, index) => walk(item, `${label}[${index}]`, isFrozen, depth + 1));
    if (value.kind !== 'mapping') return;
    const normEval = value.entries.get('norm_eval');
    const frozen = isFrozen || (normEval?.kind === 'bool' && normEval.value);
    const normConfig = value.entries.get('norm_cfg');
    if (normConfig?.kind === 'mapping') components.push({ label, value, normConfig, isFrozen: frozen });
    for (const [key, entry] of value.entries) if (key !== 'norm_cfg') walk(entry, `${label}.${key}`, frozen, depth + 1);
  };
  walk(model, 'model', false, 0);
  return components;
}

/** A finding before severity settings apply. */
type DraftFinding = Omit<Finding, 'code' | 'rule' | 'severity'> & { rule: Rule; severity?: Severity };

function groupDivisibilityFindings(component: Component, configPath: string): DraftFinding[] {
  const { normConfig } = component;
  const type = normConfig.entries.get('type');
  const groups = normConfig.entries.get('num_groups');
  if (type?.kind !== 'str' || type.value !== 'GN' || groups?.kind !== 'int') return [];
  const numGroups = groups.value;
  const findings: DraftFinding[] = [];
  for (const key of channelKeys) {
    const channels = component.value.entries.get(key);
    const counts = channels?.kind === 'sequence' ? channels.items.map((item, index) => ({ item, label: `${key}[${index}]` })) : channels ? [{ item: channels, label: key }] : [];
    for (const { item, label } of counts) {
      if (item.kind !== 'int' || item.value <= 0) continue;
      const numChannels = item.value;
      if (numGroups > 0 && numChannels % numGroups === 0) continue;
      const uri = item.file === configPath ? undefined : item.file;
      findings.push({
        rule: groupDivisibility,
        message:
          `\`${component.label}.${label}\` = ${numChannels} is not divisible by \`norm_cfg.num_groups\` = ${numGroups}` +
          `${numGroups > numChannels ? ' (more groups than channels)' : ''}: the GroupNorm layers of \`${component.label}\` get ` +
          `${numChannels} channels in ${numGroups} groups, which PyTorch refuses; ${suggestedGroupCounts(numChannels, numGroups).join(' or ')} groups would divide it`,
        range: item.range,
        ...(uri === undefined ? {} : { uri }),
        related: [relatedAt(groups, item.file, '`num_groups` sets the group count')],
      });
    }
  }
  return findings;
}

/** The images each GPU trains on: `data.samples_per_gpu` (mmdet 2.x), else `train_dataloader.batch_size` (mmdet 3.x). */
function batchSizeOf(config: MmdetMapping): { label: string; size: number; at: Written } | undefined {
  for (const [section, key] of [
    ['data', 'samples_per_gpu'],
    ['train_dataloader', 'batch_size'],
  ] as const) {
    const parent = config.entries.get(section);
    const value = parent?.kind === 'mapping' ? parent.entries.get(key) : undefined;
    if (value?.kind === 'int') return { label: `${section}.${key}`, size: value.value, at: value };
  }
  return undefined;
}

function batchStatisticsFindings(config: MmdetMapping, components: readonly Component[], thresholds: NonNullable<MmdetConfigInput['thresholds']>, configPath: string): DraftFinding[] {
  const batch = batchSizeOf(config);
  if (!batch || batch.size < 1 || batch.size >= thresholds.smallBatchInformation) return [];
  const trained = components.filter(trainsBatchStatistics);
  if (trained.length === 0) return [];
  const { size, at } = batch;
  const file = at.file;
  const first = trained[0]!;
  const firstText = `\`${first.label}\` (\`norm_cfg\` on ${lineText(first.normConfig, file)})`;
  const more = trained.length > 1 ? ` and ${trained.length - 1} more` : '';
  const related = trained.map((component) => relatedAt(component.normConfig, file, `\`${component.label}\` normalizes with BatchNorm over each GPU's batch`));
  const uri = file === configPath ? undefined : file;
  const placed = { range: at.range, ...(uri === undefined ? {} : { uri }), related };
  if (size === 1) {
    return [
      {
        rule: batchSizeOne,
        message:
          `\`${batch.label}\` = 1 trains on one image per GPU: BatchNorm in ${firstText}${more} ${trained.length > 1 ? 'normalize' : 'normalizes'} ` +
          "with the statistics of a single sample and folds them into the running averages; use 2 or more images per GPU, `type='SyncBN'` across GPUs, or `type='GN'` in `norm_cfg`",
        severity: 'warning',
        ...placed,
      },
    ];
  }
  return [
    {
      rule: smallBatch,
      message:
        `Batch size ${size} per GPU (\`${batch.label}\`) is small for BatchNorm in ${firstText}${more}: ` +
        'its batch statistics get noisy (ResNet-50 on ImageNet: 23.6% error at 32 images per GPU, 27.3% at 4, 34.7% at 2); ' +
        "use a larger batch, `type='SyncBN'` across GPUs, or `type='GN'` in `norm_cfg`",
      severity: size < thresholds.smallBatchWarning ? 'warning' : 'information',
      ...placed,
    },
  ];
}

/** BatchNorm that updates its statistics from the batch while training: not frozen by `norm_eval=True` or `requires_grad=False`, and with every key known. */
function trainsBatchStatistics({ value, normConfig, isFrozen }: Component): boolean {
  const type = normConfig.entries.get('type');
  const requiresGrad = normConfig.entries.get('requires_grad');
  if (isFrozen || value.isOpen || normConfig.isOpen) return false;
  return type?.kind === 'str' && batchNormTypes.has(type.value) && !(requiresGrad?.kind === 'bool' && !requiresGrad.value);
}

/** `line 12`, or `line 12 of base.py` when the value is in another file than the finding. */
function lineText(value: Written, findingFile: string): string {
  const line = `line ${value.range.start.line + 1}`;
  return value.file === findingFile ? line : `${line} of \`${fileName(value.file)}\``;
}

function relatedAt(value: Written, findingFile: string, message: string): RelatedLocation {
  return { range: value.range, message, ...(value.file === findingFile ? {} : { uri: value.file }) };
}

function withSeverity({ rule, severity, ...finding }: DraftFinding, severities: Readonly<Record<string, SeveritySetting | undefined>>): Finding[] {
  const setting = severities[rule.name];
  if (setting === 'off') return [];
  const configured = setting === undefined || setting === 'default' ? undefined : setting;
  return [{ ...finding, code: rule.code, rule: rule.name, severity: configured ?? severity ?? rule.defaultSeverity }];
}
