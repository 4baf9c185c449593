import {
  BeforeApplicationShutdown,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  NestInterceptor,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool } from 'pg';
import { catchError, defer, finalize, Observable } from 'rxjs';
import { DataSource, ObjectLiteral, QueryRunner, Repository } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { databaseConfig, DatabaseConfig } from '../config/configuration';
import { classifyDatabaseError } from './database-errors';

export type ReplicaState = 'in rotation' | 'lagging' | 'down';

export interface ReplicaStatus {
  /** `host:port/database`, without credentials. */
  name: string;
  state: ReplicaState;
  /** Bytes of WAL the primary has written that the replica has not replayed. */
  lagBytes?: number;
  /** How far behind the primary the replica's data is: 0 when it has replayed everything. */
  lagMs?: number;
  error?: string;
  checkedAt: string;
}

const CHECK_TIMEOUT_MS = 2000;

/** A WAL position (`16/B374D848`) as a number of bytes. */
function lsnBytes(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

function describeUrl(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname}:${port || 5432}${pathname}`;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface Replica {
  url: string;
  pool: Pool;
  status?: ReplicaStatus;
}

/**
 * The read rotation: which PostgreSQL replicas of DATABASE_READ_URLS serve reads. TypeORM 1.1
 * opens its replica pools once, at startup, refusing to start while one is down, then connects a
 * "slave" query runner to a random one with no health check. So the replicas' pools are opened
 * here (as TypeORM opens them: the URL, the pool size and the `extra` options of the data
 * source), each replica is measured every DB_REPLICA_CHECK_INTERVAL_MS, and TypeORM's rotation
 * (`driver.slaves`, which it picks from at random and, when empty, replaces by the primary) is
 * set to those that answer, are in recovery, and lag at most DB_REPLICA_MAX_LAG_MS. A replica
 * leaves it and rejoins it without a restart, and may be down when the app starts.
 *
 * The lag is a WAL position difference first (`pg_current_wal_lsn()` on the primary against
 * `pg_last_wal_replay_lsn()` on the replica): 0 bytes is 0 ms, however old the last replayed
 * transaction (the replay timestamp keeps ageing on an idle primary); with bytes outstanding,
 * the age of the last replayed transaction is how far behind the replica's data is.
 */
@Injectable()
export class ReadReplicas implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ReadReplicas');
  private replicas: Replica[] = [];
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: DatabaseConfig,
  ) {}

  get configured(): boolean {
    return this.config.readUrls.length > 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.configured) return;
    const { poolSize, extra } = this.dataSource.options as PostgresDataSourceOptions;
    this.replicas = this.config.readUrls.map((url) => {
      const pool = new Pool({ connectionString: url, max: poolSize, ...extra });
      // A replica going away is reported by the measurements; unhandled, it would end the process.
      pool.on('error', (error) =>
        this.logger.warn(`replica ${describeUrl(url)}: ${error.message}`),
      );
      return { url, pool };
    });
    await this.checkNow();
    this.timer = setInterval(() => void this.checkNow(), this.config.replicaCheckIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
    if (!this.configured) return;
    this.driver.slaves = [];
    await Promise.all(this.replicas.map(({ pool }) => pool.end()));
  }

  /** Each replica's last measured state, for /health. */
  report(): ReplicaStatus[] {
    return this.replicas.flatMap(({ status }) => (status ? [status] : []));
  }

  /** Measures every replica now (one measurement at a time) and updates the rotation. */
  checkNow(): Promise<void> {
    this.checking ??= this.measureAll().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private get driver(): PostgresDriver {
    return this.dataSource.driver as PostgresDriver;
  }

  private async measureAll(): Promise<void> {
    let primaryLsn: bigint | undefined;
    try {
      // Raw SQL on the pools: WAL positions, which no repository has.
      const primary = this.driver.master as Pool;
      const { rows } = await withTimeout(
        primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'),
        CHECK_TIMEOUT_MS,
      );
      primaryLsn = lsnBytes(rows[0].lsn);
    } catch {
      // The primary is down: /health reports it; the replicas' lag cannot be known meanwhile.
    }
    await Promise.all(
      this.replicas.map(async (replica) => {
        const before = replica.status?.state;
        replica.status = await this.measure(replica, primaryLsn);
        if (replica.status.state === before) return;
        const { name, state, error, lagMs, lagBytes } = replica.status;
        const detail = error ?? `lag ${lagMs} ms, ${lagBytes} bytes`;
        this.logger.warn(`replica ${name}: ${before ?? 'unchecked'} -> ${state} (${detail})`);
      }),
    );
    this.driver.slaves = this.replicas
      .filter(({ status }) => status?.state === 'in rotation')
      .map(({ pool }) => pool);
  }

  private async measure(replica: Replica, primaryLsn?: bigint): Promise<ReplicaStatus> {
    const name = describeUrl(replica.url);
    const checkedAt = new Date().toISOString();
    try {
      const { rows } = await withTimeout(
        replica.pool.query<{ standby: boolean; lsn: string | null; replayAgeMs: number | null }>(
          `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn,
                  EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000 AS "replayAgeMs"`,
        ),
        CHECK_TIMEOUT_MS,
      );
      const [row] = rows;
      if (!row.standby || !row.lsn) {
        return { name, state: 'down', error: 'not a replica (not in recovery)', checkedAt };
      }
      if (primaryLsn === undefined) {
        return { name, state: 'down', error: 'the primary does not answer', checkedAt };
      }
      const behind = primaryLsn - lsnBytes(row.lsn);
      const lagBytes = behind > 0n ? Number(behind) : 0;
      const lagMs = lagBytes === 0 ? 0 : Math.max(0, Math.round(Number(row.replayAgeMs ?? 0)));
      const state = lagMs > this.config.replicaMaxLagMs ? 'lagging' : 'in rotation';
      return { name, state, lagBytes, lagMs, checkedAt };
    } catch (error) {
      return { name, state: 'down', error: (error as Error).message, checkedAt };
    }
  }
}

/** What one GET request reads through: its replica's query runner, until it falls back. */
interface RequestReads {
  runner?: QueryRunner;
  onPrimary: boolean;
}

const READ_ONLY_METHODS = new Set(['GET', 'HEAD']);

/**
 * Routes the reads of each GET request to one replica of the rotation, through one "slave" query
 * runner (so a page and its total come from the same server), kept in AsyncLocalStorage for the
 * request and released when it ends. Requests that write read from the primary: they answer with
 * what they wrote. A GET whose replica fails mid-request (stopped, connection cut) is answered
 * again from the primary, and the replica measured at once; no request fails for a replica.
 *
 * Services read through `repository()`: a repository bound to the request's replica runner, or
 * the injected one (primary) outside GET requests, without replicas, or after a fallback.
 */
@Injectable()
export class ReadRouting implements NestInterceptor {
  private readonly requests = new AsyncLocalStorage<RequestReads>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly replicas: ReadReplicas,
  ) {}

  repository<T extends ObjectLiteral>(onPrimary: Repository<T>): Repository<T> {
    const reads = this.requests.getStore();
    if (!reads || reads.onPrimary) return onPrimary;
    reads.runner ??= this.dataSource.createQueryRunner('slave');
    return reads.runner.manager.getRepository(onPrimary.target);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { method } = context.switchToHttp().getRequest<{ method: string }>();
    if (!this.replicas.configured || !READ_ONLY_METHODS.has(method)) return next.handle();
    const reads: RequestReads = { onPrimary: false };
    const handle = () => defer(() => this.requests.run(reads, () => next.handle()));
    return handle().pipe(
      catchError((error: unknown) => {
        if (!reads.runner || classifyDatabaseError(error) !== 'unavailable') throw error;
        void reads.runner.release();
        reads.runner = undefined;
        reads.onPrimary = true;
        void this.replicas.checkNow();
        return handle();
      }),
      finalize(() => void reads.runner?.release()),
    );
  }
}
