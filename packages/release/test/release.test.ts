import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildRelease,
  canonicalJson,
  checkTreeMatches,
  type ReleaseManifest,
  releaseTfvars,
  validateRelease,
} from "../src/release";

const IMAGE = `europe-west1-docker.pkg.dev/shop-tools-1/jobs/reconciler@sha256:${"e".repeat(64)}`;

function tree(sql = "SELECT 1;\n"): string {
  const root = mkdtempSync(join(tmpdir(), "release-tree-"));
  mkdirSync(join(root, "apps/analytics/sql/aggregates"), { recursive: true });
  mkdirSync(join(root, "packages/events/generated"), { recursive: true });
  writeFileSync(join(root, "apps/analytics/sql/aggregates/revenue.sql"), sql);
  writeFileSync(join(root, "apps/analytics/sql/deduped_events.sql"), "SELECT 2;\n");
  writeFileSync(join(root, "packages/events/generated/shop-event.avsc"), "{}\n");
  return root;
}

const parts = (root: string, over: Partial<Parameters<typeof buildRelease>[0]> = {}) => ({
  templateVersion: "2026-08-18-00_RC00",
  udfs: {
    ingestion: { sha256: "a".repeat(64), function_name: "transform" },
    analytics: { sha256: "b".repeat(64), function_name: "transform" },
  },
  root,
  jobsImage: IMAGE,
  provenance: { commit: "1".repeat(40), repository: "o/r", run_id: "7", built_at: "2026-11-30T05:00:00Z" },
  ...over,
});

it("the ID is the hash of the content only: same bytes, same ID, whoever built them and when", () => {
  const root = tree();
  const a = buildRelease(parts(root));
  const b = buildRelease(
    parts(root, {
      provenance: {
        commit: "2".repeat(40),
        repository: "o/r",
        run_id: "8",
        built_at: "2026-12-01T00:00:00Z",
      },
    }),
  );
  expect(a.id).toMatch(/^[0-9a-f]{64}$/);
  expect(b.id).toBe(a.id);
  expect(a.content.sql.files).toEqual({
    "apps/analytics/sql/aggregates/revenue.sql": expect.stringMatching(/^[0-9a-f]{64}$/),
    "apps/analytics/sql/deduped_events.sql": expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  expect(a.content.google_templates.templates).toEqual({
    ingestion: "Cloud_PubSub_to_MongoDB",
    analytics: "PubSub_to_BigQuery_Flex",
  });
});

it.each([
  ["an aggregate SQL byte", { root: tree("SELECT 3;\n") }],
  [
    "a UDF bundle",
    {
      udfs: {
        ingestion: { sha256: "c".repeat(64), function_name: "transform" },
        analytics: { sha256: "b".repeat(64), function_name: "transform" },
      },
    },
  ],
  ["the jobs image", { jobsImage: IMAGE.replace(/e{64}$/, "f".repeat(64)) }],
  ["the Google template folder", { templateVersion: "2026-08-11-00_RC00" }],
])("changing %s changes the ID", (_what, over) => {
  const base = buildRelease(parts(tree()));
  expect(buildRelease(parts(tree(), over)).id).not.toBe(base.id);
});

it("canonical JSON does not depend on key order", () => {
  expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: "x" } })).toBe(
    '{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}',
  );
});

it.each([
  ["latest", /google_templates\.version: "latest" is not a dated release folder/],
  ["2026-08-18", /is not a dated release folder like 2026-08-18-00_RC00/],
])("a moving or malformed template version (%s) is refused", (version, message) => {
  expect(() => buildRelease(parts(tree(), { templateVersion: version }))).toThrow(message);
});

it("an image pinned by tag, not digest, is refused with the expected shape", () => {
  expect(() =>
    buildRelease(
      parts(tree(), { jobsImage: "europe-west1-docker.pkg.dev/shop-tools-1/jobs/reconciler:main" }),
    ),
  ).toThrow(/jobs_image: .* must be REGION-docker\.pkg\.dev\/PROJECT\/REPOSITORY\/IMAGE@sha256/);
});

it("a manifest edited after it was built is refused: its ID no longer matches its content", () => {
  const release = buildRelease(parts(tree()));
  const edited = JSON.parse(JSON.stringify(release)) as ReleaseManifest;
  edited.content.udfs.ingestion!.sha256 = "d".repeat(64);
  expect(() => validateRelease(edited, "gs://rel/releases/x/release.json")).toThrow(
    /gs:\/\/rel\/releases\/x\/release\.json: release ID [0-9a-f]{64} is not the hash of its content .*rebuild the release/,
  );
  const badFiles = JSON.parse(JSON.stringify(release)) as ReleaseManifest;
  badFiles.content.sql.files["apps/analytics/sql/deduped_events.sql"] = "0".repeat(64);
  expect(() => validateRelease(badFiles, "m")).toThrow(
    /content\.sql\.sha256: .* is not the hash of its files/,
  );
  expect(() => validateRelease({ id: "x" }, "m")).toThrow(/m: not a release manifest/);
});

it("a checkout whose SQL differs from the release is refused, naming the file", () => {
  const release = buildRelease(parts(tree()));
  expect(() => checkTreeMatches(release, tree())).not.toThrow();
  expect(() => checkTreeMatches(release, tree("SELECT 4;\n"))).toThrow(
    /apps\/analytics\/sql differs from release [0-9a-f]{12}: apps\/analytics\/sql\/aggregates\/revenue\.sql[\s\S]*Check out the release's commit/,
  );
});

it("the var-file entries pin the template folder, the jobs image and the release ID", () => {
  const release = buildRelease(parts(tree()));
  expect(releaseTfvars(release)).toEqual({
    dataflow_template_version: "2026-08-18-00_RC00",
    reconciler_image: IMAGE,
    release_id: release.id,
  });
});
