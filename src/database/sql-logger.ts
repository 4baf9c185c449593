import { Logger as NestLogger } from '@nestjs/common';
import { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's own loggers print the parameters of a failed query, which for an insert into `users`
 * include the password hash. This one logs statements and errors without their parameters.
 * Statements are logged only when DB_LOGGING is on; errors, slow queries and migration and
 * schema messages always.
 */
export class SqlLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('SQL');

  constructor(private readonly logStatements: boolean) {}

  logQuery(query: string): void {
    if (this.logStatements) this.logger.debug(query);
  }

  logQueryError(error: string | Error, query: string): void {
    const message = typeof error === 'string' ? error : error.message;
    this.logger.warn(`query failed: ${message} -- ${query}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query}`);
  }

  /** Schema messages come only from the CLI (`migration:show`, `schema:log`): always shown. */
  logSchemaBuild(message: string): void {
    this.logger.log(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else if (this.logStatements) this.logger.log(String(message));
  }
}
