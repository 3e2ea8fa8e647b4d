import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { formatVocabulary, generateVocabulary, jsRegex, VOCABULARY_FILE } from '../../scripts/gen-vocabulary';
import type { VocabularyFile } from '../../server/src/schema/format';

describe('schemas/domain-vocabulary.json', () => {
  it("is what scripts/gen-vocabulary.ts generates from libvirt 11.3's schema (regenerate with --write)", () => {
    const committed = JSON.parse(readFileSync(VOCABULARY_FILE, 'utf8')) as VocabularyFile;
    const fresh = generateVocabulary();
    assert.equal(
      fresh.source.libvirt,
      committed.source.libvirt,
      "scripts/libvirt-schemas.sh's libvirt is not the one the vocabulary was generated from",
    );
    // the distribution's patch level may differ; everything the schema says may not
    fresh.source.package = committed.source.package;
    assert.ok(
      formatVocabulary(fresh) === readFileSync(VOCABULARY_FILE, 'utf8'),
      'stale: run npx tsc -p . && node out/scripts/gen-vocabulary.js --write',
    );
  });
});

describe('XML Schema patterns as JavaScript regexes', () => {
  it('escapes the anchors XML Schema does not have, and keeps classes and escapes', () => {
    assert.equal(jsRegex('a^b$'), 'a\\^b\\$');
    assert.equal(jsRegex('[^/]+'), '[^/]+');
    assert.equal(jsRegex('\\[[^\\]]+\\] .+'), '\\[[^\\]]+\\] .+');
    assert.ok(new RegExp(`^(?:${jsRegex('(0x)?[0-9a-fA-F]{1,4}')})$`).test('0xbeef'));
  });
});
