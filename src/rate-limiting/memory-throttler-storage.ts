import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** The expiry times of a client's hits under one throttler, oldest first, read from `head` on. */
interface HitLog {
  expirations: number[];
  head: number;
}

interface ClientRecord {
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
  hits: Map<string, HitLog>;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * In-memory rate-limit counts with the semantics of @nestjs/throttler's ThrottlerStorageService
 * (a sliding log of hits per client and throttler, blocking for `blockDuration` once over the
 * limit), at a constant cost per request. The library's storage filters the whole log on every
 * request, so a write costs O(limit): with a high WRITE_RATE_LIMIT (the benchmark sets ten
 * million) that was over a tenth of the CPU of POST /posts. Hits expire in the order they were
 * made (the TTL of a throttler is fixed), so expired ones are dropped from the front of the log.
 */
export class MemoryThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly records = new Map<string, ClientRecord>();
  private sweeper?: NodeJS.Timeout;

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    this.sweeper ??= setInterval(() => this.evictIdle(Date.now()), SWEEP_INTERVAL_MS).unref();
    let record = this.records.get(key);
    if (!record) {
      record = { expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false, hits: new Map() };
      this.records.set(key, record);
    }
    let log = record.hits.get(throttlerName);
    if (!log) {
      log = { expirations: [], head: 0 };
      record.hits.set(throttlerName, log);
    }
    dropExpired(log, now);
    if (record.expiresAt <= now) record.expiresAt = now + ttl;
    const timeToExpire = secondsUntil(record.expiresAt, now);

    if (blockDuration <= 0) {
      const isBlocked = liveHits(log) >= limit;
      if (!isBlocked) log.expirations.push(now + ttl);
      const timeToBlockExpire = liveHits(log)
        ? secondsUntil(log.expirations[log.head], now)
        : timeToExpire;
      return Promise.resolve({
        totalHits: liveHits(log) + (isBlocked ? 1 : 0),
        timeToExpire,
        isBlocked,
        timeToBlockExpire: isBlocked ? timeToBlockExpire : 0,
      });
    }

    if (!record.isBlocked) log.expirations.push(now + ttl);
    if (liveHits(log) > limit && !record.isBlocked) {
      record.isBlocked = true;
      record.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = secondsUntil(record.blockExpiresAt, now);
    if (timeToBlockExpire <= 0 && record.isBlocked) {
      record.isBlocked = false;
      log.expirations = [now + ttl];
      log.head = 0;
    }
    return Promise.resolve({
      totalHits: liveHits(log),
      timeToExpire,
      isBlocked: record.isBlocked,
      timeToBlockExpire,
    });
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.records.clear();
  }

  /** Forgets clients that are neither blocked nor have a live hit. */
  private evictIdle(now: number): void {
    for (const [key, record] of this.records) {
      if (record.isBlocked && record.blockExpiresAt > now) continue;
      if (record.expiresAt > now) continue;
      const hasLiveHits = [...record.hits.values()].some((log) => {
        dropExpired(log, now);
        return liveHits(log) > 0;
      });
      if (!hasLiveHits) this.records.delete(key);
    }
  }
}

function dropExpired(log: HitLog, now: number): void {
  const { expirations } = log;
  while (log.head < expirations.length && expirations[log.head] <= now) log.head++;
  // Compact once the dropped prefix outweighs the live part, so the cost stays amortised O(1).
  if (log.head > 64 && log.head * 2 > expirations.length) {
    log.expirations = expirations.slice(log.head);
    log.head = 0;
  }
}

function liveHits(log: HitLog): number {
  return log.expirations.length - log.head;
}

function secondsUntil(time: number, now: number): number {
  return Math.ceil((time - now) / 1000);
}
