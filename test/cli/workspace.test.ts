// `normlint check` on whole fixture workspaces (test/fixtures/workspaces/*): the findings must be
// exactly those each workspace's expected.json lists, which scripts/oracle/checkWorkspaces.py
// confirms under PyTorch, and a finding that spans files must name and point at both ends.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { fixturePath, repositoryRoot } from '../helpers/repository';
import { normlint, normlintIn } from './normlintProcess';

interface Place {
  /** Relative to the workspace, with `/`. */
  file: string;
  /** 1-based; in a notebook, within the cell. */
  line: number;
  /** A notebook's 0-based code cell. */
  cell?: number;
}

interface ExpectedFinding extends Place {
  code: string;
  /** For a mirror: the place the finding is reported, whose message it repeats. */
  from?: Place;
}

interface JsonDiagnostic {
  path: string;
  cell?: number;
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number } };
}

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
}

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: (SarifLocation & { message: { text: string } })[];
}

const workspaces = readdirSync(fixturePath('workspaces'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
/** As the CLI is given it: relative to the repository root, where the tests run it. */
const workspaceArgument = (name: string): string => ['test', 'fixtures', 'workspaces', name].join('/');

function expectedFindings(name: string): ExpectedFinding[] {
  return JSON.parse(readFileSync(fixturePath('workspaces', name, 'expected.json'), 'utf8')) as ExpectedFinding[];
}

function checkJson(folder: string, ...paths: string[]): { status: number | null; diagnostics: JsonDiagnostic[] } {
  const { status, stdout, stderr } = normlintIn(folder, 'check', ...paths, '--format', 'json');
  assert.equal(stderr, '');
  return { status, diagnostics: (JSON.parse(stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics };
}

/** A diagnostic as expected.json writes it, with its path relative to the workspace. */
function asPlace(workspaceFolder: string, diagnostic: JsonDiagnostic): ExpectedFinding {
  return {
    file: relative(workspaceFolder, diagnostic.path).split(sep).join('/'),
    line: diagnostic.range.start.line + 1,
    ...(diagnostic.cell === undefined ? {} : { cell: diagnostic.cell }),
    code: diagnostic.code,
  };
}

function key(finding: Place & { code: string }): string {
  return `${finding.file}${finding.cell === undefined ? '' : `:cell ${finding.cell}`}:${finding.line} ${finding.code}`;
}

function sortedKeys(findings: readonly (Place & { code: string })[]): string[] {
  return [...new Set(findings.map(key))].sort();
}

describe('normlint check on a workspace', () => {
  for (const name of workspaces) {
    it(`reports exactly the findings expected.json lists in ${name}`, () => {
      const folder = workspaceArgument(name);
      const { status, diagnostics } = checkJson(repositoryRoot, folder);
      const expected = expectedFindings(name);
      assert.deepEqual(sortedKeys(diagnostics.map((diagnostic) => asPlace(folder, diagnostic))), sortedKeys(expected));
      // Two findings on one line of one rule would collapse in the comparison above.
      assert.equal(diagnostics.length, expected.length, 'one diagnostic per expected entry');
      assert.equal(status, diagnostics.some((diagnostic) => diagnostic.severity === 'error' || diagnostic.severity === 'warning') ? 1 : 0);
    });

    it(`finds the same in ${name} when run from inside it`, () => {
      const { diagnostics } = checkJson(fixturePath('workspaces', name), '.');
      assert.deepEqual(sortedKeys(diagnostics.map((diagnostic) => asPlace('.', diagnostic))), sortedKeys(expectedFindings(name)));
    });

    it(`repeats each finding of ${name} on the lines it involves in other files, linking back`, () => {
      const folder = workspaceArgument(name);
      const { diagnostics } = checkJson(repositoryRoot, folder);
      const byKey = new Map(diagnostics.map((diagnostic) => [key(asPlace(folder, diagnostic)), diagnostic]));
      for (const finding of expectedFindings(name)) {
        const diagnostic = byKey.get(key(finding));
        assert.ok(diagnostic, `${key(finding)} is reported`);
        const message = diagnostic.message;
        if (!finding.from) {
          assert.doesNotMatch(message, /^From /, key(finding));
          continue;
        }
        const origin = byKey.get(key({ ...finding.from, code: finding.code }));
        assert.ok(origin, `${key(finding)} mirrors ${key({ ...finding.from, code: finding.code })}, which is reported`);
        assert.ok(message.endsWith(`: ${origin.message}`), `${key(finding)} repeats the message of the finding it mirrors`);
        // A notebook's program lines are not what its user sees: mirrors name the cell instead (tested below).
        if (finding.from.cell === undefined) assert.ok(message.startsWith(`From ${basename(finding.from.file)} line ${finding.from.line} (`), message);
        else assert.ok(message.startsWith(`From ${basename(finding.from.file)} `), message);
      }
    });
  }

  it('names both files in text output: the script reports the layer, the layer names the script', () => {
    const { status, stdout } = normlint('check', workspaceArgument('training'));
    assert.equal(status, 1);
    const lines = stdout.split('\n');
    const atCall = lines.find((line) => line.startsWith('test/fixtures/workspaces/training/train.py:10:'));
    assert.ok(atCall, stdout);
    assert.match(atCall, /NL101 \[group-divisibility\] .*blocks\.py/);
    const atLayer = lines.find((line) => line.startsWith('test/fixtures/workspaces/training/models/blocks.py:8:'));
    assert.ok(atLayer, stdout);
    assert.match(atLayer, /NL101 \[group-divisibility\] From train\.py line 10 \(the GroupNorm this call builds\): /);
    const atConfig = lines.find((line) => line.startsWith('test/fixtures/workspaces/training/conf/train.yaml:4:'));
    assert.ok(atConfig, stdout);
    assert.match(atConfig, /NL104 \[batch-size-one\] From train\.py line 12 \(`train\.batch_size` sets the batch size\): /);
  });

  it('counts the cross-file links it made in --stats', () => {
    const linkCounts = (folder: string): number[] => {
      const { stdout } = normlint('check', folder, '--stats');
      const match = /^ {2}cross-file links: (\d+) imports of workspace files, (\d+) calls into other files, (\d+) norm layers built with another file's arguments, (\d+) config values read$/m.exec(stdout);
      assert.ok(match, stdout);
      return match.slice(1).map(Number);
    };
    const [imports, calls, layers, configValues] = linkCounts(workspaceArgument('training'));
    assert.ok(imports! > 0 && calls! > 0 && layers! > 0 && configValues! > 0, `imports ${imports}, calls ${calls}, layers ${layers}, config values ${configValues}`);
    const [notebookImports, notebookCalls, notebookLayers] = linkCounts(workspaceArgument('notebook-and-configs'));
    assert.ok(notebookImports! > 0 && notebookCalls! > 0 && notebookLayers! > 0, `imports ${notebookImports}, calls ${notebookCalls}, layers ${notebookLayers}`);
  });

  it('judges a file checked on its own by that file alone when no pyproject.toml marks a project: no cross-file findings, no links', () => {
    for (const file of ['models/blocks.py', 'train.py']) {
      const { status, stdout } = normlint('check', `${workspaceArgument('training')}/${file}`, '--stats');
      assert.equal(status, 0, file);
      assert.match(stdout, /^No findings in 1 file\.$/m, file);
      assert.match(stdout, /cross-file links: 0 imports of workspace files, 0 calls into other files, 0 norm layers built with another file's arguments, 0 config values read/, file);
    }
  });

  it('reads the rest of a project marked by pyproject.toml when one file of it is checked, and reports only that file', () => {
    const project = mkdtempSync(join(tmpdir(), 'normlint-project-'));
    try {
      cpSync(fixturePath('workspaces', 'training'), project, { recursive: true });
      writeFileSync(join(project, 'pyproject.toml'), '[project]\nname = "training"\n');
      const onLayer = checkJson(project, 'models/blocks.py');
      assert.equal(onLayer.status, 1);
      assert.deepEqual(onLayer.diagnostics.map((diagnostic) => [diagnostic.path, diagnostic.range.start.line + 1, diagnostic.code]), [['models/blocks.py', 8, 'NL101']]);
      assert.match(onLayer.diagnostics[0]!.message, /^From train\.py line 10 \(the GroupNorm this call builds\): /);
      const atScript = checkJson(project, 'train.py');
      assert.deepEqual(atScript.diagnostics.map((diagnostic) => [diagnostic.path, diagnostic.range.start.line + 1, diagnostic.code]), [['train.py', 10, 'NL101'], ['train.py', 12, 'NL104']]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('stays silent about the script\'s model and loader when the config they read is not among the checked files', () => {
    const folder = workspaceArgument('training');
    const { status, diagnostics } = checkJson(repositoryRoot, `${folder}/train.py`, `${folder}/models`, `${folder}/settings.py`);
    assert.equal(status, 0);
    assert.deepEqual(diagnostics, []);
  });

  it('points SARIF related locations of a cross-file finding at the other files, and mirrors back at the script', () => {
    const { stdout } = normlint('check', workspaceArgument('training'), '--format', 'sarif');
    const results = (JSON.parse(stdout) as { runs: { results: SarifResult[] }[] }).runs[0]!.results;
    const place = (location: SarifLocation): string => `${location.physicalLocation.artifactLocation.uri}:${location.physicalLocation.region.startLine}`;
    const prefix = 'test/fixtures/workspaces/training/';
    const atCall = results.find((result) => result.ruleId === 'NL101' && place(result.locations[0]!) === `${prefix}train.py:10`);
    assert.ok(atCall);
    const related = new Set(atCall.relatedLocations!.map(place));
    for (const other of ['models/blocks.py:8', 'models/unet.py:9', 'settings.py:1', 'conf/train.yaml:2']) assert.ok(related.has(`${prefix}${other}`), `${other} in ${[...related].join(', ')}`);
    const atLayer = results.find((result) => result.ruleId === 'NL101' && place(result.locations[0]!) === `${prefix}models/blocks.py:8`);
    assert.ok(atLayer);
    assert.deepEqual(atLayer.relatedLocations!.map(place), [`${prefix}train.py:10`]);
  });

  it('names a notebook finding\'s cell and line in the cell when repeating it in another file', () => {
    const folder = workspaceArgument('notebook-and-configs');
    const { diagnostics } = checkJson(repositoryRoot, folder);
    const mirror = diagnostics.find((diagnostic) => asPlace(folder, diagnostic).file === 'nets/blocks.py');
    assert.ok(mirror);
    assert.match(mirror.message, /^From explore\.ipynb cell 2, line 2 \(/);
  });

  it('keeps the lines of related locations in other files when the finding is in a notebook', () => {
    const { stdout } = normlint('check', workspaceArgument('notebook-and-configs'), '--format', 'sarif');
    const results = (JSON.parse(stdout) as { runs: { results: SarifResult[] }[] }).runs[0]!.results;
    const inNotebook = results.find((result) => result.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('explore.ipynb'));
    assert.ok(inNotebook);
    const related = inNotebook.relatedLocations!.map((location) => `${location.physicalLocation.artifactLocation.uri.split('/').slice(-2).join('/')}:${location.physicalLocation.region.startLine}`);
    assert.ok(related.includes('nets/blocks.py:8'), related.join(', '));
    assert.ok(related.includes('nets/model.py:10'), related.join(', '));
  });
});
