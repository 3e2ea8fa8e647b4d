import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadCases } from '../fixes/cases';
import { LIBVIRT_SKIP, startSandbox, type Sandbox } from '../helpers/libvirt';

/**
 * libvirt judges every reviewed fixed fixture (test/fixes/*.fixed.xml), and our fixes must produce exactly it: its RelaxNG schema
 * (virt-xml-validate), its generic parser (virsh -c test:///default define), and the QEMU driver of a real
 * libvirtd in a private namespace (scripts/libvirtd-sandbox), which alone runs the teaming model and type checks.
 */
const cases = loadCases();

/** libvirt's messages are matched in English. */
const ENV = { ...process.env, LC_ALL: 'C', LANG: 'C' };

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, env: ENV });
  if (r.error)
    throw new Error(`cannot run ${cmd}: ${r.error.message} (needs libvirt-clients: apt-get install -y libvirt-clients)`);
  return { status: r.status, out: (r.stdout + r.stderr).trim() };
}

let scratch: string;
function fileOf(name: string, text: string): string {
  const file = join(scratch, `${name}.xml`);
  writeFileSync(file, text);
  return file;
}

describe('libvirt accepts every fixed fixture', () => {
  if (LIBVIRT_SKIP) {
    it('needs libvirt', { skip: LIBVIRT_SKIP }, () => {});
    return;
  }
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'migratable-fixes-oracle-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  for (const c of cases) {
    it(`${c.name}: virt-xml-validate and virsh define (test driver)`, () => {
      assert.equal(c.output, c.expected, 'our fixes produce the reviewed file that libvirt judges');
      const file = fileOf(c.name, c.expected);
      const schema = run('virt-xml-validate', [file, 'domain']);
      assert.equal(schema.status, 0, schema.out);
      const define = run('virsh', ['-q', '-c', 'test:///default', 'define', file]);
      assert.equal(define.status, 0, define.out);
    });
  }
});

describe('the QEMU driver of a real libvirtd (sandbox) accepts every fixed fixture', () => {
  if (LIBVIRT_SKIP) {
    it('needs libvirt', { skip: LIBVIRT_SKIP }, () => {});
    return;
  }
  let sandbox: Sandbox;
  let uri: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'migratable-fixes-qemu-'));
    sandbox = startSandbox('fixes');
    uri = sandbox.uri;
  });
  after(() => {
    sandbox?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The sandbox has no usable KVM; the teaming checks do not depend on the accelerator. */
  function defineInQemu(name: string, text: string) {
    const file = fileOf(`qemu-${name}`, text.replace(/<domain type=(['"])kvm\1/, '<domain type=$1qemu$1'));
    const r = run('virsh', ['-q', '-c', uri, 'define', file]);
    const nameMatch = /<name>([^<]+)<\/name>/.exec(text);
    if (r.status === 0 && nameMatch) run('virsh', ['-q', '-c', uri, 'undefine', nameMatch[1]]);
    return r;
  }

  it('judges: it refuses the unfixed inputs the QEMU driver must refuse', () => {
    for (const name of ['teaming-persistent-model-e1000e', 'teaming-persistent-model-missing']) {
      const c = cases.find((x) => x.name === name)!;
      const r = defineInQemu(`${name}-input`, c.input);
      assert.notEqual(r.status, 0, `${name}: the unfixed input was accepted`);
      assert.match(r.out, /virtio-net teaming persistent interface must be <model type='virtio'\/>, not '(e1000e|rtl8139)'/);
    }
    const bogus = defineInQemu('type-invalid-input', cases.find((x) => x.name === 'teaming-type-invalid-vf')!.input);
    assert.notEqual(bogus.status, 0, 'type-invalid-vf: the unfixed input was accepted');
    assert.match(bogus.out, /unknown teaming type 'bogus'/);
  });

  for (const c of cases) {
    it(`${c.name}: virsh define (qemu driver)`, () => {
      assert.equal(c.output, c.expected, 'our fixes produce the reviewed file that libvirt judges');
      const r = defineInQemu(c.name, c.expected);
      assert.equal(r.status, 0, r.out);
    });
  }
});
