import type { Diagnostic } from 'vscode-languageserver-types';
import { parse, validate, type ValidationSettings } from '../../server/src/service';
import { doc } from './docs';

export const SEVERITY_NAMES = ['', 'error', 'warning', 'information', 'hint'];

export function diagnose(text: string, settings?: ValidationSettings, uri = 'file:///test.xml'): Diagnostic[] {
  const d = doc(text, uri);
  return validate(d, parse(d), settings);
}

export function formatDiagnostic(d: Diagnostic): string {
  const { start, end } = d.range;
  const endCol = end.line === start.line ? end.character + 1 : `${end.line + 1}:${end.character + 1}`;
  return `${start.line + 1}:${start.character + 1}-${endCol} ${SEVERITY_NAMES[d.severity ?? 1]} ${d.code}`;
}
