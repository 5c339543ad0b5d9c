// Where the store lives unless --db says otherwise: $LINEAGE_DB, else data/lineage.db under the working folder.
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LINEAGE_DB && env.LINEAGE_DB !== '' ? env.LINEAGE_DB : 'data/lineage.db';
}
