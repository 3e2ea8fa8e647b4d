import { readFileSync } from 'fs';

/**
 * Fixtures carry their expectations inline (architecture habit 7). Under the line at fault:
 *
 *       <mac address='52:54:00:6d:90:03'/>
 *   <!--            ^^^^^^^^^^^^^^^^^ error teaming-mac-mismatch -->
 *
 * The carets' columns are the diagnostic's columns on the nearest line above that is not itself an
 * expectation. Header comments, anywhere in the file:
 *   <!-- ignore: code code -->                       diagnostics of these codes are not compared
 *   <!-- libvirt: define=ok|error:TEXT schema=ok|invalid -->   what libvirt says of this file (test/libvirt)
 */
export interface Expected {
  line: number;
  start: number;
  end: number;
  severity: string;
  code: string;
}

export interface Fixture {
  file: string;
  text: string;
  expected: Expected[];
  ignore: Set<string>;
  libvirt: { define: 'ok' | { error: string }; schema: 'ok' | 'invalid' } | undefined;
}

const CARET_LINE = /^(\s*<!--\s*)(\^+)\s+(error|warning|information|hint)\s+([a-z0-9-]+)\s*-->\s*$/;
const IGNORE = /<!--\s*ignore:\s*([a-z0-9 -]+?)\s*-->/g;
const LIBVIRT = /<!--\s*libvirt:\s*define=(ok|error:(.*?))\s+schema=(ok|invalid)\s*-->/;

export function readFixture(file: string): Fixture {
  const text = readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const expected: Expected[] = [];
  let target = -1;
  lines.forEach((line, i) => {
    const m = CARET_LINE.exec(line);
    if (!m) {
      target = i;
      return;
    }
    if (target < 0) throw new Error(`${file}:${i + 1}: an expectation needs a line above it`);
    const start = m[1].length;
    expected.push({ line: target, start, end: start + m[2].length, severity: m[3], code: m[4] });
  });
  const ignore = new Set<string>();
  for (const m of text.matchAll(IGNORE)) for (const c of m[1].split(/\s+/)) if (c) ignore.add(c);
  const lv = LIBVIRT.exec(text);
  const libvirt = lv
    ? { define: lv[1] === 'ok' ? ('ok' as const) : { error: lv[2].trim() }, schema: lv[3] as 'ok' | 'invalid' }
    : undefined;
  return { file, text, expected, ignore, libvirt };
}

export function formatExpected(e: Expected): string {
  return `${e.line + 1}:${e.start + 1}-${e.end + 1} ${e.severity} ${e.code}`;
}
