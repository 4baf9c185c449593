import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', 'replication', 'cluster.sh');

/** PostgreSQL's own binaries, which the cluster is made with (test/replication/cluster.sh). */
function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const [newest] = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  const bin = newest && join(root, newest, 'bin');
  return bin && existsSync(join(bin, 'pg_basebackup')) ? bin : undefined;
}

/** Why a primary and replica of our own cannot be made here, or undefined when they can. */
export function replicaClusterUnavailable(): string | undefined {
  if (!postgresBinaries())
    return 'no PostgreSQL binaries (initdb, pg_basebackup) under /usr/lib/postgresql';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root without a postgres OS user to run initdb as';
    }
  }
  return undefined;
}

/**
 * A primary and one streaming replica made for a suite, in a temporary directory on free ports;
 * `stop()` removes them, and so does this process's exit should a suite not get that far.
 */
export class ReplicaCluster {
  private constructor(
    readonly dir: string,
    readonly primaryPort: number,
    readonly replicaPort: number,
  ) {}

  /** `applyDelayMs`: the replica applies each transaction that long after its commit. */
  static async start(applyDelayMs: number): Promise<ReplicaCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'blog-replication-'));
    const stopOnExit = () => execFileSync(SCRIPT, ['stop', dir], { stdio: 'ignore' });
    process.once('exit', stopOnExit);
    const { stdout } = await run(SCRIPT, ['start', dir, String(applyDelayMs)], {
      timeout: 120_000,
    });
    const port = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(stdout)?.[1]);
    const cluster = new ReplicaCluster(dir, port('PRIMARY_PORT'), port('REPLICA_PORT'));
    cluster.removeExitHook = () => process.removeListener('exit', stopOnExit);
    return cluster;
  }

  private removeExitHook = () => undefined as unknown;

  primaryUrl(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.primaryPort}/${database}`;
  }

  replicaUrl(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.replicaPort}/${database}`;
  }

  async stopReplica(): Promise<void> {
    await run(SCRIPT, ['stop-replica', this.dir], { timeout: 60_000 });
  }

  async startReplica(): Promise<void> {
    await run(SCRIPT, ['start-replica', this.dir], { timeout: 60_000 });
  }

  async stop(): Promise<void> {
    await run(SCRIPT, ['stop', this.dir], { timeout: 60_000 });
    this.removeExitHook();
  }

  /** One statement on the primary or the replica, over its own connection. */
  async query<T>(server: 'primary' | 'replica', sql: string, values: unknown[] = []): Promise<T[]> {
    const client = new Client({
      connectionString: server === 'primary' ? this.primaryUrl() : this.replicaUrl(),
    });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as T[];
    } finally {
      await client.end();
    }
  }
}
