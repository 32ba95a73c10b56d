// The `normlint` command: `check` lints files and folders for CI and pre-commit hooks, `server`
// runs the language server for any LSP editor. It shares the core with the VS Code extension.
import { parseArgs } from 'node:util';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server/server';
import { runCheck } from './check';
import { UsageError } from './usageError';

const usage = `Usage:
  normlint check PATH... [--format text|json]   lint .py files (folders are walked)
  normlint server --stdio                       run the language server on stdin/stdout
  normlint --help | --version

Exit status of check: 0 no findings at warning or above, 1 findings, 2 usage error or unreadable path.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest);
    case 'server': {
      const { values } = parseArgs({ args: rest, options: { stdio: { type: 'boolean' } }, strict: true });
      if (!values.stdio) throw new UsageError('`normlint server` speaks LSP over stdio only: pass --stdio');
      startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
      return new Promise(() => undefined);
    }
    case '--version':
    case '-V':
      process.stdout.write('normlint 0.1.0\n');
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${usage}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`normlint: ${error.message}\n\n${usage}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`normlint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    }
  },
);
