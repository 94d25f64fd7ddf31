#!/usr/bin/env bash
# The image the scheduled Cloud Run jobs of an environment run now, for plans that build no image (pull
# requests, drift): without it such a plan would see reconciler_image = null and plan to destroy the jobs
# that the last promotion deployed. Prints `image=<ref>` for $GITHUB_OUTPUT; `image=` when the job does not
# exist yet (the root then plans no jobs, as on a fresh fork). Any other answer fails, so a permission or
# network problem never turns into a plan that deletes the jobs.
#
# Usage: deployed-jobs-image.sh ENVIRONMENT PROJECT_ID   (needs gcloud credentials: google-github-actions/auth)
# Cloud Run Admin API v2 jobs.get: GET /v2/projects/P/locations/L/jobs/J -> Job.template.template.containers[].image
set -euo pipefail

environment="${1:?environment (dev, staging, prod)}"
project="${2:?project ID}"
platform="$(dirname "$0")/../../packages/platform/generated/terraform-platform.json"

job="$(jq -er --arg e "${environment}" '.environments[$e].scheduled_jobs.jobs.reconciler' "${platform}")" || {
  echo "::error::environment '${environment}' has no scheduled jobs in ${platform}" >&2
  exit 1
}
region="$(jq -er --arg e "${environment}" '.environments[$e].locations.region' "${platform}")"
url="${CLOUD_RUN_API:-https://run.googleapis.com}/v2/projects/${project}/locations/${region}/jobs/${job}"

token="$(gcloud auth print-access-token)"
body="$(mktemp)"
trap 'rm -f "${body}"' EXIT
status="$(curl -sS -o "${body}" -w '%{http_code}' -H "Authorization: Bearer ${token}" "${url}")"

case "${status}" in
  200)
    image="$(jq -er '.template.template.containers[0].image' "${body}")" || {
      echo "::error::${job} has no container image in its Cloud Run job template" >&2
      exit 1
    }
    echo "image=${image}"
    ;;
  404) echo "image=" ;;
  *)
    echo "::error::reading Cloud Run job ${job} in ${project}/${region} returned HTTP ${status}: $(head -c 500 "${body}")" >&2
    exit 1
    ;;
esac
