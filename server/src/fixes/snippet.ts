import type { TextDocument } from 'vscode-languageserver-textdocument';
import { detectStyle, lineStart } from '../edits/style';
import { element, render } from '../edits/xml';
import type { Parsed } from '../service/parsed';
import { generateMac } from './mac';
import { freeAlias, standbyElement } from './model';
import type { FixSettings } from './types';

const PLACEHOLDERS: [string, string][] = [['domain', '0000'], ['bus', '00'], ['slot', '00'], ['function', '0']];

/**
 * A teaming pair to insert at `offset` as a snippet (VS Code's SnippetString syntax): a virtio standby and a VF
 * with one fresh MAC and a unique `ua-` alias, the VF's host PCI address parts as tab stops. Lines after the
 * first are indented relative to the cursor's line: the editor adds that line's indentation itself.
 */
export function insertTeamingPairSnippet(document: TextDocument, parsed: Parsed, offset: number, settings: FixSettings,
  random: () => number = Math.random): string {
  const text = document.getText();
  const style = { ...detectStyle(parsed.xml), eol: '\n' as const };
  const mac = generateMac(text, random);
  const alias = parsed.model ? freeAlias(parsed.model) : 'ua-standby0';
  const address = element('address', [['type', 'pci'], ...PLACEHOLDERS.map(([name], i): [string, string] => [name, `0x\u0001${i}\u0001`])]);
  const vf = element('interface', [['type', 'hostdev'], ['managed', 'yes']], [
    element('mac', [['address', mac]]),
    element('source', [], [address]),
    element('teaming', [['type', 'transient'], ['persistent', alias]]),
  ]);
  const afterText = !/^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
  const base = afterText ? style.indentUnit : '';
  const body = render(standbyElement(settings, mac, alias), style, base) + '\n' + base + render(vf, style, base);
  const snippet = escapeSnippet(body).replace(/\u0001(\d)\u0001/g, (_, i: string) => `\${${Number(i) + 1}:${PLACEHOLDERS[Number(i)][1]}}`);
  return (afterText ? '\n' + base : '') + snippet + '$0';
}

function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, (c) => '\\' + c);
}
