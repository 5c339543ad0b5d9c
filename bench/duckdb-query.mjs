// Runs the rule as SQL over a DuckDB database file and prints the row count: the benchmark's DuckDB process.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [database, sqlFile] = process.argv.slice(2);
const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
const connection = await instance.connect();
const result = await connection.runAndReadAll(readFileSync(sqlFile, 'utf8'));
console.log(result.getRows().length);
