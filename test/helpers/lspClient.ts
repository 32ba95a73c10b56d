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
  DidChangeWatchedFilesNotification,
  RegistrationRequest,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';
import type { FileEvent, InitializeResult, ProtocolConnection, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';

/** What an editor with a workspace open tells the server. */
export interface WorkspaceOptions {
  folders: string[];
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: (() => void)[] = [];
  private stderr = '';
  /** `$/progress` kinds received, in order: begin, report…, end. */
  readonly progress: string[] = [];
  /** Glob patterns the server asked to be told about. */
  readonly watched: string[] = [];

  private constructor(private readonly child: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.connection.onNotification('$/progress', (params: { value: { kind: string } }) => {
      this.progress.push(params.value.kind);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      for (const registration of params.registrations) {
        const watchers = (registration.registerOptions as { watchers?: { globPattern: string }[] } | undefined)?.watchers ?? [];
        this.watched.push(...watchers.map((watcher) => watcher.globPattern));
      }
    });
    this.connection.listen();
  }

  /** Starts `node <args>` and initializes it; `settings` answers the server's workspace/configuration requests. */
  static async start(
    args: string[],
    settings?: unknown,
    initializationOptions?: unknown,
    workspace?: WorkspaceOptions,
  ): Promise<{ client: LspTestClient; initializeResult: InitializeResult }> {
    const client = new LspTestClient(spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    client.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'files' ? { exclude: {} } : (settings ?? null))));
    const initializeResult = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      ...(workspace ? { workspaceFolders: workspace.folders.map((uri, index) => ({ uri, name: `folder ${index}` })) } : {}),
      capabilities: {
        workspace: { configuration: settings !== undefined, ...(workspace ? { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true } : {}) },
        ...(workspace ? { window: { workDoneProgress: true } } : {}),
      },
      initializationOptions,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, initializeResult };
  }

  open(uri: string, text: string, version = 1, languageId = 'python'): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  filesChanged(changes: FileEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /** Waits until the server has ended a work-done progress (indexing). */
  async progressEnded(timeoutMs = 20000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.progress.includes('end')) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no progress end; saw ${JSON.stringify(this.progress)}; server stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
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
