import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './startServer';

const connection = createConnection(ProposedFeatures.all);
// stdout is the protocol channel when the transport is stdio: everything else goes to the client's log
const toLog =
  (send: (message: string) => void) =>
  (...args: unknown[]) =>
    send(args.map(String).join(' '));
Object.assign(console, {
  log: toLog((m) => connection.console.info(m)),
  info: toLog((m) => connection.console.info(m)),
  warn: toLog((m) => connection.console.warn(m)),
  error: toLog((m) => connection.console.error(m)),
});
process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? err}`));
process.on('unhandledRejection', (err) => connection.console.error(`unhandled rejection: ${String(err)}`));

startServer(connection);
connection.listen();
