import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { normlintVersion } from '../../cli/version';
import { rules } from '../../src/rules';
import { fixturePath, repositoryRoot } from '../helpers/repository';
import { normlint, normlintIn } from './normlintProcess';

// The official SARIF 2.1.0 JSON schema is not available offline, so these checks restate the parts
// of it that normlint's output touches: required properties, types, enumerations, value ranges and
// the properties each object may have (the schema forbids any others on these objects).

type Json = Record<string, unknown>;

const allowedProperties: Record<string, readonly string[]> = {
  sarifLog: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'],
  run: ['tool', 'invocations', 'conversion', 'language', 'versionControlProvenance', 'originalUriBaseIds', 'artifacts', 'logicalLocations', 'graphs', 'results', 'automationDetails', 'runAggregates', 'baselineGuid', 'redactionTokens', 'defaultEncoding', 'defaultSourceLanguage', 'newlineSequences', 'columnKind', 'externalPropertyFileReferences', 'threadFlowLocations', 'taxonomies', 'addresses', 'translations', 'policies', 'webRequests', 'webResponses', 'specialLocations', 'properties'],
  tool: ['driver', 'extensions', 'properties'],
  toolComponent: ['guid', 'name', 'organization', 'product', 'productSuite', 'shortDescription', 'fullDescription', 'fullName', 'version', 'semanticVersion', 'dottedQuadFileVersion', 'releaseDateUtc', 'downloadUri', 'informationUri', 'globalMessageStrings', 'notifications', 'rules', 'taxa', 'locations', 'language', 'contents', 'isComprehensive', 'localizedDataSemanticVersion', 'minimumRequiredLocalizedDataSemanticVersion', 'associatedComponent', 'translationMetadata', 'supportedTaxonomies', 'properties'],
  reportingDescriptor: ['id', 'deprecatedIds', 'guid', 'deprecatedGuids', 'name', 'deprecatedNames', 'shortDescription', 'fullDescription', 'messageStrings', 'defaultConfiguration', 'helpUri', 'help', 'relationships', 'properties'],
  multiformatMessageString: ['text', 'markdown', 'properties'],
  reportingConfiguration: ['enabled', 'level', 'rank', 'parameters', 'properties'],
  result: ['ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'analysisTarget', 'locations', 'guid', 'correlationGuid', 'occurrenceCount', 'partialFingerprints', 'fingerprints', 'stacks', 'codeFlows', 'graphs', 'graphTraversals', 'relatedLocations', 'suppressions', 'baselineState', 'rank', 'attachments', 'hostedViewerUri', 'workItemUris', 'provenance', 'fixes', 'taxa', 'webRequest', 'webResponse', 'properties'],
  message: ['text', 'markdown', 'id', 'arguments', 'properties'],
  location: ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'],
  physicalLocation: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'],
  artifactLocation: ['uri', 'uriBaseId', 'index', 'description', 'properties'],
  region: ['startLine', 'startColumn', 'endLine', 'endColumn', 'charOffset', 'charLength', 'byteOffset', 'byteLength', 'snippet', 'message', 'sourceLanguage', 'properties'],
};

function object(value: unknown, kind: string, where: string): Json {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${where} must be a ${kind} object`);
  const allowed = allowedProperties[kind]!;
  for (const key of Object.keys(value)) assert.ok(allowed.includes(key), `${where}: ${kind} has no property '${key}'`);
  return value as Json;
}

function string(value: unknown, where: string): string {
  assert.equal(typeof value, 'string', `${where} must be a string`);
  return value as string;
}

function integer(value: unknown, minimum: number, where: string): number {
  assert.ok(Number.isInteger(value) && (value as number) >= minimum, `${where} must be an integer ≥ ${minimum}, not ${String(value)}`);
  return value as number;
}

function array(value: unknown, where: string): unknown[] {
  assert.ok(Array.isArray(value), `${where} must be an array`);
  return value;
}

function messageString(value: unknown, kind: 'message' | 'multiformatMessageString', where: string): void {
  const text = object(value, kind, where);
  string(text.text, `${where}.text`);
  if (text.markdown !== undefined) string(text.markdown, `${where}.markdown`);
}

function validateLocation(value: unknown, where: string): Json {
  const location = object(value, 'location', where);
  const physical = object(location.physicalLocation, 'physicalLocation', `${where}.physicalLocation`);
  const artifact = object(physical.artifactLocation, 'artifactLocation', `${where}.physicalLocation.artifactLocation`);
  string(artifact.uri, `${where}...uri`);
  if (artifact.uriBaseId !== undefined) string(artifact.uriBaseId, `${where}...uriBaseId`);
  const region = object(physical.region, 'region', `${where}.physicalLocation.region`);
  const startLine = integer(region.startLine, 1, `${where}...startLine`);
  const startColumn = integer(region.startColumn, 1, `${where}...startColumn`);
  const endLine = integer(region.endLine, startLine, `${where}...endLine`);
  integer(region.endColumn, endLine === startLine ? startColumn : 1, `${where}...endColumn`);
  if (location.id !== undefined) integer(location.id, -1, `${where}.id`);
  if (location.message !== undefined) messageString(location.message, 'message', `${where}.message`);
  return location;
}

/** Checks a SARIF 2.1.0 log as normlint writes it; returns its run. */
function validateSarif(log: unknown): Json {
  const sarif = object(log, 'sarifLog', 'log');
  assert.equal(sarif.version, '2.1.0');
  assert.match(string(sarif.$schema, '$schema'), /^https:\/\/\S+sarif-2\.1\.0\.json$/);
  const runs = array(sarif.runs, 'runs');
  assert.equal(runs.length, 1);
  const run = object(runs[0], 'run', 'runs[0]');
  const tool = object(run.tool, 'tool', 'tool');
  const driver = object(tool.driver, 'toolComponent', 'tool.driver');
  string(driver.name, 'driver.name');
  string(driver.version, 'driver.version');
  assert.equal(driver.informationUri, undefined, 'normlint has no web page to point at');
  const ruleIds = array(driver.rules, 'driver.rules').map((value, index) => {
    const where = `driver.rules[${index}]`;
    const rule = object(value, 'reportingDescriptor', where);
    string(rule.name, `${where}.name`);
    messageString(rule.shortDescription, 'multiformatMessageString', `${where}.shortDescription`);
    messageString(rule.fullDescription, 'multiformatMessageString', `${where}.fullDescription`);
    messageString(rule.help, 'multiformatMessageString', `${where}.help`);
    assert.equal(rule.helpUri, undefined, `${where}: no helpUri without a page that truly exists`);
    const configuration = object(rule.defaultConfiguration, 'reportingConfiguration', `${where}.defaultConfiguration`);
    assert.ok(['none', 'note', 'warning', 'error'].includes(configuration.level as string), `${where}.defaultConfiguration.level`);
    return string(rule.id, `${where}.id`);
  });
  assert.ok(['utf16CodeUnits', 'unicodeCodePoints'].includes(run.columnKind as string), 'columnKind');
  const baseIds = run.originalUriBaseIds as Record<string, unknown>;
  for (const [name, base] of Object.entries(baseIds)) {
    assert.match(string(object(base, 'artifactLocation', name).uri, `${name}.uri`), /^file:\/\/.+\/$/, 'a base URI ends with a slash');
  }
  array(run.results, 'results').forEach((value, index) => {
    const where = `results[${index}]`;
    const result = object(value, 'result', where);
    const ruleIndex = integer(result.ruleIndex, -1, `${where}.ruleIndex`);
    assert.equal(ruleIds[ruleIndex], string(result.ruleId, `${where}.ruleId`), `${where}: ruleIndex points at its rule`);
    assert.ok(['none', 'note', 'warning', 'error'].includes(result.level as string), `${where}.level`);
    messageString(result.message, 'message', `${where}.message`);
    array(result.locations, `${where}.locations`).forEach((location, locationIndex) => validateLocation(location, `${where}.locations[${locationIndex}]`));
    if (result.relatedLocations !== undefined) {
      array(result.relatedLocations, `${where}.relatedLocations`).forEach((location, locationIndex) => validateLocation(location, `${where}.relatedLocations[${locationIndex}]`));
    }
  });
  return run;
}

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[];
  relatedLocations?: { physicalLocation: { region: Record<string, number> }; message: { text: string } }[];
}

describe('normlint check --format sarif', () => {
  it('writes a SARIF 2.1.0 log whose structure follows the schema', () => {
    const { status, stdout } = normlint('check', 'test/fixtures/cli/project', '--format', 'sarif');
    assert.equal(status, 1);
    const run = validateSarif(JSON.parse(stdout));
    const driver = (run.tool as { driver: { name: string; version: string; rules: { id: string; name: string }[] } }).driver;
    assert.equal(driver.name, 'normlint');
    assert.equal(driver.version, normlintVersion);
    assert.deepEqual(
      driver.rules.map((rule) => [rule.id, rule.name]),
      rules.map((rule) => [rule.code, rule.name]),
    );
  });

  it('places results under %SRCROOT% with 1-based regions whose end column is exclusive', () => {
    const { stdout } = normlint('check', 'test/fixtures/cli/project', '--format', 'sarif');
    const run = JSON.parse(stdout).runs[0] as { originalUriBaseIds: Record<string, { uri: string }>; results: SarifResult[] };
    assert.equal(run.originalUriBaseIds['%SRCROOT%']!.uri, pathToFileURL(repositoryRoot).href + '/');
    const train = run.results.find((result) => result.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('train.py'))!;
    // The JSON output gives this finding 0-based (2, 7)–(2, 50): `nn.GroupNorm(num_groups=3, num_channels=64)` on line 3.
    assert.deepEqual(train.locations[0]!.physicalLocation, {
      artifactLocation: { uri: 'test/fixtures/cli/project/train.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 8, endLine: 3, endColumn: 51 },
    });
    const line = readFileSync(fixturePath('cli', 'project', 'train.py'), 'utf8').split('\n')[2]!;
    assert.equal(line.slice(8 - 1, 51 - 1), 'nn.GroupNorm(num_groups=3, num_channels=64)');
    assert.equal(train.ruleId, 'NL101');
    assert.equal(train.level, 'error');
    assert.equal(train.message.text, '64 channels are not divisible by 3 groups; 2 or 4 would be');
  });

  it('points related locations at where the numbers came from', () => {
    const { stdout } = normlint('check', 'test/fixtures/cli/project/models/unet.py', '--format', 'sarif');
    const [result] = (JSON.parse(stdout).runs[0] as { results: SarifResult[] }).results;
    // `CHANNELS = 100` is line 3 of unet.py.
    assert.equal(result!.relatedLocations![0]!.physicalLocation.region.startLine, 3);
    assert.match(result!.relatedLocations![0]!.message.text, /CHANNELS/);
  });

  it('reports information and hints as notes, per configured severity', () => {
    const { status, stdout } = normlint('check', 'test/fixtures/cli/project/train.py', '--format', 'sarif', '--config', fixturePath('cli', 'sarif', 'pyproject.toml'));
    assert.equal(status, 0);
    const [result] = (JSON.parse(stdout).runs[0] as { results: SarifResult[] }).results;
    assert.equal(result!.level, 'note');
  });

  it('gives files outside the working folder an absolute file URI', () => {
    const { stdout } = normlintIn(fixturePath('cli', 'clean'), 'check', '../project/train.py', '--format', 'sarif');
    const [result] = (JSON.parse(stdout).runs[0] as { results: SarifResult[] }).results;
    assert.deepEqual(result!.locations[0]!.physicalLocation.artifactLocation, { uri: pathToFileURL(fixturePath('cli', 'project', 'train.py')).href });
  });

  it('writes an empty result list and statistics in the property bag of the run', () => {
    const { status, stdout } = normlint('check', 'test/fixtures/cli/clean', '--format', 'sarif', '--stats');
    assert.equal(status, 0);
    const run = validateSarif(JSON.parse(stdout));
    assert.deepEqual(run.results, []);
    assert.deepEqual((run.properties as { normlintStats: { files: number } }).normlintStats.files, 1);
  });

  it('reports the version package.json declares', () => {
    assert.equal(normlintVersion, (JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
