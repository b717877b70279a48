// One read of a CSV file by polars or DuckDB (their Node packages), for benchmarks/dataset/run_csv.sh:
// prints "tool,threads=N,rows=R,seconds=S" with the time of the read alone.
//   POLARS_MAX_THREADS=N node csv_node.js polars FILE N SEP
//   node csv_node.js duckdb FILE N SEP
// Run from a folder where `npm i -E nodejs-polars@0.25.2 nodejs-polars-linux-x64-gnu@0.25.2
// @duckdb/node-api@1.5.6-r.1` was run (NODE_PATH=that/node_modules). Not needed by the build
// or the tests.
"use strict";
const [tool, file, threadsText, sep] = process.argv.slice(2);
const threads = Number(threadsText);

async function main() {
  if (tool === "polars") {
    const pl = require("nodejs-polars");
    const start = process.hrtime.bigint();
    const df = pl.readCSV(file, { sep, nThreads: threads });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`polars,threads=${threads},rows=${df.height},seconds=${seconds.toFixed(3)}`);
  } else if (tool === "duckdb") {
    const { DuckDBInstance } = require("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:", { threads: String(threads) });
    const connection = await instance.connect();
    const start = process.hrtime.bigint();
    await connection.run(
      `CREATE TABLE t AS SELECT * FROM read_csv('${file}', delim = '${sep}', header = true)`);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rows = (await connection.runAndReadAll("SELECT count(*) FROM t")).getRows()[0][0];
    console.log(`duckdb,threads=${threads},rows=${rows},seconds=${seconds.toFixed(3)}`);
  } else {
    throw new Error(`unknown tool ${tool}`);
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
