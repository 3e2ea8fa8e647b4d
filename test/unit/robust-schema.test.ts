import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { XmlAttribute, XmlElement } from '../../server/src/parser/nodes';
import { SCHEMA_FINDINGS_PER_CODE } from '../../server/src/schema/check';
import { nearest } from '../../server/src/schema/suggest';
import * as distance from '../../server/src/util/distance';
import { getCodeActions, parse, preload, validate } from '../../server/src/service';
import { DEFAULT_LIMITS } from '../../server/src/service/validate';
import { doc, domain } from '../helpers/docs';

/**
 * Issue 12, items 3 and 4: checking an element is linear in its attributes, findings are capped with one notice,
 * and no cache keeps a document alive. Growth is asserted by counting work (reads of the attribute list), not time.
 */

/** An interface whose <source> carries `n` attributes libvirt does not know, and the element to watch. */
function manyAttributes(n: number, attr = (i: number) => ` x${i}='1'`): string {
  return domain(
    `    <interface type='network'>\n      <source network='default'${Array.from({ length: n }, (_, i) => attr(i)).join('')}/>\n    </interface>\n`,
  );
}

/** How often the whole validation reads the attribute list of the watched element: the work it does on it. */
function attributeReads(text: string): number {
  const d = doc(text);
  const p = parse(d);
  const source = p.model!.interfaces[0].el.children.find((c): c is XmlElement => c.kind === 'element')!;
  let reads = 0;
  source.attributes = new Proxy(source.attributes, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver) as XmlAttribute;
    },
  });
  validate(d, p);
  return reads;
}

describe('the schema check is linear in the attributes of an element', () => {
  it('8× the unknown attributes cost at most ~8× the reads (it was the square: 64×)', () => {
    const small = attributeReads(manyAttributes(500));
    const large = attributeReads(manyAttributes(4000));
    assert.ok(large / small <= 8 * 1.5, `reads grew ${(large / small).toFixed(1)}× for 8× the attributes`);
  });

  it('so does prose pasted into a start tag (every word an attribute without a value)', () => {
    const prose = (i: number) => ` word${i % 50}x${i}`;
    const small = attributeReads(manyAttributes(500, prose));
    const large = attributeReads(manyAttributes(4000, prose));
    assert.ok(large / small <= 8 * 1.5, `reads grew ${(large / small).toFixed(1)}× for 8× the words`);
  });

  it('a megabyte-long name or value never reaches the quadratic edit distance', () => {
    const real = distance.editDistance;
    let calls = 0;
    (distance as { editDistance: typeof real }).editDistance = (a, b) => {
      calls++;
      return real(a, b);
    };
    try {
      const long = 'n'.repeat(1_000_000);
      assert.deepEqual(nearest(long, ['network', 'bridge', 'type']), []);
      assert.equal(calls, 0);
      assert.deepEqual(nearest('netwrok', ['network', 'n'.repeat(100)]), ['network']);
      assert.equal(calls, 1, 'the near-length name is still measured');
      validate(
        doc(domain(`    <interface type='${long}' ${long}='x'/>\n`)),
        parse(doc(domain(`    <interface type='${long}' ${long}='x'/>\n`))),
      );
      assert.equal(calls, 1);
    } finally {
      (distance as { editDistance: typeof real }).editDistance = real;
    }
  });
});

describe('findings are capped per code and per document, with one notice', () => {
  const notices = (ds: Diagnostic[]) => ds.filter((d) => d.data !== null && typeof d.data === 'object' && 'omitted' in d.data);

  it('16,000 unknown attributes: the first 100 of the code and one notice counting the rest', () => {
    const d = doc(manyAttributes(16_000));
    const p = parse(d);
    const all = validate(d, p);
    const unknown = all.filter((x) => x.code === 'schema-unknown-attribute');
    const notice = notices(all);
    assert.equal(notice.length, 1);
    assert.equal(unknown.length - 1, DEFAULT_LIMITS.perCode);
    assert.equal(SCHEMA_FINDINGS_PER_CODE, DEFAULT_LIMITS.perCode);
    assert.deepEqual(notice[0].data, { omitted: { 'schema-unknown-attribute': 16_000 - DEFAULT_LIMITS.perCode } });
    assert.match(String(notice[0].message), /^15900 more findings are not shown \(schema-unknown-attribute: 15900\)/);
    // as severe as what it stands for, so `check` still fails and the status bar still counts a blocker
    assert.equal(notice[0].severity, DiagnosticSeverity.Error);
    // the notice is no problem a quick fix could solve
    assert.deepEqual(getCodeActions(d, p, notice, {}), []);
  });

  it('a rule override applies to the notice too, and "off" silences the code and its notice', () => {
    const d = doc(manyAttributes(300));
    const p = parse(d);
    const warned = notices(validate(d, p, { rules: { 'schema-unknown-attribute': 'warning' } }));
    assert.equal(warned[0].severity, DiagnosticSeverity.Warning);
    assert.deepEqual(notices(validate(d, p, { rules: { 'schema-unknown-attribute': 'off' } })), []);
  });

  it('a total per document: past it, every code goes into the notice, and nothing is lost from the count', () => {
    // 300 interfaces with one MAC and an unknown child each: mac-duplicate and schema-unknown-element, 300 each
    const devices =
      "    <interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/><bogus/></interface>\n";
    const d = doc(domain(devices.repeat(300)));
    const p = parse(d);
    const total = (ds: Diagnostic[]) => {
      const counts = (notices(ds)[0]?.data as { omitted: Record<string, number> } | undefined)?.omitted ?? {};
      return ds.length - notices(ds).length + Object.values(counts).reduce((a, b) => a + b, 0);
    };
    const capped = validate(d, p, {}, undefined, { perCode: 100, total: 150 });
    assert.equal(capped.length, 151);
    assert.equal(notices(capped).length, 1);
    const uncapped = validate(d, p, {}, undefined, { perCode: Infinity, total: Infinity });
    assert.equal(uncapped.filter((x) => x.code === 'mac-duplicate').length, 299);
    assert.equal(total(capped), total(uncapped));
    assert.equal(DEFAULT_LIMITS.total, 1000);
  });

  it("syntax errors are the parser's to cap: their own notice stays", () => {
    const d = doc(domain('    ' + '<a b=c>'.repeat(300) + '\n'));
    const syntax = validate(d, parse(d)).filter((x) => x.code === 'xml-syntax');
    assert.equal(syntax.length, 101);
    assert.match(String(syntax.at(-1)!.message), /more than 100 syntax errors/);
  });
});

describe('no cache keeps a document alive', () => {
  it('validating many versions leaves no version in memory (the value memo keeps copies, bounded)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    preload();
    const version = (n: number) => {
      // 2 MB of comment, and values the schema checks (MACs, long network names) unique to this version
      const devices = Array.from(
        { length: 40 },
        (_, i) =>
          `    <interface type='network'><mac address='52:54:${(n & 255).toString(16).padStart(2, '0')}:00:00:${i.toString(16).padStart(2, '0')}'/><source network='network-${n}-${i}-padded-past-13'/></interface>\n`,
      ).join('');
      return domain(devices + `    <!-- ${String(n).repeat(1)}${'x'.repeat(2_000_000)} -->\n`);
    };
    const check = (n: number) => {
      const d = doc(version(n));
      return validate(d, parse(d)).length;
    };
    check(0);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let n = 1; n <= 20; n++) check(n);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // pinned, 20 versions of 2 MB would stay: 40 MB
    assert.ok(grown < 10_000_000, `heap grew ${(grown / 1e6).toFixed(1)} MB over 20 versions`);
  });
});
