import { check } from './cli/check';
import { fix } from './cli/fix';
import { readStream, type Command, type Io } from './cli/io';
import { rewrite } from './cli/rewrite';
import { migrate } from './cli/migrate';
import { preflight } from './cli/preflight';
import { profile } from './cli/profile';
import { version } from './cli/version';
import { writeError } from './cli/write';

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
  // `migratable check … | head` closes the pipe early: that deserves no stack trace, and the exit status stays the
  // result. Any other failure to write (`> /dev/full`) is one line and exit status 2: the output is incomplete.
  let stdoutError: NodeJS.ErrnoException | undefined;
  const failed = (err: NodeJS.ErrnoException) => {
    if (stdoutError) return;
    stdoutError = err;
    if (err.code === 'EPIPE') return;
    process.stderr.write(`migratable: cannot write standard output: ${writeError(err)}\n`);
    process.exitCode = 2;
  };
  process.stdout.on('error', failed);
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
      if (stdoutError) return;
      try {
        process.stdout.write(s);
      } catch (e) {
        failed(e as NodeJS.ErrnoException); // a file (or /dev/full) is written synchronously: it throws
      }
    },
    stderr: (s) => process.stderr.write(s),
    readStdin: (limit) => readStream(process.stdin, limit),
    isTty: !!process.stdout.isTTY,
  }).then((status) => {
    process.exitCode = stdoutError && stdoutError.code !== 'EPIPE' ? 2 : status;
  });
}
