import type { BigQuery } from "@google-cloud/bigquery";
import type { WarehouseRow } from "@shopstream/events";
import { EventsTableSink } from "../src";

interface Request {
  rows: { insertId: string; json: WarehouseRow }[];
  options: { skipInvalidRows?: boolean; partialRetries?: number };
}

/**
 * tabledata.insertAll as documented: without skipInvalidRows one invalid row fails the whole request and
 * stores nothing; with it the valid rows are stored and the invalid ones listed. The Node client turns the
 * listed rows into a PartialFailureError ({ errors: [{ row, errors }] }). A row is invalid here when its
 * event_type is "broken".
 */
function fakeBigQuery(gate?: () => Promise<void>) {
  const requests: Request[] = [];
  const stored: string[] = [];
  const bigquery = {
    dataset: () => ({
      table: () => ({
        insert: async (rows: Request["rows"], options: Request["options"]) => {
          requests.push({ rows, options });
          await gate?.();
          const invalid = rows.filter((r) => r.json.event_type === "broken");
          if (invalid.length > 0 && !options.skipInvalidRows) {
            throw Object.assign(new Error("A failure occurred during this request."), {
              name: "PartialFailureError",
              errors: rows.map((row) => ({
                row,
                errors: [{ reason: invalid.includes(row) ? "invalid" : "stopped", message: "" }],
              })),
            });
          }
          stored.push(...rows.filter((r) => !invalid.includes(r)).map((r) => r.insertId));
          if (invalid.length > 0) {
            throw Object.assign(new Error("A failure occurred during this request."), {
              name: "PartialFailureError",
              errors: invalid.map((row) => ({
                row,
                errors: [{ reason: "invalid", message: "no such field: oops" }],
              })),
            });
          }
          return [{}];
        },
      }),
    }),
  } as unknown as BigQuery;
  return { bigquery, requests, stored };
}

const row = (id: string, type = "page_view") => ({ event_id: id, event_type: type }) as WarehouseRow;

describe("EventsTableSink", () => {
  it("stores a valid batch in one request without skipInvalidRows (the stand-in's cheap path)", async () => {
    const { bigquery, requests, stored } = fakeBigQuery();
    const notified: string[] = [];
    const sink = new EventsTableSink(bigquery, "ds", (rows) => notified.push(...rows.map((r) => r.event_id)));
    const outcomes = await sink.write([row("a"), row("b")]);
    expect(outcomes).toEqual([{ status: "stored" }, { status: "stored" }]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.options.skipInvalidRows).toBeFalsy();
    expect(requests[0]?.options.partialRetries).toBe(0);
    expect(stored).toEqual(["a", "b"]);
    expect(notified).toEqual(["a", "b"]);
  });

  it("resends a batch with an invalid row with skipInvalidRows: the valid rows stored, the invalid one refused", async () => {
    const { bigquery, requests, stored } = fakeBigQuery();
    const notified: string[] = [];
    const sink = new EventsTableSink(bigquery, "ds", (rows) => notified.push(...rows.map((r) => r.event_id)));
    const outcomes = await sink.write([row("a"), row("b", "broken"), row("c")]);
    expect(outcomes).toEqual([
      { status: "stored" },
      { status: "rejected", reason: "bigquery invalid: no such field: oops" },
      { status: "stored" },
    ]);
    expect(requests.map((r) => Boolean(r.options.skipInvalidRows))).toEqual([false, true]);
    expect(stored).toEqual(["a", "c"]);
    expect(notified).toEqual(["a", "c"]);
  });

  it("throws what it cannot attribute to rows (the emulator down), so the batch is retried later", async () => {
    const bigquery = {
      dataset: () => ({
        table: () => ({
          insert: async () => {
            throw new Error("connect ECONNREFUSED 127.0.0.1:9050");
          },
        }),
      }),
    } as unknown as BigQuery;
    await expect(new EventsTableSink(bigquery, "ds").write([row("a")])).rejects.toThrow("ECONNREFUSED");
  });

  it("sends the batches handed over while an insert is in flight as one request, each caller getting its own outcomes", async () => {
    let release: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const { bigquery, requests, stored } = fakeBigQuery(() => (calls++ === 0 ? first : Promise.resolve()));
    const notified: string[] = [];
    const sink = new EventsTableSink(bigquery, "ds", (rows) => notified.push(...rows.map((r) => r.event_id)));
    const a = sink.write([row("a")]);
    const b = sink.write([row("b"), row("b2", "broken")]);
    const c = sink.write([row("c")]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(requests.map((r) => r.rows.map((x) => x.insertId))).toEqual([["a"]]);
    release();
    expect(await a).toEqual([{ status: "stored" }]);
    expect(await b).toEqual([
      { status: "stored" },
      { status: "rejected", reason: "bigquery invalid: no such field: oops" },
    ]);
    expect(await c).toEqual([{ status: "stored" }]);
    // a alone, then b and c together (refused for b2, resent with skipInvalidRows)
    expect(requests.map((r) => r.rows.map((x) => x.insertId))).toEqual([
      ["a"],
      ["b", "b2", "c"],
      ["b", "b2", "c"],
    ]);
    expect(stored).toEqual(["a", "b", "c"]);
    expect(notified).toEqual(["a", "b", "c"]);
  });

  it("merges whole batches up to maxRowsPerInsert rows per request", async () => {
    let release: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const { bigquery, requests } = fakeBigQuery(() => (calls++ === 0 ? first : Promise.resolve()));
    const sink = new EventsTableSink(bigquery, "ds", undefined, 3);
    const writes = [
      sink.write([row("a")]),
      sink.write([row("b"), row("c")]),
      sink.write([row("d")]),
      sink.write([row("e"), row("f"), row("g"), row("h")]),
    ];
    release();
    await Promise.all(writes);
    expect(requests.map((r) => r.rows.map((x) => x.insertId))).toEqual([
      ["a"],
      ["b", "c", "d"],
      ["e", "f", "g", "h"],
    ]);
  });

  it("fails every batch of a merged request when the request fails, and keeps sending later ones", async () => {
    let calls = 0;
    let release: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      release = resolve;
    });
    const requests: string[][] = [];
    const bigquery = {
      dataset: () => ({
        table: () => ({
          insert: async (rows: Request["rows"]) => {
            requests.push(rows.map((r) => r.insertId));
            const call = calls++;
            if (call === 0) await first;
            if (call === 1) throw new Error("socket hang up");
            return [{}];
          },
        }),
      }),
    } as unknown as BigQuery;
    const sink = new EventsTableSink(bigquery, "ds");
    const a = sink.write([row("a")]);
    const b = sink.write([row("b")]);
    const c = sink.write([row("c")]);
    release();
    await expect(a).resolves.toEqual([{ status: "stored" }]);
    await expect(b).rejects.toThrow("socket hang up");
    await expect(c).rejects.toThrow("socket hang up");
    await expect(sink.write([row("d")])).resolves.toEqual([{ status: "stored" }]);
    expect(requests).toEqual([["a"], ["b", "c"], ["d"]]);
  });
});
