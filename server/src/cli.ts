import { readFileSync } from 'fs';
import { check } from './cli/check';
import { fix } from './cli/fix';
import { rewrite } from './cli/rewrite';
import { migrate } from './cli/migrate';
import { preflight } from './cli/preflight';
import { profile } from './cli/profile';
import type { Command, Io } from './cli/io';
import { version } from './cli/version';

/** The `migratable` command: a thin front end over the language service, one module per subcommand. */
export const COMMANDS: Command[] = [check, fix, rewrite, profile, preflight, migrate];

function help(): string {
  return (
    `usage: migratable COMMAND [options] FILE...\n\ncommands:\n${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}\n\n` +
    `'migratable COMMAND --help' shows a command's options.\n`
  );
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.stdout(version() + '\n');
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(help());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`migratable: unknown command '${name}'\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  return command.run(rest, io);
}

if (require.main === module) {
  // `migratable check … | head` closes the pipe early: that deserves no stack trace, and the exit status stays the result
  let stdoutClosed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    stdoutClosed = true;
  });
  // the first Ctrl-C asks the running command to stop (a migration aborts its job and reports); the second leaves
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(130);
    process.stderr.write('migratable: stopping (Ctrl-C again to leave at once)\n');
    interrupt.abort();
  });
  void main(process.argv.slice(2), {
    signal: interrupt.signal,
    stdout: (s) => {
      if (!stdoutClosed) process.stdout.write(s);
    },
    stderr: (s) => process.stderr.write(s),
    readStdin: () => readFileSync(0, 'utf8'),
    isTty: !!process.stdout.isTTY,
  }).then((status) => {
    process.exitCode = status;
  });
}
