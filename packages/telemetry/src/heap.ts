/**
 * The live V8 heap: bytes in use when Node reports the latest mark-compact (full) garbage collection, an upper
 * bound of what that collection kept (see trackLiveHeap).
 *
 * `process.memoryUsage().heapUsed` sampled at an arbitrary moment is live objects plus the garbage
 * allocated since the last collection, and how much garbage V8 lets pile up before a full collection
 * moves with its heap-growing heuristics (allocation and GC speed, so the machine's load). A worker under a
 * steady load showed heapUsed samples wandering between 36 and 128 MiB while the heap after each full
 * collection stayed at 36-37 MiB (docs/testing.md, "Soak"). Only the after-collection figure says whether
 * something is retained, so the stage snapshots report it beside heapUsed.
 */
import { constants, PerformanceObserver } from "node:perf_hooks";

let observer: PerformanceObserver | undefined;
let liveBytes = Number.NaN;
let fullCollections = 0;

/**
 * Starts watching full collections (idempotent; the observer holds no handle, so it never keeps a process
 * alive). The 'gc' entries arrive asynchronously (delivered on a later turn of the event loop), so the
 * figure also holds what the rest of the task allocated after the collection: an upper bound of the retained
 * heap, not the collector's own figure (a cold reviewer measured 47-50 MiB here against 2.6-3.0 MiB right
 * after gc() when a task allocated 30 MB of garbage after it; v8.GCProfiler would give the exact figure).
 * In the workers' steady state it stays flat (docs/testing.md, "Soak"), which is what it is used for.
 */
export function trackLiveHeap(): void {
  if (observer) return;
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // Node >= 16 puts the collection's kind in `detail` (the types of Node 20 do not declare it)
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      liveBytes = process.memoryUsage().heapUsed;
      fullCollections++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
}

/** Heap in use when the latest full collection was reported (an upper bound of what it kept); NaN before the first one. */
export function liveHeapBytes(): number {
  return liveBytes;
}

/** Full collections seen since trackLiveHeap(). */
export function fullCollectionCount(): number {
  return fullCollections;
}
