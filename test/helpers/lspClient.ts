// A real LSP client for protocol tests: spawns a normlint server over stdio and speaks
// JSON-RPC to it through vscode-languageserver-protocol, as an editor would.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  ConfigurationRequest,
} from 'vscode-languageserver-protocol/node';
import type { InitializeResult, ProtocolConnection, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';

export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: (() => void)[] = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.listen();
  }

  /** Starts `node <args>` and initializes it; `settings` answers the server's workspace/configuration requests. */
  static async start(args: string[], settings?: unknown, initializationOptions?: unknown): Promise<{ client: LspTestClient; initializeResult: InitializeResult }> {
    const client = new LspTestClient(spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    client.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings ?? null));
    const initializeResult = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: settings !== undefined } },
      initializationOptions,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, initializeResult };
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  /** Waits (polling the notifications received, up to `timeoutMs`) for diagnostics of `uri` that satisfy `accept`. */
  async diagnostics(uri: string, accept: (params: PublishDiagnosticsParams) => boolean, timeoutMs = 10000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = [...this.published].reverse().find((params) => params.uri === uri);
      if (found && accept(found)) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(found)}; server stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
