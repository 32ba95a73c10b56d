// The `normlint` command: `check` lints files and folders for CI and pre-commit hooks, `run` runs
// one layer on a .npy tensor with the bundled engine, `server` runs the language server for any LSP
// editor. It shares the core with the VS Code extension.
import { parseArgs } from 'node:util';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server/server';
import { runCheck } from './check';
import { CommandError } from './commandError';
import { runLayer } from './run';
import { UsageError } from './usageError';
import { normlintVersion } from './version';

const usage = `Usage:
  normlint check PATH... [options]     lint .py files (folders are walked)
      --format text|json|sarif         output format (default text)
      --select RULES                   run only these rules (comma-separated names or codes)
      --ignore RULES                   do not run these rules
      --stats                          also report norm layers found and arguments resolved
      --config FILE                    read [tool.normlint] from FILE instead of the nearest pyproject.toml
  normlint run "EXPRESSION" --input X.npy --output Y.npy [options]
                                       run one layer, e.g. "nn.GroupNorm(4, 8)", on a tensor
      --mode train|eval                default train, like a freshly built module
      --weight W.npy --bias B.npy      affine parameters (default ones and zeros)
      --stats STATS.json               write per-set mean/variance/count and running statistics
      --repeat N                       time the forward pass N times (median and min in STATS.json)
  normlint server --stdio              run the language server on stdin/stdout
  normlint --help | --version

Exit status: 0 success (check: no findings at warning or above), 1 findings (run: an error
finding on the expression), 2 usage error, unreadable file, invalid configuration or a layer the
engine rejects.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest);
    case 'run':
      return runLayer(rest);
    case 'server': {
      const { values } = parseArgs({ args: rest, options: { stdio: { type: 'boolean' } }, strict: true });
      if (!values.stdio) throw new UsageError('`normlint server` speaks LSP over stdio only: pass --stdio');
      startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
      return new Promise(() => undefined);
    }
    case '--version':
    case '-V':
      process.stdout.write(`normlint ${normlintVersion}\n`);
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
      process.stderr.write(`${prefixed(error.message)}\n\n${usage}\n`);
      process.exitCode = 2;
    } else if (error instanceof CommandError) {
      process.stderr.write(`${prefixed(error.message)}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`normlint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    }
  },
);

/** Each line of a message as `normlint: line`, so several configuration errors read like one each. */
function prefixed(message: string): string {
  return message
    .split('\n')
    .map((line) => `normlint: ${line}`)
    .join('\n');
}
