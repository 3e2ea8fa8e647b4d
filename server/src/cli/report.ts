import { isAbsolute } from 'path';
import { pathToFileURL } from 'url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { DEFAULT_RULES_DOC, RULES, XML_SYNTAX } from '../service';

export interface FileResult {
  /** The path as given on the command line ('-' for standard input, shown as <stdin>). */
  file: string;
  diagnostics: Diagnostic[];
  /** Set when the file is not a libvirt domain (nothing was checked). */
  skipped?: string;
  /** Set when the file could not be read (exit status 2). */
  unreadable?: string;
  /** For a domain read from a host (`check --connect`): the host's URI and the domain's name. */
  host?: string;
  domain?: string;
}

const SEVERITY_NAME: Record<number, 'error' | 'warning' | 'information' | 'hint'> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

import { displayName } from './io';

export function counts(results: FileResult[]): { errors: number; warnings: number; infos: number } {
  let errors = 0,
    warnings = 0,
    infos = 0;
  for (const r of results) {
    for (const d of r.diagnostics) {
      if (d.severity === DiagnosticSeverity.Error) errors++;
      else if (d.severity === DiagnosticSeverity.Warning) warnings++;
      else infos++;
    }
  }
  return { errors, warnings, infos };
}

const COLOR: Record<string, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[2m' };

export function formatText(results: FileResult[], color: boolean): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const d of r.diagnostics) {
      const sev = SEVERITY_NAME[d.severity ?? 1];
      const where = `${displayName(r.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      const sevText = color ? `${COLOR[sev]}${sev}\x1b[0m` : sev;
      lines.push(`${where}  ${sevText}  ${d.code}  ${d.message}`);
    }
  }
  const c = counts(results);
  const checked = results.filter((r) => !r.skipped && !r.unreadable).length;
  const skipped = results.filter((r) => r.skipped).length;
  const unreadable = results.filter((r) => r.unreadable).length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const notes = [skipped ? `${skipped} not a domain` : '', unreadable ? `${unreadable} unreadable` : ''].filter(Boolean);
  lines.push(
    `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${c.infos} information in ${plural(checked, 'domain file')}` +
      (notes.length ? ` (${notes.join(', ')})` : ''),
  );
  return lines.join('\n') + '\n';
}

export function formatJson(results: FileResult[]): string {
  return (
    JSON.stringify(
      results.map((r) => ({
        file: displayName(r.file),
        ...(r.host !== undefined ? { host: r.host, domain: r.domain } : {}),
        diagnostics: r.diagnostics.map((d) => ({
          code: d.code,
          severity: SEVERITY_NAME[d.severity ?? 1],
          message: d.message,
          range: d.range,
          ...(d.relatedInformation
            ? { related: d.relatedInformation.map((x) => ({ range: x.location.range, message: x.message })) }
            : {}),
        })),
        ...(r.skipped ? { skipped: r.skipped } : {}),
        ...(r.unreadable ? { error: r.unreadable } : {}),
      })),
      null,
      2,
    ) + '\n'
  );
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0, as GitHub code scanning reads it. Columns are 1-based UTF-16 code units. */
export function formatSarif(results: FileResult[], version: string): string {
  const rules = [
    { id: XML_SYNTAX, title: 'XML that is not well-formed', severity: 'error' },
    ...RULES.map((r) => ({ id: r.code, title: r.title, severity: r.severity })),
  ];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const region = (range: Diagnostic['range']) => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
  const unreadable = results.filter((r) => r.unreadable);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'migratable',
            version,
            informationUri: DEFAULT_RULES_DOC,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              helpUri: `${DEFAULT_RULES_DOC}#${r.id}`,
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: unreadable.length === 0,
            toolExecutionNotifications: unreadable.map((r) => ({
              level: 'error',
              message: { text: `cannot read ${r.file}: ${r.unreadable}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(r.file) } } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) =>
          r.diagnostics.map((d) => ({
            ruleId: String(d.code),
            ruleIndex: index.get(String(d.code)) ?? -1,
            level: SARIF_LEVEL[SEVERITY_NAME[d.severity ?? 1]],
            message: { text: d.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(r.file) }, region: region(d.range) } }],
            ...(d.relatedInformation
              ? {
                  relatedLocations: d.relatedInformation.map((x, id) => ({
                    id,
                    message: { text: x.message },
                    physicalLocation: { artifactLocation: { uri: artifactUri(r.file) }, region: region(x.location.range) },
                  })),
                }
              : {}),
          })),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** SARIF wants a URI reference: a relative path with '/' and each segment percent-encoded, or a file: URL. */
function artifactUri(file: string): string {
  if (file === '-') return 'stdin';
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}
