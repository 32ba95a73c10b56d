import { describe, it } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '../helpers/repository';
import { checkFixture } from '../helpers/checkFixture';

const fixtureFolder = fixturePath('rules');

describe('rule fixtures', () => {
  for (const file of readdirSync(fixtureFolder).filter((name) => name.endsWith('.py')).sort()) {
    it(`flags exactly the annotated lines of ${file}`, () => checkFixture(join(fixtureFolder, file)));
  }
});
