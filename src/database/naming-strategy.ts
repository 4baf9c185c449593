import { DefaultNamingStrategy, Table } from 'typeorm';

/**
 * TypeORM's names, except for the indexes it declares by itself (the two of a `@JoinTable`, one
 * per side), which read `IDX_<table>_<columns>` like every index the entities name, instead of a
 * hash. Indexes with a condition keep TypeORM's hashed name.
 */
export class SchemaNamingStrategy extends DefaultNamingStrategy {
  override indexName(tableOrName: Table | string, columnNames: string[], where?: string): string {
    if (where) return super.indexName(tableOrName, columnNames, where);
    return `IDX_${this.getTableName(tableOrName)}_${columnNames.join('_')}`;
  }
}
