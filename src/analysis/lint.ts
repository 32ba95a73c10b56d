// The analyzer's front door: syntax tree in, facts and findings out. Hosts (language server,
// CLI, tests) call this and present the findings their own way.
import type { Language, Tree } from '@vscode/tree-sitter-wasm';
import { rules } from '../rules';
import type { Finding, Severity } from '../rules/rule';
import { FactCache } from './documentFacts';
import type { DocumentFacts, ImportedFacts } from './documentFacts';
import { fileLabel } from './fileLabel';
import { ModuleAnalysis } from './moduleAnalysis';
import { ModuleSummarizer } from './moduleSummary';
import type { ModuleSummary } from './moduleSummary';
import { contains } from '../python/pythonParser';
import type { CallHop } from '../python/evaluate';
import type { BoundArgument, NormLayerFact } from './normLayers';
import { isSuppressed } from './suppressions';

export type SeveritySetting = Severity | 'off' | 'default';

export interface LintOptions {
  /** Per-rule severity by rule name; `default` or absent keeps the rule's own. */
  severities?: Readonly<Record<string, SeveritySetting | undefined>>;
  /** small-batch warns below `smallBatchWarning` samples per device and reports information below `smallBatchInformation`. */
  thresholds?: { smallBatchWarning: number; smallBatchInformation: number };
}

/** The GroupNorm paper's ImageNet table: BatchNorm error is 24.8% at 8 images per GPU, 23.6% at 32. */
export const defaultThresholds = { smallBatchWarning: 8, smallBatchInformation: 16 };

export interface LintResult {
  facts: DocumentFacts;
  findings: Finding[];
}

/**
 * Lints successive versions of one document. It remembers the summaries of unchanged
 * statements, so after an edit only the edited statements are read again.
 */
export class DocumentLinter {
  private readonly summarizer: ModuleSummarizer;
  private readonly factCache = new FactCache();

  constructor(language: Language) {
    this.summarizer = new ModuleSummarizer(language);
  }

  lint(tree: Tree, options: LintOptions = {}): LintResult {
    const facts = this.facts(new ModuleAnalysis(this.summarize(tree)));
    return { facts, findings: checkFacts(facts, options) };
  }

  /** The module's summary, re-reading only the statements that changed since the last call. */
  summarize(tree: Tree): ModuleSummary {
    return this.summarizer.summarize(tree);
  }

  /** The facts of the analysed module; in a workspace, `linksKey` and `imported` say what other files contribute. */
  facts(analysis: ModuleAnalysis, linksKey?: string, imported?: ImportedFacts): DocumentFacts {
    return this.factCache.collect(analysis, linksKey, imported);
  }
}

/**
 * Runs the rules on a document's facts with the user's severities and thresholds. `uri` names the
 * document when its findings may be reported in other files (a workspace).
 */
export function checkFacts(facts: DocumentFacts, options: LintOptions = {}, uri?: string): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const setting = options.severities?.[rule.name];
    if (setting === 'off') continue;
    const configured = setting === undefined || setting === 'default' ? undefined : setting;
    for (const { layer, basis, severity: ownSeverity, ...finding } of rule.check({ facts, thresholds: options.thresholds ?? defaultThresholds })) {
      const complete: Finding = { ...finding, code: rule.code, rule: rule.name, severity: configured ?? ownSeverity ?? rule.defaultSeverity };
      const hop = layer && basis ? decidingCall(layer, basis) : undefined;
      const placed = layer && hop ? atCallSite(complete, layer, hop, uri) : complete;
      // A comment on the layer's own line silences it wherever the finding is shown.
      if (isSuppressed(facts.suppressions, placed) || (placed !== complete && isSuppressed(facts.suppressions, complete))) continue;
      const key = findingKey(placed);
      if (!seen.has(key)) {
        seen.add(key);
        findings.push(placed);
      }
    }
  }
  findings.sort((first, second) => first.range.start.line - second.range.start.line || first.range.start.character - second.range.start.character);
  return findings;
}

/** The outermost call on the way to the layer that supplied a value the verdict rests on. */
function decidingCall(layer: NormLayerFact, basis: readonly BoundArgument[]): CallHop | undefined {
  const origins = basis.flatMap((argument) => (argument.value.kind === 'unknown' ? [] : argument.value.origins));
  return layer.callChain.find((hop) => origins.some((origin) => origin.uri === hop.uri && contains(hop.range, origin.range.start)));
}

/**
 * Moves a finding about a layer inside a function to the call that fixed its values, where the
 * user can act (`Block(100)`), and links back to the layer and each call on the way. Its fixes
 * edit the layer's own arguments, which are parameters there, so they are dropped.
 */
function atCallSite(finding: Finding, layer: NormLayerFact, outermost: CallHop, analysedFile: string | undefined): Finding {
  const inner = layer.callChain.slice(layer.callChain.indexOf(outermost) + 1);
  // Ranges without a file are in the analysed file; seen from another file they need one.
  const from = (uri: string | undefined): { uri?: string } => (outermost.uri === undefined ? (uri === undefined ? {} : { uri }) : { uri: uri ?? analysedFile });
  const where = outermost.uri === undefined || analysedFile === undefined ? `line ${layer.range.start.line + 1}` : `line ${layer.range.start.line + 1} of ${fileLabel(analysedFile)}`;
  return {
    code: finding.code,
    rule: finding.rule,
    severity: finding.severity,
    message: `The ${layer.signature.displayName} on ${where} built by ${outermost.uri === undefined ? 'this call' : `\`${outermost.source}(…)\``}: ${finding.message}`,
    range: outermost.range,
    ...(outermost.uri === undefined ? {} : { uri: outermost.uri }),
    related: [
      { range: layer.range, message: `the ${layer.signature.displayName} this call builds`, ...from(undefined) },
      ...inner.map((hop) => ({ range: hop.range, message: `called through \`${hop.source}\``, ...from(hop.uri) })),
      ...(finding.related ?? []).map((related) => ({ ...related, ...from(related.uri) })),
    ],
  };
}

/** What makes two findings one (a layer built in several contexts, configs sharing a base): rule, file, place and message. */
export function findingKey(finding: Finding): string {
  return `${finding.code}|${finding.uri ?? ''}|${finding.range.start.line}:${finding.range.start.character}|${finding.message}`;
}

/** `findings` with each finding once, the first kept; linear, since a large file has hundreds. */
export function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = findingKey(finding);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Lints one tree once (the CLI, tests). */
export function lint(tree: Tree, language: Language, options?: LintOptions): LintResult {
  return new DocumentLinter(language).lint(tree, options);
}
