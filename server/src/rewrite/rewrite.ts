import type { TextEdit } from 'vscode-languageserver-types';
import { parseText, type Parsed } from '../model/parsed';
import { checkAbi, type AbiProblem } from './abi';
import { RewriteContext, type RewriteChange, type RewriteProblem } from './context';
import { rewriteHostdevs, rewriteInterfaces, rewriteMdevs } from './devices';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits, toTextEdits } from '../edits/textEdits';
import { rewriteChardevs, rewriteDisks, rewriteGraphics, rewriteTuning } from './host';
import { pointer, type DestinationProfile } from './profile';

export interface RewriteResult {
  /** The destination XML: the source with only the profile's mappings applied. */
  text: string;
  /** Minimal edits against the source that turn it into `text`. */
  edits: TextEdit[];
  changes: RewriteChange[];
  problems: RewriteProblem[];
  /** The ABI self-check of `text` against the source (empty: the guest sees the same machine). */
  abi: AbiProblem[];
}

/**
 * The destination XML for `virsh migrate --xml`: rewrites only the host-specific values the profile maps
 * (VF host PCI addresses, networks, bridges, disk paths, listen addresses, chardev sources, pinning, mdev UUIDs),
 * finding devices by their place in the document, never by MAC. Everything else stays byte for byte.
 */
export function rewriteDomain(source: Parsed, profile: DestinationProfile): RewriteResult {
  const doc = source.xml;
  const text = doc.text;
  const model = source.model;
  if (!model) {
    const message = doc.root
      ? `not a libvirt domain: the root element is <${doc.root.name}>`
      : 'not a libvirt domain: no root element';
    return { text, edits: [], changes: [], abi: [], problems: [{ code: 'rewrite-not-domain', severity: 'error', message }] };
  }
  const ctx = new RewriteContext(text, model, profile);
  const syntax = doc.errors.filter((e) => e.severity === 'error');
  if (syntax.length) {
    ctx.problem(
      'rewrite-xml-syntax',
      'error',
      `the domain XML has ${syntax.length === 1 ? 'a syntax error' : `${syntax.length} syntax errors`} (${syntax[0].message}): fix ${syntax.length === 1 ? 'it' : 'them'} before trusting the destination XML`,
      syntax[0],
    );
  }
  rewriteHostdevs(ctx);
  rewriteInterfaces(ctx);
  rewriteMdevs(ctx);
  rewriteDisks(ctx);
  rewriteGraphics(ctx);
  rewriteChardevs(ctx);
  rewriteTuning(ctx);
  reportUnused(ctx);
  const dest = applyEdits(text, ctx.edits);
  const abi = dest === text ? [] : checkAbi(doc, parseText(dest, 'inmemory:destination').xml);
  for (const p of abi) ctx.problem(p.code, 'error', `ABI self-check: ${p.message}`, p.source);
  ctx.changes.sort((a, b) => a.start - b.start);
  return {
    text: dest,
    edits: toTextEdits(TextDocument.create('inmemory:source', 'xml', 0, text), ctx.edits),
    changes: ctx.changes,
    problems: ctx.problems,
    abi,
  };
}

/** Every mapping of the profile, with what it would have needed to match. */
function* settings(p: DestinationProfile): Generator<[string, string]> {
  const maps: [string, Record<string, string> | undefined, (k: string) => string][] = [
    [
      'hostdevs',
      p.hostdevs,
      (k) => `"hostdevs" maps ${k}, but no VF or PCI hostdev of this domain is at that host address (a typo?)`,
    ],
    ['networks', p.networks, (k) => `"networks" maps '${k}', but no <interface type='network'> of this domain uses that network`],
    ['bridges', p.bridges, (k) => `"bridges" maps '${k}', but no <interface type='bridge'> of this domain uses that bridge`],
    ['disks', p.disks, (k) => `"disks" maps '${k}', but no disk source of this domain lies under it`],
    [
      'chardevs',
      p.chardevs,
      (k) => `"chardevs" maps ${k}, but no serial, console, parallel or channel source of this domain is there`,
    ],
    ['mdevs', p.mdevs, (k) => `"mdevs" maps ${k}, but no mediated device of this domain has that UUID`],
  ];
  for (const [section, map, message] of maps) for (const k of Object.keys(map ?? {})) yield [pointer(section, k), message(k)];
  for (const k of Object.keys(p.cputune?.vcpupin ?? {}))
    yield [
      pointer('cputune', 'vcpupin', k),
      `"cputune.vcpupin" sets vCPU ${k}, but this domain has no <vcpupin vcpu='${k}'> to rewrite`,
    ];
  for (const k of Object.keys(p.cputune?.iothreadpin ?? {}))
    yield [
      pointer('cputune', 'iothreadpin', k),
      `"cputune.iothreadpin" sets iothread ${k}, but this domain has no <iothreadpin iothread='${k}'> to rewrite`,
    ];
  for (const k of Object.keys(p.numatune?.memnode ?? {}))
    yield [
      pointer('numatune', 'memnode', k),
      `"numatune.memnode" sets cell ${k}, but this domain has no <memnode cellid='${k}'> to rewrite`,
    ];
  if (p.graphicsListen !== undefined)
    yield [pointer('graphicsListen'), '"graphicsListen": this domain has no VNC or SPICE listen address to rewrite'];
  if (p.vcpuCpuset !== undefined)
    yield [pointer('vcpuCpuset'), '"vcpuCpuset": the <vcpu> of this domain has no cpuset to rewrite'];
  if (p.cputune?.emulatorpin !== undefined)
    yield [pointer('cputune', 'emulatorpin'), '"cputune.emulatorpin": this domain has no <emulatorpin> to rewrite'];
  if (p.numatune?.memory !== undefined)
    yield [pointer('numatune', 'memory'), '"numatune.memory": this domain has no <numatune><memory nodeset> to rewrite'];
}

function reportUnused(ctx: RewriteContext): void {
  for (const [ptr, message] of settings(ctx.profile)) {
    if (!ctx.used.has(ptr)) ctx.problem('rewrite-mapping-unused', 'warning', message, undefined, ctx.profileSpan(ptr));
  }
}
