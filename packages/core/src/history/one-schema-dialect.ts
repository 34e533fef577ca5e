import {
  PostgresDialect,
  sql,
  type DatabaseIntrospector,
  type Kysely,
  type PostgresDialectConfig,
  type TableMetadata,
} from 'kysely';

/**
 * PostgresDialect whose introspector sees one schema. Kysely's Migrator asks
 * the introspector whether its tables exist, and PostgreSQL's lists the
 * tables of every schema, with a query that fails when another schema is
 * dropped meanwhile (a concurrent test, another application): the Migrator
 * only needs to know about its own schema, so that is all it is shown.
 */
export class OneSchemaDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly schema: string,
  ) {
    super(config);
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    const schema = this.schema;
    const getTables = async (): Promise<TableMetadata[]> =>
      (
        await sql<{ name: string; type: string }>`
          select table_name as name, table_type as type from information_schema.tables
           where table_schema = ${schema}`.execute(db)
      ).rows.map((r) => ({ name: r.name, schema, isView: r.type === 'VIEW', columns: [] }));
    return {
      getSchemas: async () =>
        (
          await sql<{
            name: string;
          }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${schema}`.execute(
            db,
          )
        ).rows,
      getTables,
      getMetadata: async () => ({ tables: await getTables() }),
    };
  }
}
