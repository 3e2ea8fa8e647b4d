export { parse, ParsedCache, type Parsed } from './parsed';
export { validate, SOURCE, DEFAULT_RULES_DOC, type ValidationSettings, type SeverityOverride } from './validate';
export { RULES, XML_SYNTAX } from '../rules';
export { readiness, hostPciAddress, type Readiness, type ReadinessPair, type ReadinessItem } from './readiness';
export { profileTemplate, ADDRESS_PLACEHOLDER } from './profileTemplate';
export { destinationXml, rewriteDomain, parseProfile, checkAbi, type DestinationResult, type RewriteProblem } from '../rewrite';
