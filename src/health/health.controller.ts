import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerStorage } from '@nestjs/throttler';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
  MongooseHealthIndicator,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import { Public } from '../auth/auth.decorators';
import { MONGOOSE_CONNECTION } from '../content/content-module-switch';
import { ReadReplicas } from '../database/read-replicas';
import { isSharedRateLimitStorage } from '../rate-limiting/rate-limiting.module';

@ApiTags('health')
@Controller('health')
export class HealthController {
  /** Created on first use, only with MongoDB on: creating it loads Mongoose (~30 MiB). */
  private mongoose?: Promise<MongooseHealthIndicator>;

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly moduleRef: ModuleRef,
    // Exists only when the content module is mounted (MONGODB_URI set).
    @Optional() @Inject(MONGOOSE_CONNECTION) private readonly mongoConnection?: Connection,
    private readonly indicators?: HealthIndicatorService,
    @Inject(ThrottlerStorage) private readonly rateLimitStorage?: unknown,
    @Optional() private readonly replicas?: ReadReplicas,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: 'Health of every configured store',
    description:
      '200 when every store answers; 503 naming the one that does not. The stores are the ' +
      'relational `database`, `mongodb` when the content module is on, and `redis` when rate ' +
      'limits are shared through Redis (REDIS_URL). With read replicas (DATABASE_READ_URLS), ' +
      'each is reported as `replica_<n>` with its state (`in rotation`, `lagging`, `down`) and ' +
      'lag; one out of the rotation is `degraded: true`, and never makes this a 503.',
  })
  check() {
    const checks: HealthIndicatorFunction[] = [
      () => this.database.pingCheck('database', { timeout: 3000 }),
    ];
    if (this.mongoConnection) {
      const connection = this.mongoConnection;
      const mongoose = this.mongooseIndicator();
      checks.push(async () => (await mongoose).pingCheck('mongodb', { connection, timeout: 3000 }));
    }
    const storage = this.rateLimitStorage;
    if (isSharedRateLimitStorage(storage) && this.indicators) {
      const indicators = this.indicators;
      checks.push(async () => {
        const redis = indicators.check('redis');
        return (await storage.ping().catch(() => false)) ? redis.up() : redis.down('unreachable');
      });
    }
    // A replica out of the rotation is "degraded", never down: reads fall back, and a 503 here
    // would make a load balancer drop an instance that serves every request.
    this.replicas?.report().forEach((replica, index) => {
      const indicators = this.indicators;
      if (!indicators) return;
      checks.push(() => {
        const { name, ...state } = replica;
        return indicators.check(`replica_${index + 1}`).up({
          replica: name,
          degraded: replica.state !== 'in rotation',
          ...state,
        });
      });
    });
    return this.health.check(checks);
  }

  private mongooseIndicator(): Promise<MongooseHealthIndicator> {
    this.mongoose ??= this.moduleRef.resolve(MongooseHealthIndicator, undefined, { strict: false });
    return this.mongoose;
  }
}
