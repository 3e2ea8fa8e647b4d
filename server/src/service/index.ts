/**
 * The language service: the one facade the front ends (LSP handlers, CLI) import. Pure: it never sees a connection,
 * a file or a process; documents and settings come in, LSP-shaped answers go out.
 */
export { parse, parseText, ParsedCache, type Parsed } from '../model/parsed';
export { validate, isBlocker, DEFAULT_RULES_DOC, type ValidationSettings } from './validate';
export { checkFixSettings, networkNameProblem, bridgeNameProblem, type CheckedFixSettings } from './settings';
export { RULES, XML_SYNTAX } from '../rules';
export { readiness } from './readiness';
export { profileTemplate } from './profileTemplate';
export { destination } from './destination';
export { checkAbi, destinationXml, type RewriteProblem } from '../rewrite';
export {
  getCodeActions,
  fixAll,
  fixText,
  generateMac,
  insertTeamingPairSnippet,
  notADomain,
  FIX_ALL_KIND,
  type FixedText,
} from './fixes';
export type { FixSettings } from '../fixes';
export { getCompletions, COMPLETION_TRIGGERS } from './completion';
export { getHover } from './hover';
export { getDefinition, getReferences, getDocumentSymbols, getFoldingRanges } from './navigation';
export { preload } from './preload';
export type { HostContext } from '../host';
export { judgeDefinition, domainsOnHost, networksOnHost, sriovOnHost, type Definition } from './hosts';
export { profileFromHost, type ProfileInput } from './profileFromHost';
export { preflightChecks, type PreflightInput, type PreflightOutcome } from './preflight';
