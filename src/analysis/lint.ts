// The analyzer's front door: syntax tree in, facts and findings out. Hosts (language server,
// CLI, tests) call this and present the findings their own way.
import type { Language, Tree } from '@vscode/tree-sitter-wasm';
import { rules } from '../rules';
import type { Finding, Severity } from '../rules/rule';
import { collectDocumentFacts } from './documentFacts';
import type { DocumentFacts } from './documentFacts';
import { ModuleSummarizer } from './moduleSummary';
import { isSuppressed } from './suppressions';

export type SeveritySetting = Severity | 'off' | 'default';

export interface LintOptions {
  /** Per-rule severity by rule name; `default` or absent keeps the rule's own. */
  severities?: Readonly<Record<string, SeveritySetting | undefined>>;
}

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

  constructor(language: Language) {
    this.summarizer = new ModuleSummarizer(language);
  }

  lint(tree: Tree, options: LintOptions = {}): LintResult {
    const facts = collectDocumentFacts(this.summarizer.summarize(tree));
    const findings: Finding[] = [];
    for (const rule of rules) {
      const setting = options.severities?.[rule.name];
      if (setting === 'off') continue;
      const severity = setting === undefined || setting === 'default' ? rule.defaultSeverity : setting;
      for (const finding of rule.check({ facts })) {
        const complete: Finding = { ...finding, code: rule.code, rule: rule.name, severity };
        if (!isSuppressed(facts.suppressions, complete)) findings.push(complete);
      }
    }
    findings.sort((first, second) => first.range.start.line - second.range.start.line || first.range.start.character - second.range.start.character);
    return { facts, findings };
  }
}

/** Lints one tree once (the CLI, tests). */
export function lint(tree: Tree, language: Language, options?: LintOptions): LintResult {
  return new DocumentLinter(language).lint(tree, options);
}
