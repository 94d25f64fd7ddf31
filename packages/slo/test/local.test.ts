import { formatLocalStatus, localStatus } from "../src";
import { fixtureCatalog } from "./helpers";

describe("local SLO status (npm start summary)", () => {
  const catalog = fixtureCatalog();
  const latency = (boundSeconds: number) => (boundSeconds >= 10 ? 0.97 : 0.5);

  test("met, breached, not measured, and the composite from its components", () => {
    const statuses = localStatus(catalog, {
      counters: { validPublished: 10000, validStored: 9995 },
      gauges: {},
      latencyShareWithin: latency,
    });
    const by = Object.fromEntries(statuses.map((s) => [s.slo.name, s]));
    expect(by["processing-success"]).toMatchObject({ status: "met", sli: 0.9995 });
    expect(by["processing-latency"]).toMatchObject({ status: "met", sli: 0.97 });
    expect(by["mongodb-connections"]).toMatchObject({ status: "not-measured" });
    expect(by["overall-availability"]).toMatchObject({
      status: "met",
      detail: "all 2 measured components met",
    });

    const bad = localStatus(catalog, {
      counters: { validPublished: 10000, validStored: 9000 },
      gauges: { mongodbConnections: 150 },
      latencyShareWithin: () => Number.NaN,
    });
    const b = Object.fromEntries(bad.map((s) => [s.slo.name, s]));
    expect(b["processing-success"]?.status).toBe("breached");
    expect(b["processing-success"]?.burnRate).toBeCloseTo(100);
    expect(b["processing-latency"]?.status).toBe("no-data");
    expect(b["mongodb-connections"]?.status).toBe("breached");
    expect(b["overall-availability"]?.detail).toBe("breached by processing-success");
    const lines = formatLocalStatus(bad);
    expect(lines[0]).toMatch(/slo\s+goal\s+sli\s+status\s+measured/);
    expect(lines.find((l) => l.trim().startsWith("processing-success"))).toMatch(
      /99\.90%\s+90\.000%\s+BREACHED/,
    );
  });
});
