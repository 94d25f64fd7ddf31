/**
 * A contract fake of the GitHub REST API: a node:http server on 127.0.0.1 (random port) implementing the
 * routes the Terraform actions use, with response shapes copied from GitHub's documented API
 * (github/rest-api-description): issue comments (list with `Link` pagination, create, update), labels (list,
 * add, remove, create), pulls get, repos compare, environments get (with branch policy and admin bypass) and
 * list deployment branch policies, workflow-run approvals (review history), deployments (list with sha/ref/task/environment filters, create) and deployment
 * statuses (list, create, with `auto_inactive`). State lives in memory; every request is
 * recorded for assertions. It is not GitHub: it checks what the documented contract promises (status codes,
 * shapes, the 65,536-character comment limit, pagination), not GitHub's undocumented behaviour.
 *
 * Use it through the real client: `getOctokit(token, { baseUrl: fake.url })` from `@actions/github`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

/** A user as GitHub embeds it in comments and pull requests (simple-user). */
export interface FakeUser {
  login: string;
  id: number;
  type: "User" | "Bot";
}

/** An issue comment as the API returns it (issue-comment). */
export interface FakeComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  author_association: string;
  performed_via_github_app: null;
}

/** A label (label). */
export interface FakeLabel {
  id: number;
  node_id: string;
  url: string;
  name: string;
  description: string | null;
  color: string;
  default: boolean;
}

/** A protection rule of an environment. */
export type FakeProtectionRule =
  | {
      type: "required_reviewers";
      reviewers: { type: "User" | "Team"; reviewer: { login?: string; id: number } }[];
      prevent_self_review?: boolean;
    }
  | { type: "wait_timer"; wait_timer: number }
  | { type: "branch_policy" };

/**
 * Environment settings besides the rules, in the shape of "Get an environment" (GitHub's OpenAPI description
 * `components.schemas.environment`, as shipped in @octokit/openapi-types 29.0.1, and `can_admins_bypass`,
 * which real responses carry although the description omits it: google/go-github#2722) and of
 * "List deployment branch policies" (`{ total_count, branch_policies: [{ id, node_id, name, type }] }`).
 */
export interface FakeEnvironmentSettings {
  can_admins_bypass?: boolean;
  deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  /** Custom branch or tag name patterns (used when custom_branch_policies is true). */
  branch_policies?: { name: string; type: "branch" | "tag" }[];
}

/**
 * A deployment (`components.schemas.deployment` of @octokit/openapi-types 28.0.0 / GitHub's OpenAPI
 * description): what "Create a deployment" returns (201) and "List deployments" lists, newest first.
 */
export interface FakeDeployment {
  url: string;
  id: number;
  node_id: string;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  original_environment: string;
  environment: string;
  description: string | null;
  creator: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  statuses_url: string;
  repository_url: string;
  transient_environment: boolean;
  production_environment: boolean;
}

/** A deployment status (`components.schemas.deployment-status`), listed newest first. */
export interface FakeDeploymentStatus {
  url: string;
  id: number;
  node_id: string;
  state: "error" | "failure" | "inactive" | "pending" | "success" | "queued" | "in_progress";
  creator: Record<string, unknown>;
  description: string;
  environment: string;
  target_url: string;
  created_at: string;
  updated_at: string;
  deployment_url: string;
  repository_url: string;
  environment_url: string;
  log_url: string;
}

/** Options of {@link FakeGitHub}. */
export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  /** The identity of the token (comments are written as this user). */
  tokenUser?: FakeUser;
}

/** GitHub's limit on an issue comment body. */
export const COMMENT_MAX_CHARS = 65_536;

const DOCS = "https://docs.github.com/rest";

function userObject(base: string, u: FakeUser): Record<string, unknown> {
  return {
    login: u.login,
    id: u.id,
    node_id: `U_${u.id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: "",
    url: `${base}/users/${encodeURIComponent(u.login)}`,
    html_url: `https://github.com/${u.login}`,
    type: u.type,
    site_admin: false,
  };
}

/** The fake server. Start it with {@link FakeGitHub.start}, stop it with {@link FakeGitHub.stop}. */
export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly tokenUser: FakeUser;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Comments per issue / pull-request number. */
  readonly comments = new Map<number, FakeComment[]>();
  /** Repository labels by name. */
  readonly labels = new Map<string, FakeLabel>();
  /** Label names per issue. */
  readonly issueLabels = new Map<number, string[]>();
  /** Pull requests by number: head/base refs and SHAs. */
  readonly pulls = new Map<
    number,
    { headRef: string; headSha: string; baseRef: string; baseSha: string; state?: string }
  >();
  /** Linear history of each branch, oldest first (used by compare). */
  readonly branches = new Map<string, string[]>();
  /** Environments by name. */
  readonly environments = new Map<string, FakeProtectionRule[]>();
  /** Branch policy and admin bypass of environments (default: protected branches only, no admin bypass). */
  readonly environmentSettings = new Map<string, FakeEnvironmentSettings>();
  /** Deployments, oldest first (the API lists them newest first). */
  readonly deployments: FakeDeployment[] = [];
  /** Statuses per deployment ID, oldest first. */
  readonly deploymentStatuses = new Map<number, FakeDeploymentStatus[]>();
  /**
   * Reviews of each workflow run's environment deployments, oldest first ("Get the review history for a
   * workflow run": GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals, schema
   * `environment-approvals` of @octokit/openapi-types: environments[], state, user, comment).
   */
  readonly runApprovals = new Map<
    number,
    { environments: string[]; state: "approved" | "rejected" | "pending"; user: FakeUser; comment: string }[]
  >();
  /** Make the next N requests to a path fail with this status (retry tests). */
  readonly failures: { method: string; pathPrefix: string; status: number; remaining: number }[] = [];

  private server: Server | undefined;
  private nextId = 1000;
  private base = "";

  constructor(options: FakeGitHubOptions = {}) {
    this.owner = options.owner ?? "octo-org";
    this.repo = options.repo ?? "shopstream";
    this.tokenUser = options.tokenUser ?? { login: "github-actions[bot]", id: 41898282, type: "Bot" };
  }

  /** Base URL to give `getOctokit(token, { baseUrl })`. */
  get url(): string {
    return this.base;
  }

  /** Starts listening on 127.0.0.1 and a free port. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => this.send(res, 500, { message: error.message }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
    return this.base;
  }

  /** Stops the server. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Creates a deployment as "Create a deployment" does (the fields a workflow sets: ref, sha (here: the ref
   * when it is a 40-hex SHA), task, payload, environment, description, transient/production flags).
   */
  addDeployment(body: Record<string, unknown>, createdAt = new Date().toISOString()): FakeDeployment {
    const id = this.nextId++;
    const ref = String(body.ref);
    const environment = typeof body.environment === "string" ? body.environment : "production";
    const repoUrl = `${this.base}/repos/${this.owner}/${this.repo}`;
    const deployment: FakeDeployment = {
      url: `${repoUrl}/deployments/${id}`,
      id,
      node_id: `DE_${id}`,
      sha: /^[0-9a-f]{40}$/.test(ref) ? ref : "0".repeat(40),
      ref,
      task: typeof body.task === "string" ? body.task : "deploy",
      payload: (body.payload as Record<string, unknown> | string | undefined) ?? {},
      original_environment: environment,
      environment,
      description: typeof body.description === "string" ? body.description : null,
      creator: userObject(this.base, this.tokenUser),
      created_at: createdAt,
      updated_at: createdAt,
      statuses_url: `${repoUrl}/deployments/${id}/statuses`,
      repository_url: repoUrl,
      transient_environment: body.transient_environment === true,
      production_environment: body.production_environment === true || environment === "production",
    };
    this.deployments.push(deployment);
    return deployment;
  }

  /**
   * Adds a status as "Create a deployment status" does, including `auto_inactive` (default true): a new
   * status marks the earlier successful deployments of the same environment inactive.
   */
  addDeploymentStatus(
    deployment: FakeDeployment,
    body: Record<string, unknown>,
    createdAt = new Date().toISOString(),
  ): FakeDeploymentStatus {
    const make = (state: FakeDeploymentStatus["state"], d: FakeDeployment): FakeDeploymentStatus => {
      const id = this.nextId++;
      const status: FakeDeploymentStatus = {
        url: `${d.url}/statuses/${id}`,
        id,
        node_id: `DES_${id}`,
        state,
        creator: userObject(this.base, this.tokenUser),
        description: typeof body.description === "string" ? body.description : "",
        environment: d.environment,
        target_url: typeof body.log_url === "string" ? body.log_url : "",
        created_at: createdAt,
        updated_at: createdAt,
        deployment_url: d.url,
        repository_url: d.repository_url,
        environment_url: typeof body.environment_url === "string" ? body.environment_url : "",
        log_url: typeof body.log_url === "string" ? body.log_url : "",
      };
      this.deploymentStatuses.set(d.id, [...(this.deploymentStatuses.get(d.id) ?? []), status]);
      return status;
    };
    const created = make(body.state as FakeDeploymentStatus["state"], deployment);
    if (body.auto_inactive !== false && created.state === "success") {
      for (const other of this.deployments) {
        if (other.id === deployment.id || other.environment !== deployment.environment) continue;
        if (other.transient_environment || other.production_environment) continue;
        const last = this.deploymentStatuses.get(other.id)?.at(-1);
        if (last?.state === "success") make("inactive", other);
      }
    }
    return created;
  }

  /** Adds a comment as if someone wrote it. */
  addComment(issue: number, body: string, user: FakeUser = this.tokenUser): FakeComment {
    const id = this.nextId++;
    const now = new Date().toISOString();
    const comment: FakeComment = {
      id,
      node_id: `IC_${id}`,
      url: `${this.base}/repos/${this.owner}/${this.repo}/issues/comments/${id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${this.base}/repos/${this.owner}/${this.repo}/issues/${issue}`,
      body,
      user: userObject(this.base, user),
      created_at: now,
      updated_at: now,
      author_association: user.type === "Bot" ? "NONE" : "MEMBER",
      performed_via_github_app: null,
    };
    const list = this.comments.get(issue) ?? [];
    list.push(comment);
    this.comments.set(issue, list);
    return comment;
  }

  /** Adds a pull request; its base branch history is extended with baseSha if needed. */
  addPull(
    number: number,
    pull: { headRef?: string; headSha: string; baseRef?: string; baseSha: string; labels?: string[] },
  ): void {
    const baseRef = pull.baseRef ?? "main";
    this.pulls.set(number, {
      headRef: pull.headRef ?? `feature-${number}`,
      headSha: pull.headSha,
      baseRef,
      baseSha: pull.baseSha,
    });
    const history = this.branches.get(baseRef) ?? [];
    if (!history.includes(pull.baseSha)) history.push(pull.baseSha);
    this.branches.set(baseRef, history);
    for (const name of pull.labels ?? []) this.ensureLabel(name);
    this.issueLabels.set(number, [...(pull.labels ?? [])]);
  }

  /** Appends commits to a branch (moves its head). */
  pushCommits(branch: string, ...shas: string[]): void {
    this.branches.set(branch, [...(this.branches.get(branch) ?? []), ...shas]);
  }

  /** The label names currently on an issue. */
  labelsOn(issue: number): string[] {
    return [...(this.issueLabels.get(issue) ?? [])];
  }

  private ensureLabel(name: string, color = "ededed", description: string | null = null): FakeLabel {
    let label = this.labels.get(name);
    if (!label) {
      const id = this.nextId++;
      label = {
        id,
        node_id: `LA_${id}`,
        url: `${this.base}/repos/${this.owner}/${this.repo}/labels/${encodeURIComponent(name)}`,
        name,
        description,
        color,
        default: false,
      };
      this.labels.set(name, label);
    }
    return label;
  }

  private send(
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-api-version-selected": "2022-11-28",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      ...headers,
    });
    res.end(text);
  }

  private notFound(res: ServerResponse, message = "Not Found"): void {
    this.send(res, 404, { message, documentation_url: DOCS, status: "404" });
  }

  private paginate<T>(res: ServerResponse, url: URL, items: T[]): void {
    const perPage = Math.min(Math.max(Number(url.searchParams.get("per_page") ?? 30) || 30, 1), 100);
    const page = Math.max(Number(url.searchParams.get("page") ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (p: number, rel: string) => {
      const u = new URL(url.toString());
      u.searchParams.set("per_page", String(perPage));
      u.searchParams.set("page", String(p));
      return `<${this.base}${u.pathname}${u.search}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, "prev"), link(1, "first"));
    if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
    this.send(
      res,
      200,
      items.slice((page - 1) * perPage, page * perPage),
      links.length ? { link: links.join(", ") } : {},
    );
  }

  private async readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    return text ? JSON.parse(text) : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const body = await this.readBody(req);
    const authorization = req.headers.authorization;
    this.requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization,
    });
    const failure = this.failures.find(
      (f) => f.method === method && url.pathname.startsWith(f.pathPrefix) && f.remaining > 0,
    );
    if (failure) {
      failure.remaining -= 1;
      this.send(res, failure.status, { message: "Server Error", documentation_url: DOCS });
      return;
    }
    if (!authorization) {
      this.send(res, 401, { message: "Requires authentication", documentation_url: DOCS, status: "401" });
      return;
    }
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (!url.pathname.startsWith(`${prefix}/`)) return this.notFound(res);
    const path = url.pathname.slice(prefix.length);
    const b = (body ?? {}) as Record<string, unknown>;
    let m: RegExpMatchArray | null;

    m = path.match(/^\/issues\/(\d+)\/comments$/);
    if (m) {
      const issue = Number(m[1]);
      if (method === "GET") return this.paginate(res, url, this.comments.get(issue) ?? []);
      if (method === "POST") {
        if (typeof b.body !== "string") return this.invalid(res, "IssueComment", "body", "missing_field");
        if (b.body.length > COMMENT_MAX_CHARS) return this.tooLong(res);
        return this.send(res, 201, this.addComment(issue, b.body));
      }
    }
    m = path.match(/^\/issues\/comments\/(\d+)$/);
    if (m) {
      const id = Number(m[1]);
      const comment = [...this.comments.values()].flat().find((c) => c.id === id);
      if (!comment) return this.notFound(res);
      if (method === "GET") return this.send(res, 200, comment);
      if (method === "PATCH") {
        if (typeof b.body !== "string") return this.invalid(res, "IssueComment", "body", "missing_field");
        if (b.body.length > COMMENT_MAX_CHARS) return this.tooLong(res);
        if ((comment.user.login as string) !== this.tokenUser.login) {
          return this.send(res, 403, {
            message: "Resource not accessible by integration",
            documentation_url: DOCS,
            status: "403",
          });
        }
        comment.body = b.body;
        comment.updated_at = new Date(Date.now() + 1).toISOString();
        return this.send(res, 200, comment);
      }
    }
    m = path.match(/^\/issues\/(\d+)\/labels$/);
    if (m) {
      const issue = Number(m[1]);
      const current = this.issueLabels.get(issue) ?? [];
      if (method === "GET")
        return this.paginate(
          res,
          url,
          current.map((n) => this.ensureLabel(n)),
        );
      if (method === "POST") {
        const names = Array.isArray(b.labels) ? (b.labels as string[]) : [];
        for (const name of names) {
          this.ensureLabel(name);
          if (!current.includes(name)) current.push(name);
        }
        this.issueLabels.set(issue, current);
        return this.send(
          res,
          200,
          current.map((n) => this.ensureLabel(n)),
        );
      }
    }
    m = path.match(/^\/issues\/(\d+)\/labels\/(.+)$/);
    if (m && method === "DELETE") {
      const issue = Number(m[1]);
      const name = decodeURIComponent(m[2]!);
      const current = this.issueLabels.get(issue) ?? [];
      if (!current.includes(name)) return this.notFound(res, "Label does not exist");
      const remaining = current.filter((n) => n !== name);
      this.issueLabels.set(issue, remaining);
      return this.send(
        res,
        200,
        remaining.map((n) => this.ensureLabel(n)),
      );
    }
    if (path === "/labels" && method === "POST") {
      if (typeof b.name !== "string") return this.invalid(res, "Label", "name", "missing_field");
      if (this.labels.has(b.name)) return this.invalid(res, "Label", "name", "already_exists");
      const label = this.ensureLabel(b.name, String(b.color ?? "ededed"), (b.description as string) ?? null);
      return this.send(res, 201, label);
    }
    m = path.match(/^\/pulls\/(\d+)$/);
    if (m && method === "GET") {
      const number = Number(m[1]);
      const pull = this.pulls.get(number);
      if (!pull) return this.notFound(res);
      return this.send(res, 200, this.pullObject(number, pull));
    }
    m = path.match(/^\/compare\/(.+)\.\.\.(.+)$/);
    if (m && method === "GET") {
      return this.compare(res, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    }
    if (path === "/deployments" && method === "GET") {
      const filters = ["sha", "ref", "task", "environment"] as const;
      const listed = [...this.deployments]
        .reverse()
        .filter((d) => filters.every((f) => !url.searchParams.has(f) || d[f] === url.searchParams.get(f)));
      return this.paginate(res, url, listed);
    }
    if (path === "/deployments" && method === "POST") {
      if (typeof b.ref !== "string" || !b.ref) return this.invalid(res, "Deployment", "ref", "missing_field");
      return this.send(res, 201, this.addDeployment(b));
    }
    m = path.match(/^\/deployments\/(\d+)\/statuses$/);
    if (m) {
      const id = Number(m[1]);
      const deployment = this.deployments.find((d) => d.id === id);
      if (!deployment) return this.notFound(res);
      if (method === "GET")
        return this.paginate(res, url, [...(this.deploymentStatuses.get(id) ?? [])].reverse());
      if (method === "POST") {
        const states = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];
        if (typeof b.state !== "string" || !states.includes(b.state))
          return this.invalid(res, "DeploymentStatus", "state", "invalid");
        return this.send(res, 201, this.addDeploymentStatus(deployment, b));
      }
    }
    m = path.match(/^\/environments\/([^/]+)$/);
    if (m && method === "GET") {
      const name = decodeURIComponent(m[1]!);
      const rules = this.environments.get(name);
      if (!rules) return this.notFound(res);
      return this.send(res, 200, this.environmentObject(name, rules));
    }
    m = path.match(/^\/actions\/runs\/(\d+)\/approvals$/);
    if (m && method === "GET") {
      const reviews = this.runApprovals.get(Number(m[1])) ?? [];
      return this.send(
        res,
        200,
        reviews.map((r) => ({
          environments: r.environments.map((name) => {
            const { id, node_id, url, html_url, created_at, updated_at } = this.environmentObject(name, []);
            return { id, node_id, name, url, html_url, created_at, updated_at };
          }),
          state: r.state,
          user: userObject(this.base, r.user),
          comment: r.comment,
        })),
      );
    }
    m = path.match(/^\/environments\/([^/]+)\/deployment-branch-policies$/);
    if (m && method === "GET") {
      const name = decodeURIComponent(m[1]!);
      if (!this.environments.has(name)) return this.notFound(res);
      const policies = this.environmentSettings.get(name)?.branch_policies ?? [];
      return this.send(res, 200, {
        total_count: policies.length,
        branch_policies: policies.map((p, i) => ({ id: 361471 + i, node_id: `GBP_${361471 + i}`, ...p })),
      });
    }
    return this.notFound(res);
  }

  private invalid(res: ServerResponse, resource: string, field: string, code: string): void {
    this.send(res, 422, {
      message: "Validation Failed",
      errors: [{ resource, code, field }],
      documentation_url: DOCS,
      status: "422",
    });
  }

  private tooLong(res: ServerResponse): void {
    this.send(res, 422, {
      message: "Validation Failed",
      errors: [
        {
          resource: "IssueComment",
          code: "custom",
          field: "body",
          message: "body is too long (maximum is 65536 characters)",
        },
      ],
      documentation_url: DOCS,
      status: "422",
    });
  }

  private resolveSha(refOrSha: string): { branch?: string; sha: string } {
    const history = this.branches.get(refOrSha);
    if (history?.length) return { branch: refOrSha, sha: history.at(-1)! };
    return { sha: refOrSha };
  }

  private compare(res: ServerResponse, baseRef: string, headRef: string): void {
    const base = this.resolveSha(baseRef);
    const head = this.resolveSha(headRef);
    const history = [...this.branches.values()].find((h) => h.includes(base.sha) && h.includes(head.sha));
    if (!history) {
      this.notFound(res, `No common ancestor between ${baseRef} and ${headRef}.`);
      return;
    }
    const bi = history.indexOf(base.sha);
    const hi = history.indexOf(head.sha);
    const ahead = Math.max(hi - bi, 0);
    const behind = Math.max(bi - hi, 0);
    const commit = (sha: string) => ({
      sha,
      node_id: `C_${sha}`,
      url: `${this.base}/repos/${this.owner}/${this.repo}/commits/${sha}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/commit/${sha}`,
      commit: {
        message: `commit ${sha}`,
        author: { name: "dev", email: "dev@example.com", date: "2025-01-01T00:00:00Z" },
      },
      parents: [],
    });
    this.send(res, 200, {
      url: `${this.base}/repos/${this.owner}/${this.repo}/compare/${baseRef}...${headRef}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/compare/${baseRef}...${headRef}`,
      status: ahead && behind ? "diverged" : ahead ? "ahead" : behind ? "behind" : "identical",
      ahead_by: ahead,
      behind_by: behind,
      total_commits: ahead,
      base_commit: commit(base.sha),
      merge_base_commit: commit(history[Math.min(bi, hi)]!),
      commits: history.slice(bi + 1, hi + 1).map(commit),
      files: [],
    });
  }

  private pullObject(
    number: number,
    pull: { headRef: string; headSha: string; baseRef: string; baseSha: string; state?: string },
  ) {
    const repoObj = { id: 1, name: this.repo, full_name: `${this.owner}/${this.repo}`, private: false };
    return {
      url: `${this.base}/repos/${this.owner}/${this.repo}/pulls/${number}`,
      id: number * 10,
      node_id: `PR_${number}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${number}`,
      number,
      state: pull.state ?? "open",
      locked: false,
      title: `Pull request ${number}`,
      user: userObject(this.base, { login: "developer", id: 1, type: "User" }),
      body: null,
      labels: (this.issueLabels.get(number) ?? []).map((n) => this.ensureLabel(n)),
      draft: false,
      merged: false,
      head: { label: `${this.owner}:${pull.headRef}`, ref: pull.headRef, sha: pull.headSha, repo: repoObj },
      base: { label: `${this.owner}:${pull.baseRef}`, ref: pull.baseRef, sha: pull.baseSha, repo: repoObj },
    };
  }

  private environmentObject(name: string, rules: FakeProtectionRule[]) {
    const settings = this.environmentSettings.get(name) ?? {};
    return {
      id: 161088068,
      node_id: "EN_kwDOxxxx",
      name,
      url: `${this.base}/repos/${this.owner}/${this.repo}/environments/${name}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/deployments/activity_log?environments_filter=${name}`,
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2025-01-01T00:00:00Z",
      can_admins_bypass: settings.can_admins_bypass ?? false,
      protection_rules: rules.map((r, i) => ({ id: 3515 + i, node_id: `GA_${3515 + i}`, ...r })),
      deployment_branch_policy:
        settings.deployment_branch_policy === undefined
          ? { protected_branches: true, custom_branch_policies: false }
          : settings.deployment_branch_policy,
    };
  }
}
