/**
 * The live heap is what a full collection leaves: it rises with what is retained and falls when that is
 * released, whatever garbage heapUsed carries between collections.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { fullCollectionCount, liveHeapBytes, trackLiveHeap } from "../src/heap";
import { StageMetrics } from "../src/metrics";

setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;
const MIB = 1024 * 1024;

/** A full collection, then the turn of the event loop that delivers its 'gc' entry. */
async function fullCollection(): Promise<void> {
  const before = fullCollectionCount();
  collect();
  for (let i = 0; i < 100 && fullCollectionCount() === before; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(fullCollectionCount()).toBeGreaterThan(before);
}

test("the live heap follows what is retained across full collections", async () => {
  trackLiveHeap();
  trackLiveHeap(); // idempotent: one observer
  let retained: { id: number; text: string }[] | null = Array.from({ length: 300000 }, (_, id) => ({
    id,
    text: `event-${id}-${"x".repeat(64)}`,
  }));
  await fullCollection();
  const holding = liveHeapBytes();
  expect(retained.length).toBe(300000);

  retained = null;
  await fullCollection();
  const released = liveHeapBytes();
  // ~300,000 objects with a ~80-character string each: well over 20 MiB retained, then released
  expect(holding - released).toBeGreaterThan(20 * MIB);
  expect(retained).toBeNull();
});

test("stage snapshots carry the live and committed heap beside heapUsed", async () => {
  const metrics = new StageMetrics("ingestion");
  await fullCollection();
  const snapshot = metrics.snapshot();
  expect(snapshot.heapLiveBytes).toBe(liveHeapBytes());
  expect(snapshot.heapLiveBytes).toBeGreaterThan(0);
  expect(snapshot.heapTotalBytes).toBeGreaterThanOrEqual(snapshot.heapUsedBytes);
  // what crosses the IPC channel (JSON): a number, never NaN turned into null after a collection
  expect(JSON.parse(JSON.stringify(snapshot)).heapLiveBytes).toBe(snapshot.heapLiveBytes);
});
