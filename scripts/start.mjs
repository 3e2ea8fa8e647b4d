// `npm start`: after the build, runs the `migratable` CLI over the examples, so a fresh clone shows what the
// language service finds (examples/broken.xml and examples/vf-not-migratable.xml have findings on purpose).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.xml')).sort().map((f) => join('examples', f));
console.log(`$ migratable check ${examples.join(' ')}\n`);
const r = spawnSync(process.execPath, [join(root, 'server', 'out', 'cli.js'), 'check', ...examples], { cwd: root, stdio: 'inherit' });
if (r.status === 2 || r.status === null) process.exit(r.status ?? 1);
console.log('\nThe extension is built (client/out, server/out). Open this folder in VS Code and press F5, or see the README.');
