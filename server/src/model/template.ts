/**
 * Template placeholders: a domain kept as a template (`domain.xml.in`, `*.xml.j2`) holds `@VM_UUID@` (autoconf,
 * CMake), `${VM_UUID}` (envsubst, CMake) or `{{ vm_uuid }}` (Jinja, Go) where the real value goes. Such a value
 * cannot be judged until the template is filled in: rules skip it, and `template-placeholder` says so once.
 */
const PLACEHOLDER = /@[A-Za-z_][A-Za-z0-9_]*@|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{\{[^{}]*\}\}/;

/** Whether a value holds a placeholder. */
export function hasPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/** The first placeholder in a value, as written. */
export function firstPlaceholder(value: string): string | undefined {
  return PLACEHOLDER.exec(value)?.[0];
}

/** A cheap test on the whole text, so that documents without any placeholder cost nothing. */
export function mayHavePlaceholders(text: string): boolean {
  return text.includes('@') || text.includes('${') || text.includes('{{');
}
