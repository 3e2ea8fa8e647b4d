// `npm start` (after `npm run build`): runs the `migratable` CLI over the examples, packages the extension, and opens
// a temporary COPY of the examples in a real VS Code with it installed — desktop `code` when there is one, otherwise
// the browser VS Code of the test harness on 127.0.0.1 (its URL is printed; Ctrl-C stops it and deletes the copy).
// A fix saved while trying the extension must not change the repository's own examples.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });

const examples = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.xml'))
  .sort()
  .map((f) => join('examples', f));
console.log(`$ migratable check ${examples.join(' ')}\n`);
const check = run(process.execPath, [join(root, 'server', 'out', 'cli.js'), 'check', ...examples]);
if (check.status === 2 || check.status === null) process.exit(check.status ?? 1);
console.log('\n(examples/broken.xml and examples/vf-not-migratable.xml have findings on purpose)\n');

if (run('npm', ['run', '-s', 'package']).status !== 0) process.exit(1);
const vsix = join(root, 'migratable-domains.vsix');

const copy = join(mkdtempSync(join(tmpdir(), 'migratable-examples-')), 'examples');
cpSync(join(root, 'examples'), copy, { recursive: true });
console.log(`Opening a temporary copy of examples/ (${copy}): edits and fixes saved there leave the repository alone.`);

if (!process.env.MIGRATABLE_NO_DESKTOP && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0) {
  if (run('code', ['--install-extension', vsix, '--force']).status !== 0) process.exit(1);
  // desktop VS Code keeps running after `code` returns: the copy stays (in the temporary folder) for it
  process.exit(run('code', [copy, join(copy, 'broken.xml')]).status ?? 1);
} else {
  console.log('No desktop VS Code (`code`) here: opening the copy in the browser VS Code of the test harness.');
  const child = spawn(process.execPath, [join(root, 'scripts', 'open-in-browser.js'), '--vsix', vsix, '--folder', copy], {
    cwd: root,
    stdio: 'inherit',
  });
  // Ctrl-C reaches the child through the terminal; it stops code-server and cleans up, then we exit with it
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code) => {
    rmSync(dirname(copy), { recursive: true, force: true });
    process.exit(code ?? 0);
  });
}
