import { BigQuery } from "@google-cloud/bigquery";
process.env.METADATA_SERVER_DETECTION = "none";
const bq = new BigQuery({ projectId: "probe-project", apiEndpoint: "http://127.0.0.1:19050" });
async function main() {
  for (const query of ["SELECT COUNT(*) AS n FROM `probe-project.nope.t`", "SELECT nocol FROM UNNEST([1]) AS x", "SELECT 1/0 AS x"]) {
    try {
      const [job] = await bq.createQueryJob({ query });
      const [meta] = await job.getMetadata();
      console.log("status", JSON.stringify(meta.status));
      const [rows] = await job.getQueryResults();
      console.log(query, "->", rows);
    } catch (e) { console.log(query, "ERR", (e as Error).message); }
    try { const [rows] = await bq.query(query); console.log("query()", rows); } catch (e) { console.log("query() ERR", (e as Error).message); }
  }
}
main();
