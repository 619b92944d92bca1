import type { Knex } from "knex";

/**
 * Created the payment functions once. They now live in src/store/sql, one file each, and are
 * (re)created after the migrations by src/store/functions.ts whenever a file changes; migrations only
 * change tables. Kept as a no-op so the migration history stays the same: a database that ran the old
 * version keeps its functions until that step replaces them, and down() leaves them to it as well.
 */
export async function up(_knex: Knex): Promise<void> {}

export async function down(_knex: Knex): Promise<void> {}
