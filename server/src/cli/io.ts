/** What a CLI command may touch, injected so tests can run commands in-process. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => string;
  isTty: boolean;
}

export class UsageError extends Error {}

/** A subcommand: `migratable NAME args…` → exit status (0 ok, 1 findings, 2 usage error or unreadable input). */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: Io): number;
}
