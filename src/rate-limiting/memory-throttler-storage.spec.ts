import { ThrottlerStorageService } from '@nestjs/throttler';
import { MemoryThrottlerStorage } from './memory-throttler-storage';

describe('MemoryThrottlerStorage', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['with a block duration', 60_000],
    ['without one', 0],
  ])(
    'answers every increment as @nestjs/throttler’s own storage does (%s)',
    async (_name, blockDuration) => {
      const reference = new ThrottlerStorageService();
      const storage = new MemoryThrottlerStorage();
      // A deterministic walk: bursts, pauses longer than the TTL, two clients, two throttlers.
      let seed = 7;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      try {
        for (let i = 0; i < 5_000; i++) {
          now += random() < 0.02 ? 70_000 : Math.floor(random() * 400);
          const key = random() < 0.7 ? 'client-a' : 'client-b';
          const throttler = random() < 0.5 ? 'writes' : 'login';
          const args = [`${key}-${throttler}`, 60_000, 25, blockDuration, throttler] as const;
          expect(await storage.increment(...args)).toEqual(await reference.increment(...args));
        }
      } finally {
        reference.onApplicationShutdown();
        storage.onApplicationShutdown();
      }
    },
  );
});
