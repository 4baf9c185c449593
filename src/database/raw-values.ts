import { DataSource, EntityTarget } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Converts values of raw query results (`getRawMany`) the way TypeORM converts entity columns:
 * SQLite returns dates as text and booleans as 0/1, MariaDB booleans as 1/0. Raw selects skip
 * the entity hydration, which costs far more than the query on hot list endpoints.
 */
export class RawValueReader {
  private readonly columns = new Map<string, ColumnMetadata>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: EntityTarget<unknown>,
  ) {}

  read<T>(property: string, value: unknown): T {
    let column = this.columns.get(property);
    if (!column) {
      column = this.dataSource.getMetadata(this.entity).findColumnWithPropertyName(property);
      if (!column) throw new Error(`no column ${property} on ${String(this.entity)}`);
      this.columns.set(property, column);
    }
    return this.dataSource.driver.prepareHydratedValue(value, column) as T;
  }
}
