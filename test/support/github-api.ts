/**
 * A loopback stand-in for the parts of GitHub's REST API the action uses: a pull request's issue
 * comments (list with real pagination, create, update), a repository's files at a commit (the
 * contents API and the git trees API), deployments and their statuses, and the pull requests of a
 * commit, as the facts doc describes them. Point octokit at it with GITHUB_API_URL. @actions/github
 * reads that variable once, when first imported, so a test file starts one stand-in and calls
 * `reset()` between tests.
 */
import { createHash } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * `write`: may comment. `read-only`: lists work, creating and updating answer 403, as to a fork's
 * pull-request token or a job without `permissions: pull-requests: write`. `no-access`: the repository answers 404, as to a
 * token that cannot see it.
 */
export type TokenAccess = 'write' | 'read-only' | 'no-access' | Permissions;

/** A GITHUB_TOKEN's `permissions:`, per scope; a scope left out is `none`, as when a workflow names any. */
export interface Permissions {
  contents?: Permission;
  deployments?: Permission;
  pullRequests?: Permission;
}

export type Permission = 'write' | 'read' | 'none';

type Scope = keyof Permissions;

export interface GitHubApiOptions {
  /** The one repository served, owner/name; every other answers 404. Default acme/identity. */
  repository?: string;
  /** Accepted tokens (sent as `token X` or `Bearer X`); any other answers 401. */
  tokens: Record<string, TokenAccess>;
  /** Who the comments written with a token appear from. Default github-actions[bot]. */
  login?: string;
  /**
   * Files at each ref (commit SHA or branch name), path to text, for the contents and trees APIs. A
   * request without `ref` reads `main`, the default branch.
   */
  files?: Record<string, Record<string, string>>;
  /**
   * Contexts of commit statuses every commit has, as a repository's CI reports them: a deployment
   * created without `required_contexts: []` waits for them and answers 409. Default: one pending.
   */
  pendingChecks?: string[];
}

/** An HTTP status to answer with, no answer at all, or a dropped connection. */
export type Fault = number | 'stall' | 'disconnect';

export interface LoggedRequest {
  method: string;
  /** With the query string. */
  path: string;
  token: string | undefined;
  /** Parsed JSON; undefined when the request had no body. */
  body: unknown;
}

export interface StoredComment {
  id: number;
  issue: number;
  login: string;
  body: string;
}

export interface StoredStatus {
  id: number;
  state: string;
  description: string;
  log_url?: string;
  environment_url?: string;
  created_at: string;
}

export interface StoredDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  payload: unknown;
  description: string | null;
  production_environment: boolean;
  transient_environment: boolean;
  created_at: string;
  /** Oldest first. */
  statuses: StoredStatus[];
}

/** A pull request as GET /repos/{owner}/{repo}/commits/{sha}/pulls lists it. */
export interface StoredPull {
  number: number;
  state: 'open' | 'closed';
  merged_at: string | null;
  /** The merge commit, for a merged pull request. */
  merge_commit_sha?: string;
  head: string;
  base: string;
}

export interface GitHubApi {
  /** For GITHUB_API_URL. */
  url: string;
  /** Every request, in arrival order. */
  requests: LoggedRequest[];
  /** The comments on an issue or pull request, oldest first. */
  comments(issue: number): StoredComment[];
  /** Adds a comment as if `login` had written it. */
  seedComment(issue: number, login: string, body: string): StoredComment;
  /**
   * The next request (of `method`, if given) answers `status` with GitHub's error body (`message`, by
   * default the status's name), never answers (`stall`), or drops the connection (`disconnect`).
   */
  failNext(answer: Fault, options?: { method?: string; message?: string }): void;
  /** Every deployment, oldest first, with its statuses (oldest first). */
  deployments(): StoredDeployment[];
  /** A deployment as if an earlier run had made it, statuses in order; `created_at` is now. */
  seedDeployment(
    deployment: Pick<StoredDeployment, 'sha' | 'environment' | 'payload'> & { states: string[] },
  ): StoredDeployment;
  /** Makes `sha` a commit GitHub knows, brought in by these pull requests (none: a direct push). */
  seedCommit(sha: string, pulls?: StoredPull[]): void;
  /** Forgets comments, deployments, commits, requests and pending faults. */
  reset(): void;
  close(): Promise<void>;
}

/** GitHub's own page size when a request names none, and the most it allows. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
/** What GitHub validates a comment body against ("Body is too long (maximum is 65536 characters)"). */
const MAX_BODY_CHARACTERS = 65_536;

interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** What GitHub answers a write with a token that may only read. */
const READ_ONLY = error(
  403,
  'Resource not accessible by integration',
  'https://docs.github.com/rest/issues/comments',
);

const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

function validationFailed(resource: string, field: string, code: string): Reply {
  return {
    status: 422,
    json: { message: 'Validation Failed', errors: [{ resource, field, code }], status: '422' },
  };
}

function error(status: number, message: string, documentation = 'https://docs.github.com/rest'): Reply {
  return { status, json: { message, documentation_url: documentation, status: String(status) } };
}

export async function startGitHubApi(options: GitHubApiOptions): Promise<GitHubApi> {
  const repository = options.repository ?? 'acme/identity';
  const login = options.login ?? 'github-actions[bot]';
  const files = options.files ?? {};
  const requests: LoggedRequest[] = [];
  let comments: StoredComment[] = [];
  let faults: { answer: Fault; method?: string; message?: string }[] = [];
  let deployments: StoredDeployment[] = [];
  let commits = new Map<string, StoredPull[]>();
  let nextId = 1_000_001;
  let base = '';
  // Distinct, increasing times: ids and created_at agree on which deployment is newer.
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString();

  function store(issue: number, author: string, body: string): StoredComment {
    const comment = { id: nextId++, issue, login: author, body };
    comments.push(comment);
    return comment;
  }

  function present(comment: StoredComment): unknown {
    const now = new Date().toISOString();
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${base}/repos/${repository}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${repository}/pull/${comment.issue}#issuecomment-${comment.id}`,
      issue_url: `${base}/repos/${repository}/issues/${comment.issue}`,
      body: comment.body,
      user: { login: comment.login, type: comment.login.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: now,
      updated_at: now,
      author_association: 'NONE',
    };
  }

  /** One page of `items` as GitHub pages a list: per_page (30, at most 100), page, Link headers. */
  function paged(url: URL, items: readonly unknown[]): Reply {
    const perPage = Math.min(MAX_PER_PAGE, Number(url.searchParams.get('per_page')) || DEFAULT_PER_PAGE);
    const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const query = new URLSearchParams(url.searchParams);
    const link = (n: number) => {
      query.set('per_page', String(perPage));
      query.set('page', String(n));
      return `<${base}${url.pathname}?${query.toString()}>`;
    };
    const links = [
      ...(page > 1 ? [`${link(page - 1)}; rel="prev"`] : []),
      ...(page < last ? [`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`] : []),
      ...(page > 1 ? [`${link(1)}; rel="first"`] : []),
    ];
    return {
      status: 200,
      json: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  }

  function listComments(url: URL, issue: number): Reply {
    return paged(url, comments.filter((comment) => comment.issue === issue).map(present));
  }

  function presentDeployment(deployment: StoredDeployment): unknown {
    const url = `${base}/repos/${repository}/deployments/${deployment.id}`;
    return {
      url,
      id: deployment.id,
      node_id: `DE_${deployment.id}`,
      sha: deployment.sha,
      ref: deployment.ref,
      task: deployment.task,
      payload: deployment.payload,
      original_environment: deployment.environment,
      environment: deployment.environment,
      description: deployment.description,
      creator: { login, type: 'Bot' },
      created_at: deployment.created_at,
      updated_at: deployment.statuses.at(-1)?.created_at ?? deployment.created_at,
      statuses_url: `${url}/statuses`,
      repository_url: `${base}/repos/${repository}`,
      transient_environment: deployment.transient_environment,
      production_environment: deployment.production_environment,
    };
  }

  /** Filtered by environment, sha, ref and task; newest first, as GitHub answers in practice. */
  function listDeployments(url: URL): Reply {
    const filters = ['environment', 'sha', 'ref', 'task'] as const;
    const matching = deployments.filter((deployment) =>
      filters.every((name) => {
        const wanted = url.searchParams.get(name);
        return wanted === null || deployment[name] === wanted;
      }),
    );
    return paged(url, matching.toReversed().map(presentDeployment));
  }

  function createDeployment(body: unknown): Reply {
    const given = (body ?? {}) as Record<string, unknown>;
    if (typeof given.ref !== 'string' || given.ref === '')
      return validationFailed('Deployment', 'ref', 'missing_field');
    const ref = given.ref;
    const isSha = /^[0-9a-f]{40}$/.test(ref);
    // auto_merge (default true) merges the default branch into a branch ref first.
    if (given.auto_merge !== false && !isSha && ref !== 'main')
      return { status: 202, json: { message: `Auto-merged main into ${ref} on deployment.` } };
    // required_contexts left out: every status check on the commit must have passed.
    const required = Array.isArray(given.required_contexts)
      ? (given.required_contexts as string[])
      : (options.pendingChecks ?? ['ci/test']);
    if (required.length > 0)
      return error(
        409,
        `Conflict: Commit status checks failed for ${ref}.`,
        'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
      );
    const environment = typeof given.environment === 'string' ? given.environment : 'production';
    const payload =
      typeof given.payload === 'string' && given.payload !== ''
        ? (JSON.parse(given.payload) as unknown)
        : (given.payload ?? {});
    const deployment: StoredDeployment = {
      id: nextId++,
      sha: isSha ? ref : sha1(`ref ${ref}`),
      ref,
      task: typeof given.task === 'string' ? given.task : 'deploy',
      environment,
      payload,
      description: typeof given.description === 'string' ? given.description : null,
      production_environment:
        typeof given.production_environment === 'boolean'
          ? given.production_environment
          : environment === 'production',
      transient_environment: given.transient_environment === true,
      created_at: now(),
      statuses: [],
    };
    deployments.push(deployment);
    return { status: 201, json: presentDeployment(deployment) };
  }

  function presentStatus(deployment: StoredDeployment, status: StoredStatus): unknown {
    return {
      id: status.id,
      state: status.state,
      description: status.description,
      environment: deployment.environment,
      log_url: status.log_url ?? '',
      target_url: status.log_url ?? '',
      environment_url: status.environment_url ?? '',
      created_at: status.created_at,
      updated_at: status.created_at,
      deployment_url: `${base}/repos/${repository}/deployments/${deployment.id}`,
    };
  }

  function listStatuses(url: URL, id: number): Reply {
    const deployment = deployments.find((candidate) => candidate.id === id);
    if (!deployment) return error(404, 'Not Found');
    return paged(
      url,
      deployment.statuses.toReversed().map((status) => presentStatus(deployment, status)),
    );
  }

  function addStatus(deployment: StoredDeployment, status: Omit<StoredStatus, 'id' | 'created_at'>) {
    const stored = { id: nextId++, created_at: now(), ...status };
    deployment.statuses.push(stored);
    return stored;
  }

  function createStatus(id: number, body: unknown): Reply {
    const deployment = deployments.find((candidate) => candidate.id === id);
    if (!deployment) return error(404, 'Not Found');
    const given = (body ?? {}) as Record<string, unknown>;
    if (typeof given.state !== 'string' || !STATES.includes(given.state))
      return validationFailed('DeploymentStatus', 'state', 'invalid');
    const description = typeof given.description === 'string' ? given.description : '';
    if ([...description].length > 140) return validationFailed('DeploymentStatus', 'description', 'custom');
    const stored = addStatus(deployment, {
      state: given.state,
      description,
      ...(typeof given.log_url === 'string' ? { log_url: given.log_url } : {}),
      ...(typeof given.environment_url === 'string' ? { environment_url: given.environment_url } : {}),
    });
    // auto_inactive (default true): earlier successful deployments of a non-production,
    // non-transient environment become inactive.
    if (given.state === 'success' && given.auto_inactive !== false) {
      for (const earlier of deployments) {
        if (earlier === deployment || earlier.environment !== deployment.environment) continue;
        if (earlier.production_environment || earlier.transient_environment) continue;
        if (earlier.statuses.at(-1)?.state === 'success')
          addStatus(earlier, { state: 'inactive', description: '' });
      }
    }
    return { status: 201, json: presentStatus(deployment, stored) };
  }

  function pullsOf(sha: string): Reply {
    const pulls = commits.get(sha);
    if (!pulls) return error(422, `No commit found for SHA: ${sha}`);
    return {
      status: 200,
      json: pulls.map((pull) => ({
        number: pull.number,
        state: pull.state,
        merged_at: pull.merged_at,
        merge_commit_sha: pull.merge_commit_sha ?? null,
        html_url: `https://github.com/${repository}/pull/${pull.number}`,
        head: { ref: pull.head },
        base: { ref: pull.base },
      })),
    };
  }

  function checkBody(body: unknown): Reply | string {
    const text = (body as { body?: unknown } | undefined)?.body;
    if (typeof text !== 'string') return error(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
    if ([...text].length > MAX_BODY_CHARACTERS) {
      return {
        status: 422,
        json: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: `body is too long (maximum is ${MAX_BODY_CHARACTERS} characters)`,
            },
          ],
        },
      };
    }
    return text;
  }

  interface Call {
    method: string;
    url: URL;
    access: TokenAccess;
    accept: string;
    body: unknown;
  }

  /** What the token may do with a scope: the plain accesses give every scope the same. */
  function permission(access: TokenAccess, scope: Scope): Permission {
    if (access === 'write') return 'write';
    if (access === 'read-only') return 'read';
    if (access === 'no-access') return 'none';
    return access[scope] ?? 'none';
  }

  function answer(call: Call): Reply {
    const match = /^\/repos\/([^/]+\/[^/]+)\/(.+)$/.exec(call.url.pathname);
    if (!match || match[1] !== repository || call.access === 'no-access') return error(404, 'Not Found');
    const route = `${call.method} ${match[2]}`;
    const scope: Scope = /^\w+ deployments/.test(route)
      ? 'deployments'
      : /^\w+ (issues|commits\/[^/]+\/pulls)/.test(route)
        ? 'pullRequests'
        : 'contents';
    const may = permission(call.access, scope);
    // GitHub refuses a GITHUB_TOKEN without the permission; comments keep their own 403 below.
    if (may === 'none' || (may === 'read' && call.method !== 'GET' && scope !== 'pullRequests'))
      return error(403, 'Resource not accessible by integration');
    let part = /^GET deployments$/.exec(route);
    if (part) return listDeployments(call.url);
    part = /^POST deployments$/.exec(route);
    if (part) return createDeployment(call.body);
    part = /^GET deployments\/(\d+)\/statuses$/.exec(route);
    if (part) return listStatuses(call.url, Number(part[1]));
    part = /^POST deployments\/(\d+)\/statuses$/.exec(route);
    if (part) return createStatus(Number(part[1]), call.body);
    part = /^GET commits\/([^/]+)\/pulls$/.exec(route);
    if (part) return pullsOf(part[1]!);
    part = /^GET issues\/(\d+)\/comments$/.exec(route);
    if (part) return listComments(call.url, Number(part[1]));
    part = /^POST issues\/(\d+)\/comments$/.exec(route);
    if (part) return createComment(call, Number(part[1]));
    part = /^PATCH issues\/comments\/(\d+)$/.exec(route);
    if (part) return updateComment(call, Number(part[1]));
    part = /^GET contents\/(.+)$/.exec(route);
    if (part) return fileContent(decodeURIComponent(part[1]!), call);
    part = /^GET git\/trees\/([^/]+)$/.exec(route);
    if (part) return tree(part[1]!, call.url.searchParams.has('recursive'));
    return error(404, 'Not Found');
  }

  function createComment(call: Call, issue: number): Reply {
    if (permission(call.access, 'pullRequests') !== 'write') return READ_ONLY;
    const text = checkBody(call.body);
    return typeof text === 'string' ? { status: 201, json: present(store(issue, login, text)) } : text;
  }

  function updateComment(call: Call, id: number): Reply {
    const comment = comments.find((candidate) => candidate.id === id);
    if (!comment) return error(404, 'Not Found');
    if (permission(call.access, 'pullRequests') !== 'write') return READ_ONLY;
    const text = checkBody(call.body);
    if (typeof text !== 'string') return text;
    comment.body = text;
    return { status: 200, json: present(comment) };
  }

  /** Raw text for `Accept: application/vnd.github.raw`, else GitHub's JSON with the content in base64. */
  function fileContent(path: string, call: Call): Reply {
    const text = files[call.url.searchParams.get('ref') ?? 'main']?.[path];
    if (text === undefined) return error(404, 'Not Found');
    if (call.accept.includes('.raw')) {
      return { status: 200, text, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' } };
    }
    const bytes = Buffer.from(text);
    return {
      status: 200,
      json: {
        type: 'file',
        name: path.split('/').pop(),
        path,
        sha: blobSha(bytes),
        size: bytes.length,
        encoding: 'base64',
        content: bytes.toString('base64'),
      },
    };
  }

  function tree(ref: string, recursive: boolean): Reply {
    const atRef = files[ref];
    if (!atRef) return error(404, 'Not Found');
    const entries = new Map<string, unknown>();
    for (const [path, text] of Object.entries(atRef)) {
      const parts = path.split('/');
      for (let depth = 1; depth < parts.length; depth++) {
        const directory = parts.slice(0, depth).join('/');
        entries.set(directory, {
          path: directory,
          mode: '040000',
          type: 'tree',
          sha: sha1(`tree ${ref}:${directory}`),
        });
      }
      const bytes = Buffer.from(text);
      entries.set(path, { path, mode: '100644', type: 'blob', sha: blobSha(bytes), size: bytes.length });
    }
    const listed = [...entries.entries()]
      .filter(([path]) => recursive || !path.includes('/'))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, entry]) => entry);
    return { status: 200, json: { sha: sha1(`tree ${ref}:`), tree: listed, truncated: false } };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', base);
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const token = /^(?:token|bearer) (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    requests.push({ method, path: `${url.pathname}${url.search}`, token, body });

    const fault = faults.findIndex(
      (candidate) => candidate.method === undefined || candidate.method === method,
    );
    if (fault >= 0) {
      const [{ answer: status, message }] = faults.splice(fault, 1) as [(typeof faults)[number]];
      if (status === 'stall') return;
      if (status === 'disconnect') return void request.socket.destroy();
      return send(response, error(status, message ?? STATUS_CODES[status] ?? 'Error'));
    }
    if (token === undefined) return send(response, error(401, 'Requires authentication'));
    const access = options.tokens[token];
    if (access === undefined) return send(response, error(401, 'Bad credentials'));
    send(response, answer({ method, url, access, accept: request.headers.accept ?? '', body }));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((failure: unknown) => {
      send(response, error(500, `GitHub stand-in bug: ${String(failure)}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    requests,
    comments: (issue) =>
      comments.filter((comment) => comment.issue === issue).map((comment) => ({ ...comment })),
    seedComment: (issue, author, body) => ({ ...store(issue, author, body) }),
    deployments: () =>
      deployments.map((deployment) => ({
        ...deployment,
        statuses: deployment.statuses.map((status) => ({ ...status })),
      })),
    seedDeployment: ({ sha, environment, payload, states }) => {
      const deployment: StoredDeployment = {
        id: nextId++,
        sha,
        ref: sha,
        task: 'deploy',
        environment,
        payload,
        description: null,
        production_environment: environment === 'production',
        transient_environment: false,
        created_at: now(),
        statuses: [],
      };
      deployments.push(deployment);
      for (const state of states) addStatus(deployment, { state, description: '' });
      return deployment;
    },
    seedCommit: (sha, pulls = []) => {
      commits.set(sha, pulls);
    },
    failNext: (answer, faultOptions) => {
      faults.push({ answer, ...faultOptions });
    },
    reset: () => {
      requests.length = 0;
      comments = [];
      deployments = [];
      commits = new Map();
      faults = [];
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function send(response: ServerResponse, reply: Reply): void {
  if (response.headersSent) return;
  const headers = { ...reply.headers };
  let payload = reply.text ?? '';
  if (reply.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(reply.json);
  }
  response.writeHead(reply.status, headers).end(payload);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The id git gives a file's content. */
function blobSha(bytes: Buffer): string {
  return sha1(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));
}
