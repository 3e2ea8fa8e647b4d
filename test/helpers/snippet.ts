/** What VS Code inserts for a snippet: tab stops replaced by their defaults, escapes undone, lines indented like the cursor's. */
export function expandSnippet(snippet: string, lineIndent: string): string {
  return snippet
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$0/g, '')
    .replace(/\\([\\$}])/g, '$1')
    .replace(/\n/g, '\n' + lineIndent);
}
