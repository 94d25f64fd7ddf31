#!/usr/bin/env bash
# The always-running required check of terraform-plan: writes the job summary, keeps one pull-request
# comment saying which environments the pull request changes, and fails when a plan failed.
set -euo pipefail

status() { # environment -> text
  local value="$1"
  case "${value}" in
    true) echo "changes" ;;
    false) echo "no changes" ;;
    *) echo "not planned" ;;
  esac
}

changed=()
[[ "${CHANGES_DEV:-}" == "true" ]] && changed+=(dev)
[[ "${CHANGES_STAGING:-}" == "true" ]] && changed+=(staging)
[[ "${CHANGES_PROD:-}" == "true" ]] && changed+=(prod)

if [[ "${CHANGES_RESULT}" != "success" ]]; then
  verdict="failure"; headline="Could not tell which files changed (job changes: ${CHANGES_RESULT})."
elif [[ "${TERRAFORM_CHANGED}" != "true" ]]; then
  verdict="success"; headline="This change touches no Terraform input: nothing to plan."
elif [[ "${PLAN_RESULT}" == "skipped" && "${EVENT:-}" == "workflow_dispatch" ]]; then
  # dependabot-dist.yml dispatches this run on the rebuilt head; a dispatched run never plans, so it must not
  # turn a Terraform change green.
  verdict="failure"; headline="Terraform inputs changed, and a dispatched run does not plan: plans run on the pull request (push to it or re-run its checks)."
elif [[ "${PLAN_RESULT}" == "skipped" ]]; then
  verdict="success"; headline="Not planned here (merge queue or a fork's pull request: plans run on same-repository pull requests)."
elif [[ "${PLAN_RESULT}" != "success" ]]; then
  verdict="failure"; headline="A plan failed or was cancelled (${PLAN_RESULT}); see the plan (<env>) jobs and their comments."
elif (( ${#changed[@]} == 0 )); then
  verdict="success"; headline="This pull request changes no environment."
else
  verdict="success"; headline="This pull request changes: **${changed[*]}**."
fi

body="$(cat <<MD
<!-- shopstream:terraform-plan-summary -->
### Terraform plan summary

${headline}

| environment | plan | planned against (the release running there) |
|---|---|---|
| dev | $(status "${CHANGES_DEV:-}") | ${RELEASE_DEV:-not planned} |
| staging | $(status "${CHANGES_STAGING:-}") | ${RELEASE_STAGING:-not planned} |
| prod | $(status "${CHANGES_PROD:-}") | ${RELEASE_PROD:-not planned} |
MD
)"
echo "${body}" >> "${GITHUB_STEP_SUMMARY}"

if [[ -n "${PULL_REQUEST:-}" && "${SAME_REPOSITORY:-}" == "true" && "${PLAN_RESULT}" != "skipped" ]]; then
  # One comment, updated in place; only this workflow's own comment (marker + author) is edited.
  existing="$(gh api --paginate "repos/${REPOSITORY}/issues/${PULL_REQUEST}/comments" \
    --jq '.[] | select(.user.login == "github-actions[bot]" and (.body | startswith("<!-- shopstream:terraform-plan-summary -->"))) | .id' | head -1)"
  if [[ -n "${existing}" ]]; then
    gh api --method PATCH "repos/${REPOSITORY}/issues/comments/${existing}" -f body="${body}" > /dev/null
  else
    gh api --method POST "repos/${REPOSITORY}/issues/${PULL_REQUEST}/comments" -f body="${body}" > /dev/null
  fi
fi

if [[ "${verdict}" != "success" ]]; then
  echo "::error::${headline}"
  exit 1
fi
echo "${headline}"
