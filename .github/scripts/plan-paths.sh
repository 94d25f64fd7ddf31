#!/usr/bin/env bash
# Writes terraform=true|false to GITHUB_OUTPUT: does BASE...HEAD touch anything the plan reads?
# Kept in one place so that the list and the workflow cannot drift apart (a test reads it).
set -euo pipefail
base="$1" head="$2"
PLAN_INPUTS='^(terraform/|policies/terraform/|apps/analytics/sql/|packages/events/generated/|actions/terraform-plan/|actions/dataflow-template/|tools/terraform/|tools/udf/|tools/opa/|\.github/workflows/terraform-plan\.yml|\.github/actions/terraform-tools/|\.github/scripts/plan-)'
if [[ -z "${base}" || -z "${head}" ]]; then
  echo "::error::no base/head commit in the event; cannot tell what changed"
  exit 1
fi
changed="$(git diff --name-only "${base}...${head}")"
if grep -Eq "${PLAN_INPUTS}" <<<"${changed}"; then
  echo "terraform=true" >> "${GITHUB_OUTPUT}"
  echo "Terraform inputs changed:"; grep -E "${PLAN_INPUTS}" <<<"${changed}" | sed 's/^/  /'
else
  echo "terraform=false" >> "${GITHUB_OUTPUT}"
  echo "No Terraform input changed: nothing to plan."
fi
