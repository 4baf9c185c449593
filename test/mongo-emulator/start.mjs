// Starts CongoDB, the MongoDB wire-protocol emulator inside @push.rocks/smartmongo, in memory on
// 127.0.0.1 and prints one line `MONGO_EMULATOR_READY <uri> <name>` once it accepts connections.
//
//   node test/mongo-emulator/start.mjs [port] [--stop-when-stdin-closes]    (no port, or 0: a free one)
//
// Stops on SIGTERM/SIGINT, and with the flag also when its standard input closes: the e2e global
// setup spawns it so, with a pipe there, and a test run that dies without its teardown does not
// leave it behind.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { congodb } from '@push.rocks/smartmongo';

const HOST = '127.0.0.1';
const packageJson = (name) =>
  JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url), 'utf8'));
export const EMULATOR_NAME = `CongoDB (@push.rocks/smartmongo ${packageJson('@push.rocks/smartmongo').version})`;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// CongoServer reports the port it was given, not the one the OS chose for 0, so a free port is
// picked here; another process may take it in between, hence a few attempts.
async function start(requestedPort) {
  for (let attempt = 1; ; attempt++) {
    const port = requestedPort || (await freePort());
    const server = new congodb.CongoServer({ port, host: HOST });
    try {
      await server.start();
      return server;
    } catch (error) {
      if (requestedPort || error.code !== 'EADDRINUSE' || attempt >= 5) throw error;
    }
  }
}

const args = process.argv.slice(2);
const server = await start(Number(args.find((arg) => /^\d+$/.test(arg)) ?? 0));
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (args.includes('--stop-when-stdin-closes')) {
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}

// CongoDB's hello announces a topologyVersion, so drivers monitor it with the streaming protocol
// (awaitable hello), but it never answers with OP_MSG's moreToCome bit: every other heartbeat
// fails and the driver clears the connection pool, failing whatever is in flight
// (gap-evidence.mjs shows it). Polling heartbeats avoid that; the option is the URI's, so the
// app, the tests and the seed all connect the same way.
const uri = `mongodb://${HOST}:${server.port}/?serverMonitoringMode=poll`;
console.log(`MONGO_EMULATOR_READY ${uri} ${EMULATOR_NAME}`);
