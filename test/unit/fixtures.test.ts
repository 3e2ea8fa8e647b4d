import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULES, XML_SYNTAX } from '../../server/src/service';
import { diagnose, formatDiagnostic } from '../helpers/diagnose';
import { formatExpected, readFixture } from '../helpers/expectations';
import { FIXTURES } from '../helpers/paths';

const folders = readdirSync(FIXTURES)
  .filter((f) => statSync(join(FIXTURES, f)).isDirectory())
  .sort();
const codes = [XML_SYNTAX, ...RULES.map((r) => r.code)];

describe('rule fixtures (expectations inline)', () => {
  it('every rule has a fixture folder, and every folder is a rule', () => {
    assert.deepEqual(folders, [...codes].sort());
  });

  for (const folder of folders) {
    const files = readdirSync(join(FIXTURES, folder))
      .filter((f) => f.endsWith('.xml'))
      .sort();
    describe(folder, () => {
      it('has an invalid fixture that expects this code and a valid one that does not', () => {
        const fixtures = files.map((f) => readFixture(join(FIXTURES, folder, f)));
        assert.ok(
          fixtures.some((fx) => fx.expected.some((e) => e.code === folder)),
          `no fixture in ${folder} expects ${folder}`,
        );
        assert.ok(
          files.some((f) => f.startsWith('valid')),
          `no valid*.xml in ${folder}`,
        );
      });
      for (const file of files) {
        it(file, () => {
          const fx = readFixture(join(FIXTURES, folder, file));
          if (file.startsWith('valid'))
            assert.ok(!fx.expected.some((e) => e.code === folder), 'a valid fixture must not expect its own code');
          const actual = diagnose(fx.text)
            .filter((d) => !fx.ignore.has(String(d.code)))
            .map(formatDiagnostic)
            .sort();
          const expected = fx.expected
            .filter((e) => !fx.ignore.has(e.code))
            .map(formatExpected)
            .sort();
          assert.deepEqual(actual, expected);
        });
      }
    });
  }
});
