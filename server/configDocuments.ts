// Model and training configs open in the editor (diffusers-style `config.json` or YAML, and the
// YAML/JSON files scripts load): checked as a whole on each change, with diagnostics on the config
// lines where the numbers are written, including findings the scripts that read them report.
import type { Connection, TextDocumentContentChangeEvent, TextDocumentItem } from 'vscode-languageserver/node';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LintOptions } from '../src/analysis/lint';
import { lintConfigFile } from '../src/configs';
import type { Finding } from '../src/rules/rule';
import { toDiagnostic } from './presentation';

/** How open configs take part in the workspace analysis. */
export interface ConfigWorkspaceHooks {
  /** The editor's text changed: scripts that read it see the new values. */
  changed(uri: string, text: string): void;
  /** Findings scripts report on lines of this config. */
  reportedIn(uri: string): Finding[];
}

export class ConfigDocuments {
  private readonly documents = new Map<string, TextDocument>();

  constructor(
    private readonly connection: Connection,
    /** The options to lint a config with (its pyproject.toml applies), or undefined while normlint is disabled or settings are not read yet. */
    private readonly lintOptions: (uri: string) => Promise<LintOptions | undefined>,
    private readonly installRoot: string,
    private readonly workspace: ConfigWorkspaceHooks,
  ) {}

  /** JSON and YAML documents are configs; everything else is the Python path's. */
  static accepts(item: TextDocumentItem): boolean {
    return item.languageId === 'json' || item.languageId === 'jsonc' || item.languageId === 'yaml';
  }

  has(uri: string): boolean {
    return this.documents.has(uri);
  }

  open(item: TextDocumentItem): void {
    this.documents.set(item.uri, TextDocument.create(item.uri, item.languageId, item.version, item.text));
    this.workspace.changed(item.uri, item.text);
    void this.publish(item.uri);
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const document = this.documents.get(uri);
    if (!document) return;
    const updated = TextDocument.update(document, changes, version);
    this.documents.set(uri, updated);
    this.workspace.changed(uri, updated.getText());
    void this.publish(uri);
  }

  close(uri: string): void {
    if (this.documents.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  reanalyzeAll(): void {
    for (const uri of this.documents.keys()) void this.publish(uri);
  }

  /** A script that reads this config changed. */
  republish(uri: string): void {
    void this.publish(uri);
  }

  private async publish(uri: string): Promise<void> {
    const options = await this.lintOptions(uri);
    // Read the document after waiting: a newer version may have arrived meanwhile.
    const document = this.documents.get(uri);
    if (!document || !options) return;
    const path = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
    const own = lintConfigFile({ path, text: document.getText(), severities: options.severities ?? {}, readFile: () => undefined }).findings;
    const findings = [...own, ...this.workspace.reportedIn(uri)];
    void this.connection.sendDiagnostics({ uri, version: document.version, diagnostics: findings.map((finding) => toDiagnostic(finding, uri, this.installRoot)) });
  }
}
