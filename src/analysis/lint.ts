// The analyzer's front door: syntax tree in, facts and findings out. Hosts (language server,
// CLI, tests) call this and present the findings their own way.
import type { Language, Tree } from '@vscode/tree-sitter-wasm';
import { rules } from '../rules';
import type { Finding, Severity } from '../rules/rule';
import { FactCache } from './documentFacts';
import type { DocumentFacts } from './documentFacts';
import { ModuleSummarizer } from './moduleSummary';
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
  private readonly facts = new FactCache();

  constructor(language: Language) {
    this.summarizer = new ModuleSummarizer(language);
  }

  lint(tree: Tree, options: LintOptions = {}): LintResult {
    const facts = this.facts.collect(this.summarizer.summarize(tree));
    const findings: Finding[] = [];
    for (const rule of rules) {
      const setting = options.severities?.[rule.name];
      if (setting === 'off') continue;
      const configured = setting === undefined || setting === 'default' ? undefined : setting;
      for (const { layer, basis, severity: ownSeverity, ...finding } of rule.check({ facts, thresholds: options.thresholds ?? defaultThresholds })) {
        const complete: Finding = { ...finding, code: rule.code, rule: rule.name, severity: configured ?? ownSeverity ?? rule.defaultSeverity };
        const hop = layer && basis ? decidingCall(layer, basis) : undefined;
        const placed = layer && hop ? atCallSite(complete, layer, hop) : complete;
        // A comment on the layer's own line silences it wherever the finding is shown.
        if (isSuppressed(facts.suppressions, placed) || (placed !== complete && isSuppressed(facts.suppressions, complete))) continue;
        if (!findings.some((existing) => sameFinding(existing, placed))) findings.push(placed);
      }
    }
    findings.sort((first, second) => first.range.start.line - second.range.start.line || first.range.start.character - second.range.start.character);
    return { facts, findings };
  }
}

/** The outermost call on the way to the layer that supplied a value the verdict rests on. */
function decidingCall(layer: NormLayerFact, basis: readonly BoundArgument[]): CallHop | undefined {
  const origins = basis.flatMap((argument) => (argument.value.kind === 'unknown' ? [] : argument.value.origins));
  return layer.callChain.find((hop) => origins.some((origin) => contains(hop.range, origin.range.start)));
}

/**
 * Moves a finding about a layer inside a function to the call that fixed its values, where the
 * user can act (`Block(100)`), and links back to the layer and each call on the way. Its fixes
 * edit the layer's own arguments, which are parameters there, so they are dropped.
 */
function atCallSite(finding: Finding, layer: NormLayerFact, outermost: CallHop): Finding {
  const inner = layer.callChain.slice(layer.callChain.indexOf(outermost) + 1);
  return {
    code: finding.code,
    rule: finding.rule,
    severity: finding.severity,
    message: `The ${layer.signature.displayName} on line ${layer.range.start.line + 1} built by this call: ${finding.message}`,
    range: outermost.range,
    related: [
      { range: layer.range, message: `the ${layer.signature.displayName} this call builds` },
      ...inner.map((hop) => ({ range: hop.range, message: `called through \`${hop.source}\`` })),
      ...(finding.related ?? []),
    ],
  };
}

function sameFinding(first: Finding, second: Finding): boolean {
  return (
    first.code === second.code &&
    first.message === second.message &&
    first.range.start.line === second.range.start.line &&
    first.range.start.character === second.range.start.character
  );
}

/** Lints one tree once (the CLI, tests). */
export function lint(tree: Tree, language: Language, options?: LintOptions): LintResult {
  return new DocumentLinter(language).lint(tree, options);
}
