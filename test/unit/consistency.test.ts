import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Query } from '@vscode/tree-sitter-wasm';
import { querySources } from '../../src/python/queries';
import { rules } from '../../src/rules';
import { ruleDocsMarkdown } from '../../src/rules/ruleDocsMarkdown';
import { pythonParser } from '../helpers/python';
import { repositoryRoot } from '../helpers/repository';

const repository = repositoryRoot;
const manifest = JSON.parse(readFileSync(join(repository, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, unknown> } };
};

describe('the rule registry', () => {
  it('gives every rule a unique code and name', () => {
    assert.equal(new Set(rules.map((rule) => rule.code)).size, rules.length);
    assert.equal(new Set(rules.map((rule) => rule.name)).size, rules.length);
    for (const rule of rules) {
      assert.match(rule.code, /^NL\d{3}$/);
      assert.match(rule.name, /^[a-z]+(-[a-z0-9]+)*$/);
    }
  });

  for (const rule of rules) {
    it(`documents ${rule.name} under every heading`, () => {
      assert.match(rule.docs.whatItDoes, /^Checks for /);
      for (const text of [rule.docs.whyIsThisBad, rule.docs.example, rule.docs.useInstead]) assert.ok(text.trim().length > 20);
    });

    it(`has a fixture, a severity setting and current docs for ${rule.name}`, () => {
      assert.ok(existsSync(join(repository, 'test', 'fixtures', 'rules', `${rule.name}.py`)), 'fixture missing');
      assert.ok(manifest.contributes.configuration.properties[`normlint.rules.${rule.name}.severity`], 'package.json setting missing');
      const docsPath = join(repository, 'docs', 'rules', `${rule.name}.md`);
      assert.equal(existsSync(docsPath) ? readFileSync(docsPath, 'utf8') : '', ruleDocsMarkdown(rule), 'docs out of date: run `npm run docs`');
      assert.ok(readFileSync(join(repository, 'README.md'), 'utf8').includes(`[${rule.name}](docs/rules/${rule.name}.md)`), 'README rule table misses it');
    });
  }
});

describe('the queries', () => {
  it('registers every .scm file and compiles each one', async () => {
    const folder = join(repository, 'src', 'queries', 'python');
    const files = readdirSync(folder).filter((name) => name.endsWith('.scm')).map((name) => name.replace(/\.scm$/, ''));
    assert.deepEqual(Object.keys(querySources).sort(), files.sort());
    const { language } = await pythonParser();
    for (const source of Object.values(querySources)) assert.doesNotThrow(() => new Query(language, source).delete());
  });
});
