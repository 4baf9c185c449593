import { randomBytes } from 'node:crypto';

export interface TrafficResult {
  startedAt: number;
  endedAt: number;
  status: number; // 0 when the connection failed
  body?: unknown;
  sent: unknown;
}

/**
 * Sends requests from `concurrency` loops until `durationMs` has passed or `signal` aborts,
 * bounded in time and count, loopback only. `makeRequest` builds each request from a sequence
 * number; every outcome is recorded, including refused connections.
 */
export async function runTraffic(options: {
  baseUrl: string;
  durationMs: number;
  concurrency: number;
  maxRequests?: number;
  makeRequest: (n: number) => {
    method: string;
    path: string;
    body?: unknown;
    headers?: Record<string, string>;
  };
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<TrafficResult[]> {
  const results: TrafficResult[] = [];
  const deadline = Date.now() + options.durationMs;
  const maxRequests = options.maxRequests ?? 5_000;
  let sequence = 0;

  async function loop(): Promise<void> {
    while (Date.now() < deadline && sequence < maxRequests && !options.signal?.aborted) {
      const request = options.makeRequest(sequence++);
      const startedAt = Date.now();
      try {
        const response = await fetch(options.baseUrl + request.path, {
          method: request.method,
          headers: { 'content-type': 'application/json', ...request.headers },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
        const text = await response.text();
        results.push({
          startedAt,
          endedAt: Date.now(),
          status: response.status,
          body: text ? JSON.parse(text) : undefined,
          sent: request.body,
        });
      } catch {
        results.push({ startedAt, endedAt: Date.now(), status: 0, sent: request.body });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  await Promise.all(Array.from({ length: options.concurrency }, loop));
  return results;
}

export function registrationBody(prefix: string, n: number) {
  const username = `${prefix}_${n}_${randomBytes(3).toString('hex')}`;
  return {
    email: `${username}@example.com`,
    username,
    password: 'correct horse battery staple',
    profile: { bio: `bio of ${username}` },
  };
}

export function countBy<T>(items: T[], key: (item: T) => string | number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
