import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generateRulesDoc, RULES_PAGE } from '../../scripts/gen-rules-doc';
import { RULES } from '../../server/src/service';

describe('rules page', () => {
  it('docs/rules.md is generated from the current doc comments (run `npm run rules-doc` if this fails)', () => {
    assert.equal(readFileSync(RULES_PAGE, 'utf8'), generateRulesDoc());
  });

  it('every rule has a doc comment that quotes or explains libvirt, with a section per code', () => {
    const page = generateRulesDoc();
    for (const r of RULES) {
      assert.match(page, new RegExp(`^## ${r.code}$`, 'm'));
      const section = page.split(`## ${r.code}\n`)[1].split('\n## ')[0];
      assert.ok(section.length > 120, `${r.code}: the doc comment is too thin to help a user`);
    }
  });
});
