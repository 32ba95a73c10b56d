// Turns the core's plain findings and facts into LSP types: the only place that knows both.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { CodeActionKind, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import type { NormLayerFact } from '../src/analysis/normLayers';
import type { Value } from '../src/python/evaluate';
import type { Finding, Severity } from '../src/rules/rule';
import type { LayerSummary } from './protocol';

const severityToLsp: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const diagnosticSource = 'normlint';

const docsUris = new Map<string, string>();

/** The `file:` URI of a rule's documentation inside the installed extension, computed once per rule. */
function ruleDocsUri(installRoot: string, ruleName: string): string {
  const key = `${installRoot}\0${ruleName}`;
  let uri = docsUris.get(key);
  if (!uri) {
    uri = pathToFileURL(join(installRoot, 'docs', 'rules', `${ruleName}.md`)).toString();
    docsUris.set(key, uri);
  }
  return uri;
}

export function toDiagnostic(finding: Finding, documentUri: string, installRoot: string): Diagnostic {
  return {
    range: finding.range,
    severity: severityToLsp[finding.severity],
    code: finding.code,
    codeDescription: { href: ruleDocsUri(installRoot, finding.rule) },
    source: diagnosticSource,
    message: finding.message,
    relatedInformation: finding.related?.map((related) => ({ location: { uri: related.uri ?? documentUri, range: related.range }, message: related.message })),
    data: { rule: finding.rule },
  };
}

export function toCodeActions(finding: Finding, diagnostic: Diagnostic, documentUri: string): CodeAction[] {
  return (finding.fixes ?? []).map((fix) => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.isPreferred ?? false,
    edit: { changes: { [documentUri]: fix.edits } },
  }));
}

export function toLayerSummary(layer: NormLayerFact, batchSize: number | undefined): LayerSummary {
  const resolved: LayerSummary['arguments'] = {};
  for (const [name, argument] of layer.arguments) {
    const value = plainValue(argument.value);
    if (value !== undefined) resolved[name] = value;
  }
  const written = [...layer.arguments.values()].map((argument) => `${argument.parameter}=${argument.source}`).join(', ');
  return {
    displayName: layer.signature.displayName,
    qualifiedName: layer.qualifiedName,
    arguments: resolved,
    description: `${layer.signature.displayName}(${written})`,
    ...(batchSize === undefined ? {} : { batchSize }),
    range: layer.range,
  };
}

function plainValue(value: Value): number | boolean | number[] | null | undefined {
  switch (value.kind) {
    case 'int':
    case 'float':
    case 'bool':
      return value.value;
    case 'none':
      return null;
    case 'sequence': {
      const numbers = value.items.map((item) => (item.kind === 'int' || item.kind === 'float' ? item.value : undefined));
      return numbers.every((item): item is number => item !== undefined) ? numbers : undefined;
    }
    default:
      return undefined;
  }
}
