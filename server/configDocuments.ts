// Model configs open in the editor (diffusers-style `config.json`): checked as a whole on each
// change, with diagnostics on the config lines where the numbers are written.
import type { Connection, TextDocumentContentChangeEvent, TextDocumentItem } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LintOptions } from '../src/analysis/lint';
import { lintDiffusersConfig } from '../src/configs/diffusersConfig';
import { toDiagnostic } from './presentation';

export class ConfigDocuments {
  private readonly documents = new Map<string, TextDocument>();

  constructor(
    private readonly connection: Connection,
    /** The options to lint a config with (its pyproject.toml applies), or undefined while normlint is disabled or settings are not read yet. */
    private readonly lintOptions: (uri: string) => Promise<LintOptions | undefined>,
    private readonly installRoot: string,
  ) {}

  /** JSON documents are configs; everything else is the Python path's. */
  static accepts(item: TextDocumentItem): boolean {
    return item.languageId === 'json' || item.languageId === 'jsonc';
  }

  has(uri: string): boolean {
    return this.documents.has(uri);
  }

  open(item: TextDocumentItem): void {
    this.documents.set(item.uri, TextDocument.create(item.uri, item.languageId, item.version, item.text));
    void this.publish(item.uri);
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const document = this.documents.get(uri);
    if (!document) return;
    this.documents.set(uri, TextDocument.update(document, changes, version));
    void this.publish(uri);
  }

  close(uri: string): void {
    if (this.documents.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  reanalyzeAll(): void {
    for (const uri of this.documents.keys()) void this.publish(uri);
  }

  private async publish(uri: string): Promise<void> {
    const options = await this.lintOptions(uri);
    // Read the document after waiting: a newer version may have arrived meanwhile.
    const document = this.documents.get(uri);
    if (!document || !options) return;
    const findings = lintDiffusersConfig(document.getText(), options.severities ?? {});
    void this.connection.sendDiagnostics({ uri, version: document.version, diagnostics: findings.map((finding) => toDiagnostic(finding, uri, this.installRoot)) });
  }
}
