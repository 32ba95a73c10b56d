// Runs the end-to-end suite (out/test/e2e/suite/index.js) inside a real VS Code without internet:
// the VS Code server from the code-server npm package (installed by scripts/installVscode.sh) runs
// the extension host, and headless Chromium opens its workbench, which starts the tests. Exits with
// the extension host's exit code and ends with the line `N passed, N failed`.
//
// With `--ui <module>` (a bundled file exporting `run(page, { resultsFolder })`), the workbench opens
// with the extension under development but no extension-host suite, and the module drives the page
// like a person (keyboard, mouse, screenshots) and returns its steps' results.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { format } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const suitePath = join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js');
const fixtureWorkspace = join(repoRoot, 'test', 'e2e', 'workspace');
const resultsFolder = join(repoRoot, 'test-results');
const screenshotPath = join(resultsFolder, 'vscode-e2e.png');
const chromiumPath = process.env.NORMLINT_CHROMIUM ?? '/usr/bin/chromium';
const timeoutMs = Number(process.env.NORMLINT_E2E_TIMEOUT_MS ?? 5 * 60_000);
const keepTemp = process.env.NORMLINT_E2E_KEEP_TEMP === '1';
const uiArgument = process.argv.indexOf('--ui');
const uiModulePath = uiArgument >= 0 && process.argv[uiArgument + 1] ? resolve(process.argv[uiArgument + 1]) : undefined;
// Chromium on a machine with a closed network: without these flags it keeps trying Google's hosts.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Why the run failed before the suite could report, for the closing lines. */
class HarnessError extends Error {}

const children = new Set();
let browserContext;
let tempFolder;
let cleanedUp = false;

function say(line) {
  console.log(`vscode-e2e: ${line}`);
}

/** Runs installVscode.sh and returns the folder it installed into (its last line of stdout). */
function ensureVscodeInstall() {
  const started = Date.now();
  const install = spawnSync('bash', [join(repoRoot, 'scripts', 'installVscode.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (install.error || install.status !== 0) {
    throw new HarnessError(
      `the VS Code build could not be installed (scripts/installVscode.sh ${install.error ? `did not start: ${install.error.message}` : `exited with ${install.status}`}; its output is above). ` +
        'It needs the npm registry and Debian packages (chromium, ripgrep, libkrb5-dev).',
    );
  }
  const installDir = install.stdout.trim().split('\n').at(-1);
  const serverMain = join(installDir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
  if (!existsSync(serverMain)) {
    throw new HarnessError(`installVscode.sh reported ${installDir}, but ${serverMain} does not exist`);
  }
  say(`VS Code ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${installDir}`);
  return serverMain;
}

/** Loads playwright-core from the project's devDependencies with a clear message if it is missing. */
async function loadChromium() {
  try {
    return (await import('playwright-core')).chromium;
  } catch (error) {
    throw new HarnessError(`playwright-core is not installed (run npm install): ${error.message}`);
  }
}

/** Prints each line of `stream` with `prefix` and hands it to `onLine`. */
function forwardLines(stream, prefix, onLine) {
  createInterface({ input: stream }).on('line', (line) => {
    console.log(`${prefix}${line}`);
    onLine(line);
  });
}

/** A promise with its resolve function, for events that arrive through callbacks. */
function deferred() {
  let resolve;
  const promise = new Promise((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Starts the VS Code server in its own process group (so that cleanup reaches the extension host and
 * every helper it starts). `port` settles once the server listens; `extensionHostExit` when the
 * server logs that the extension host exited, or when the server itself dies.
 */
function startServer(serverMain, folders) {
  // The test options are not on this command line: the server ignores --extensionDevelopmentPath
  // and --extensionTestsPath ("not supported for server"); the workbench passes them in `payload`.
  const args = [
    serverMain,
    '--host', '127.0.0.1',
    '--port', '0',
    '--without-connection-token',
    '--accept-server-license-terms',
    '--telemetry-level', 'off',
    '--server-data-dir', folders.serverData,
    '--user-data-dir', folders.userData,
  ];
  const server = spawn(process.execPath, args, {
    cwd: folders.root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The extension host inherits this environment; the suite writes its results to this file.
    env: { ...process.env, NORMLINT_E2E_RESULTS: folders.results },
  });
  children.add(server);
  const port = deferred();
  const extensionHostExit = deferred();
  const onLine = (line) => {
    const listening = /Extension host agent listening on (\d+)/.exec(line);
    if (listening) {
      port.resolve(Number(listening[1]));
    }
    const exited = /Extension Host Process exited with code: (\S+?),? signal: (\S+?)\.?$/.exec(line);
    if (exited) {
      const code = Number(exited[1]);
      extensionHostExit.resolve({ code: Number.isInteger(code) ? code : 1, description: `code ${exited[1]}, signal ${exited[2]}` });
    }
  };
  forwardLines(server.stdout, '[server] ', onLine);
  forwardLines(server.stderr, '[server:stderr] ', onLine);
  server.on('exit', (code, signal) => {
    children.delete(server);
    const reason = `the VS Code server exited early (code ${code}, signal ${signal})`;
    port.resolve(new HarnessError(reason));
    extensionHostExit.resolve({ code: 1, description: reason, harnessError: reason });
  });
  return { port: port.promise, extensionHostExit: extensionHostExit.promise };
}

/**
 * Opens the workbench with the test payload in headless Chromium. The workbench reports to two
 * functions a test runner may define on its window (as @vscode/test-web does): codeAutomationLog
 * gets its log, which includes everything the extension host prints (mocha's output among it), and
 * codeAutomationExit the exit code the extension host asked for, which `onAutomationExit` receives.
 */
async function openWorkbench(port, folders, onAutomationExit) {
  const chromium = await loadChromium();
  if (!existsSync(chromiumPath)) {
    throw new HarnessError(`Chromium is not at ${chromiumPath} (install Debian's chromium or set NORMLINT_CHROMIUM)`);
  }
  browserContext = await chromium.launchPersistentContext(folders.chromiumProfile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 800 },
    // Playwright would otherwise exit on these signals itself, before cleanUp() reaches the server.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = browserContext.pages()[0] ?? (await browserContext.newPage());
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // The arguments are console-style (a format string first); %c styles are dropped by format().
    console.log(`[vscode:${type}] ${format(...(Array.isArray(args) ? args : [args]))}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => onAutomationExit(code));
  // What the workbench logs reaches codeAutomationLog already (those console lines start with a
  // %c style); other errors (a script that fails to load, say) only reach the console.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('%c')) {
      console.log(`[browser:error] ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => console.log(`[browser:pageerror] ${error.message}`));
  page.on('crash', () => console.log('[browser] the workbench page crashed'));
  // The workbench reads the test options from `payload`; paths are URIs of the remote (the server).
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(repoRoot)],
    // In UI mode the extension host keeps running for the module to drive.
    ...(uiModulePath ? [] : [['extensionTestsPath', remote(suitePath)]]),
    ['skipWelcome', 'true'],
  ];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folders.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  say(`opening the workbench at ${url}`);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return page;
}

async function saveScreenshot(page) {
  if (!page || page.isClosed()) {
    return;
  }
  try {
    mkdirSync(resultsFolder, { recursive: true });
    await page.screenshot({ path: screenshotPath, timeout: 10_000 });
    say(`saved a screenshot of the workbench to ${relative(repoRoot, screenshotPath)}`);
  } catch (error) {
    say(`could not save a screenshot: ${error.message}`);
  }
}

/** Prints the extension's and the extension host's log files, which hold the language server's output. */
function printExtensionHostLogs(userData) {
  const logsRoot = join(userData, 'logs');
  if (!existsSync(logsRoot)) {
    return;
  }
  // The built-in extensions' logs (vscode.git, ...) only add noise.
  const logFiles = readdirSync(logsRoot, { recursive: true })
    .map(String)
    .filter((name) => name.includes('exthost') && name.endsWith('.log') && !/[\\/]vscode\.[^\\/]+[\\/]/.test(name))
    .map((name) => join(logsRoot, name))
    .filter((path) => statSync(path).size > 0);
  for (const path of logFiles) {
    console.log(`----- ${relative(logsRoot, path)} -----`);
    console.log(readFileSync(path, 'utf8').trimEnd());
  }
}

/** Reads what the suite wrote; undefined when it never got that far. */
function readResults(resultsPath) {
  try {
    return JSON.parse(readFileSync(resultsPath, 'utf8')).tests;
  } catch {
    return undefined;
  }
}

/**
 * The message of a test's error and the first stack frame in the suite: enough for the summary,
 * since mocha's own report above has the whole stack.
 */
function shortError(error) {
  const lines = error.split('\n');
  const message = lines.filter((line) => !/^\s*at /.test(line)).slice(0, 8);
  const suiteFrame = lines.find((line) => /^\s*at /.test(line) && line.includes('e2e'));
  return suiteFrame ? [...message, suiteFrame.trim()] : message;
}

/** Prints each test as passed or failed, with the errors, then the closing line the CI reads. */
function printSummary(tests, harnessFailure) {
  console.log('');
  console.log('vscode-e2e results:');
  if (tests === undefined) {
    console.log(`  the suite reported no results: ${harnessFailure ?? 'see the extension host output above'}`);
    console.log('0 passed, 1 failed');
    return;
  }
  for (const test of tests) {
    console.log(`  ${test.state === 'passed' ? 'passed' : 'FAILED'}  ${test.title} (${test.durationMs} ms)`);
  }
  for (const test of tests.filter((entry) => entry.state === 'failed')) {
    console.log('');
    console.log(`  FAILED: ${test.title}`);
    console.log(`    ${shortError(test.error).join('\n    ')}`);
  }
  const passed = tests.filter((entry) => entry.state === 'passed').length;
  // A harness failure after the suite ran (say, a crash on shutdown) still fails the run.
  const failed = tests.length - passed + (harnessFailure && tests.length === passed ? 1 : 0);
  if (harnessFailure) {
    console.log(`  and: ${harnessFailure}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
}

/** Ends the browser and the server's whole process group; safe to call twice. */
async function cleanUp() {
  if (cleanedUp) {
    return;
  }
  cleanedUp = true;
  if (browserContext) {
    await browserContext.close().catch(() => {});
  }
  for (const child of children) {
    killGroup(child, 'SIGTERM');
  }
  // The server normally goes at once; whatever is left after 3 s is killed.
  const deadline = Date.now() + 3_000;
  while (children.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const child of children) {
    killGroup(child, 'SIGKILL');
  }
  if (tempFolder && !keepTemp) {
    rmSync(tempFolder, { recursive: true, force: true });
  } else if (tempFolder) {
    say(`kept the temporary folder ${tempFolder}`);
  }
}

function killGroup(child, signal) {
  try {
    // A negative pid is the process group that `detached: true` made for the server.
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function main() {
  const started = Date.now();
  if (!existsSync(uiModulePath ?? suitePath)) {
    throw new HarnessError(`${relative(repoRoot, uiModulePath ?? suitePath)} does not exist: run \`npm run build\` first`);
  }
  if (!existsSync(join(repoRoot, 'dist', 'client.js'))) {
    say('warning: dist/client.js does not exist, so the extension cannot activate (run `npm run build`)');
  }
  const serverMain = ensureVscodeInstall();

  tempFolder = mkdtempSync(join(tmpdir(), 'normlint-vscode-e2e-'));
  const folders = {
    root: tempFolder,
    workspace: join(tempFolder, 'workspace'),
    serverData: join(tempFolder, 'server-data'),
    userData: join(tempFolder, 'user-data'),
    chromiumProfile: join(tempFolder, 'chromium-profile'),
    results: join(tempFolder, 'results.json'),
  };
  // The tests edit the fixtures (without saving); a copy keeps the repo's files untouched anyway.
  cpSync(fixtureWorkspace, folders.workspace, { recursive: true });
  // A multi-file project (training script, model package, settings, YAML config) for the workspace index.
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspaces', 'training'), join(folders.workspace, 'training'), { recursive: true });
  // code-server keeps user settings on the server, in <user-data-dir>/User/settings.json.
  mkdirSync(join(folders.userData, 'User'), { recursive: true });
  writeFileSync(
    join(folders.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
      },
      null,
      2,
    ),
  );

  // One limit for the whole run, from the server's start to the extension host's exit.
  const timedOut = sleep(timeoutMs).then(() => ({ timedOut: true }));
  const { port, extensionHostExit } = startServer(serverMain, folders);
  const listeningPort = await Promise.race([port, timedOut]);
  if (listeningPort instanceof HarnessError) {
    throw listeningPort;
  }
  if (typeof listeningPort !== 'number') {
    throw new HarnessError(`the VS Code server did not listen within ${timeoutMs / 1000} s`);
  }
  say(`VS Code server listening on 127.0.0.1:${listeningPort}`);

  if (uiModulePath) {
    const page = await openWorkbench(listeningPort, folders, () => {});
    const { run } = await import(pathToFileURL(uiModulePath).href);
    const outcome = await Promise.race([run(page, { resultsFolder }), timedOut]);
    const tests = outcome.timedOut ? undefined : outcome;
    say(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    printSummary(tests, tests ? undefined : `timed out after ${timeoutMs / 1000} s (NORMLINT_E2E_TIMEOUT_MS sets the limit)`);
    return tests?.every((test) => test.state === 'passed') ? 0 : 1;
  }

  const automationExit = deferred();
  let page;
  // A browser that fails to start is a harness failure at once, not a wait until the timeout.
  const opened = openWorkbench(listeningPort, folders, automationExit.resolve).then((openedPage) => {
    page = openedPage;
    return new Promise(() => {});
  });
  const first = await Promise.race([extensionHostExit, automationExit.promise, timedOut, opened]);

  let harnessFailure;
  let exitCode;
  if (first.timedOut) {
    harnessFailure = `timed out after ${timeoutMs / 1000} s without the extension host exiting (NORMLINT_E2E_TIMEOUT_MS sets the limit)`;
    await saveScreenshot(page);
    exitCode = 1;
  } else {
    // The workbench reports the code the tests asked for; the server then ends the process, whose
    // own code is 0 even when tests failed. Whichever comes first, give the other a moment.
    const grace = (promise) => Promise.race([promise, sleep(10_000).then(() => undefined)]);
    const [hostExit, requestedCode] = await Promise.all([grace(extensionHostExit), grace(automationExit.promise)]);
    say(
      `the extension host exited (${hostExit?.description ?? 'the server did not log its exit'}); ` +
        `the tests asked for exit code ${requestedCode ?? 'unknown (the workbench did not report it)'}`,
    );
    harnessFailure = hostExit?.harnessError;
    exitCode = requestedCode ?? hostExit?.code ?? 1;
  }
  const tests = readResults(folders.results);
  if (tests === undefined && !harnessFailure) {
    harnessFailure = 'the extension host exited before the suite reported its results (see the output above)';
    await saveScreenshot(page);
  }
  const anyTestFailed = tests === undefined || tests.some((test) => test.state === 'failed');
  if (exitCode === 0 && (harnessFailure || anyTestFailed)) {
    exitCode = 1;
  }
  if (exitCode !== 0 && !harnessFailure && !anyTestFailed) {
    // Keeps the closing line from reading as a success when the exit code says otherwise.
    harnessFailure = `every test passed, but the extension host exited with code ${exitCode}`;
  }
  if (exitCode !== 0) {
    printExtensionHostLogs(folders.userData);
  }
  say(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  printSummary(tests, harnessFailure);
  return exitCode;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    say(`received ${signal}, stopping`);
    cleanUp().finally(() => process.exit(1));
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  const reason = error instanceof HarnessError ? error.message : (error.stack ?? String(error));
  console.log(`vscode-e2e: FAILED: ${reason}`);
  printSummary(undefined, reason);
} finally {
  await cleanUp();
}
process.exit(exitCode);
