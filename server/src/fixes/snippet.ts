import type { Style } from '../edits/style';
import { element, render, type NewElement } from '../edits/xml';
import { DEFAULT_SETTINGS } from '../protocol/settings';
import { standbyElement } from './build';
import type { FixSettings } from './types';

/** Marks a value in rendered XML that becomes a tab stop: \u0001index:default\u0001 (never in user text: a control char). */
const HOLE = /\u0001(\d+):([^\u0001]*)\u0001/g;
const hole = (index: number, value: string) => `\u0001${index}:${value}\u0001`;

export interface TeamingPairSnippetOptions {
  style: Style;
  settings: FixSettings;
  mac: string;
  alias: string;
  /**
   * Which values are tab stops: `address`, the VF's host PCI address (Insert Teaming Pair: MAC and alias are
   * chosen), or `all`: the MAC, the standby's network or bridge, the alias, then the address (completion: the user
   * names them; both sides follow).
   */
  stops: 'address' | 'all';
  /** Indentation of the lines after the first, on top of the cursor line's (default none). */
  indent?: string;
}

const ADDRESS: [string, string][] = [
  ['domain', '0000'],
  ['bus', '00'],
  ['slot', '00'],
  ['function', '0'],
];

/**
 * A teaming pair as a snippet (VS Code's SnippetString syntax): a virtio standby and a VF with one MAC and one
 * `ua-` alias. The first line carries no indentation; the following lines are indented from `indent`, one
 * `style.indentUnit` per level (the editor adds the cursor line's indentation to every line it inserts).
 */
export function teamingPairSnippet(opts: TeamingPairSnippetOptions): string {
  const all = opts.stops === 'all';
  let next = 1;
  const macHole = all ? hole(next++, opts.mac) : opts.mac;
  const settings = { ...opts.settings };
  if (all && settings.standbyBridge) settings.standbyBridge = hole(next++, settings.standbyBridge);
  else if (all) settings.standbyNetwork = hole(next++, settings.standbyNetwork || DEFAULT_SETTINGS.standbyNetwork);
  const aliasHole = all ? hole(next++, opts.alias) : opts.alias;
  const address = element('address', [
    ['type', 'pci'],
    ...ADDRESS.map(([name, value]): [string, string] => [name, `0x${hole(next++, value)}`]),
  ]);
  const vf: NewElement = element(
    'interface',
    [
      ['type', 'hostdev'],
      ['managed', 'yes'],
    ],
    [
      element('mac', [['address', macHole]]),
      element('source', [], [address]),
      element('teaming', [
        ['type', 'transient'],
        ['persistent', aliasHole],
      ]),
    ],
  );
  const style = { ...opts.style, eol: '\n' as const };
  const base = opts.indent ?? '';
  const body = render(standbyElement(settings, macHole, aliasHole), style, base) + '\n' + base + render(vf, style, base);
  const seen = new Set<string>();
  return escapeSnippet(body).replace(HOLE, (_, index: string, value: string) => {
    const first = !seen.has(index);
    seen.add(index);
    return first ? `\${${index}:${value}}` : `\${${index}}`;
  });
}

/** Text inserted literally in a snippet: `$`, `}` and `\` would otherwise mean something. */
export function escapeSnippet(s: string): string {
  return s.replace(/[$}\\]/g, '\\$&');
}
