import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * CongoDB, the MongoDB wire-protocol emulator inside `@push.rocks/smartmongo`, installed apart
 * from the app's dependencies in test/mongo-emulator (`npm run test:mongo-emulator:install`).
 */
export const MONGO_EMULATOR_DIR = join(__dirname, '..', 'mongo-emulator');
const LAUNCHER = join(MONGO_EMULATOR_DIR, 'start.mjs');
const INSTALLED_MARKER = join(
  MONGO_EMULATOR_DIR,
  'node_modules',
  '@push.rocks',
  'smartmongo',
  'package.json',
);
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export interface RunningMongoEmulator {
  uri: string;
  /** Name and version, e.g. `CongoDB (@push.rocks/smartmongo 2.2.0)`. */
  name: string;
  process: ChildProcess;
}

export function mongoEmulatorInstalled(): boolean {
  return existsSync(INSTALLED_MARKER);
}

/**
 * Spawns the launcher on a free port and resolves once it prints its ready line. It stops with
 * `stopMongoEmulator`, or by itself when this process exits (its stdin is a pipe from here).
 */
export function startMongoEmulator(): Promise<RunningMongoEmulator> {
  const child = spawn(process.execPath, [LAUNCHER, '--stop-when-stdin-closes'], {
    cwd: MONGO_EMULATOR_DIR,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise<RunningMongoEmulator>((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const tail = output.slice(-20).join('\n  ');
      reject(
        new Error(`the MongoDB emulator did not start: ${reason}${tail ? `\n  ${tail}` : ''}`),
      );
    };
    const timer = setTimeout(
      () => fail(`no ready line in ${READY_TIMEOUT_MS / 1000}s`),
      READY_TIMEOUT_MS,
    );
    child.once('error', (error) => fail(error.message));
    // 'close' rather than 'exit': by then its output has been read to the end.
    child.once('close', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const ready = /^MONGO_EMULATOR_READY (\S+) (.+)$/.exec(line);
      if (!ready) return;
      clearTimeout(timer);
      child.removeAllListeners('close');
      child.removeAllListeners('error');
      // The run must not wait for the emulator to end; it ends with the run (see above).
      child.unref();
      (child.stdin as unknown as { unref?: () => void }).unref?.();
      resolve({ uri: ready[1], name: ready[2], process: child });
    });
  });
}

export async function stopMongoEmulator(emulator: RunningMongoEmulator): Promise<void> {
  const child = emulator.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
