/**
 * The terraform-plan action's own limits, in one commented place. What the apply action shares with it (the
 * stateful resource types, what is always masked) is in @shopstream/action-kit's terraform/defaults.ts.
 */

/** GitHub rejects an issue comment body longer than 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * Size budget of a rendered comment, in UTF-8 bytes (stricter than GitHub's character count, so a plan full
 * of non-ASCII text still fits), leaving room for the marker and a safety margin.
 */
export const COMMENT_BUDGET = 65_000;

/** A job summary may hold 1 MiB per step; keep a margin. */
export const SUMMARY_BUDGET = 1_000_000;

/** Longest string value printed in the diff before it is shortened. */
export const MAX_VALUE_CHARS = 240;

/** Rows of policy verdicts listed in the comment before "and N more". */
export const MAX_POLICY_ROWS = 50;

/** Prefix of the pull-request label that allows destroying data stores in one environment. */
export const ALLOW_DESTROY_LABEL_PREFIX = "allow-destroy:";
