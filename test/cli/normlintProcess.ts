// Runs the built CLI (dist/cli.js) as a user would, for the CLI tests.
import { spawnSync } from 'node:child_process';
import { cliPath, repositoryRoot } from '../helpers/repository';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `normlint ARGS` run from the repository root. */
export function normlint(...args: string[]): CliResult {
  return normlintIn(repositoryRoot, ...args);
}

/** `normlint ARGS` run from `folder`, for paths and configuration found relative to it. */
export function normlintIn(folder: string, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: folder, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
