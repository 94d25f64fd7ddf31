/**
 * Upload of the plan artifact (binary plan, masked diff, metadata) behind an interface, so the action can be
 * tested without the Actions results service.
 */

/** Uploads files as one artifact of the current run. */
export interface ArtifactUploader {
  upload(
    name: string,
    files: string[],
    rootDirectory: string,
    retentionDays: number,
  ): Promise<{ id?: number }>;
}

/** The uploader backed by `@actions/artifact` (needs ACTIONS_RUNTIME_TOKEN, present in a real run). */
export async function defaultUploader(): Promise<ArtifactUploader> {
  const { DefaultArtifactClient } = await import("@actions/artifact");
  const client = new DefaultArtifactClient();
  return {
    async upload(name, files, rootDirectory, retentionDays) {
      const result = await client.uploadArtifact(name, files, rootDirectory, { retentionDays });
      return result.id === undefined ? {} : { id: result.id };
    },
  };
}

/** Web link of an artifact of a run. */
export function artifactUrl(
  serverUrl: string,
  owner: string,
  repo: string,
  runId: number,
  artifactId: number,
): string {
  return `${serverUrl}/${owner}/${repo}/actions/runs/${runId}/artifacts/${artifactId}`;
}
