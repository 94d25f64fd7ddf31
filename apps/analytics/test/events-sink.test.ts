import type { BigQuery } from "@google-cloud/bigquery";
import type { WarehouseRow } from "@shopstream/events";
import { EventsTableSink } from "../src";

interface Request {
  rows: { insertId: string; json: WarehouseRow }[];
  options: { skipInvalidRows?: boolean };
}

/**
 * tabledata.insertAll on the wire, as documented: POST .../tables/{table}/insertAll with
 * `{ rows: [{ insertId, json }], skipInvalidRows? }`; the answer lists refused rows by index in
 * `insertErrors`. Without skipInvalidRows one invalid row fails the whole request and stores nothing (every
 * row is listed, the valid ones as "stopped"); with it the valid rows are stored and the invalid ones
 * listed. A row is invalid here when its event_type is "broken".
 */
function fakeBigQuery(gate?: () => Promise<void>) {
  const requests: Request[] = [];
  const stored: string[] = [];
  const bigquery = {
    dataset: () => ({
      table: () => ({
        request: async (options: {
          method: string;
          uri: string;
          body: string;
          headers: Record<string, string>;
        }) => {
          expect(options).toMatchObject({ method: "POST", uri: "/insertAll" });
          expect(options.headers["Content-Type"]).toBe("application/json");
          const body = JSON.parse(options.body) as { rows: Request["rows"]; skipInvalidRows?: boolean };
          const { rows } = body;
          requests.push({ rows, options: { skipInvalidRows: body.skipInvalidRows } });
          await gate?.();
          const invalid = new Set(
            rows.flatMap((r, index) => (r.json.event_type === "broken" ? [index] : [])),
          );
          if (invalid.size > 0 && !body.skipInvalidRows) {
            return [
              {
                insertErrors: rows.map((_, index) => ({
                  index,
                  errors: [{ reason: invalid.has(index) ? "invalid" : "stopped", message: "" }],
                })),
              },
            ];
          }
          stored.push(...rows.filter((_, index) => !invalid.has(index)).map((r) => r.insertId));
          return [
            {
              kind: "bigquery#tableDataInsertAllResponse",
              insertErrors: [...invalid].map((index) => ({
                index,
                errors: [{ reason: "invalid", message: "no such field: oops" }],
              })),
            },
          ];
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
          request: async () => {
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
          request: async (options: { body: string }) => {
            const { rows } = JSON.parse(options.body) as { rows: Request["rows"] };
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

  it("tells two copies of one event_id in a request apart when one batch's copy is refused", async () => {
    const { bigquery } = fakeBigQuery();
    const sink = new EventsTableSink(bigquery, "ds");
    const outcomes = await sink.write([row("a"), row("a", "broken")]);
    expect(outcomes).toEqual([
      { status: "stored" },
      { status: "rejected", reason: "bigquery invalid: no such field: oops" },
    ]);
  });

  it("refuses to guess when the answer names a row the request did not have", async () => {
    const bigquery = {
      dataset: () => ({
        table: () => ({
          request: async (options: { body: string }) => {
            const body = JSON.parse(options.body) as { skipInvalidRows?: boolean };
            return [
              { insertErrors: [{ index: body.skipInvalidRows ? 7 : 0, errors: [{ reason: "invalid" }] }] },
            ];
          },
        }),
      }),
    } as unknown as BigQuery;
    await expect(new EventsTableSink(bigquery, "ds").write([row("a")])).rejects.toThrow(
      "named row 7 of 1: cannot tell which row was refused",
    );
  });
});
