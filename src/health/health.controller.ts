import { Controller, Get, Optional } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorFunction,
  MongooseHealthIndicator,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Connection } from 'mongoose';
import { Public } from '../auth/auth.decorators';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly mongoose: MongooseHealthIndicator,
    // Exists only when the content module is mounted (MONGODB_URI set).
    @Optional() @InjectConnection() private readonly mongoConnection?: Connection,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: 'Health of every configured store',
    description:
      '200 when every store answers; 503 naming the one that does not. The stores are the ' +
      'relational `database`, and `mongodb` when the content module is on.',
  })
  check() {
    const checks: HealthIndicatorFunction[] = [
      () => this.database.pingCheck('database', { timeout: 3000 }),
    ];
    if (this.mongoConnection) {
      const connection = this.mongoConnection;
      checks.push(() => this.mongoose.pingCheck('mongodb', { connection, timeout: 3000 }));
    }
    return this.health.check(checks);
  }
}
