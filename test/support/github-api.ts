/**
 * A loopback stand-in for the parts of GitHub's REST API the action uses: a pull request's issue
 * comments (list with real pagination, create, update) and a repository's files at a commit (the
 * contents API and the git trees API). Point octokit at it with GITHUB_API_URL. @actions/github
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
export type TokenAccess = 'write' | 'read-only' | 'no-access';

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
  /** Forgets comments, requests and pending faults. */
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
  let nextId = 1_000_001;
  let base = '';

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

  function listComments(url: URL, issue: number): Reply {
    const perPage = Math.min(MAX_PER_PAGE, Number(url.searchParams.get('per_page')) || DEFAULT_PER_PAGE);
    const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
    const onIssue = comments.filter((comment) => comment.issue === issue);
    const last = Math.max(1, Math.ceil(onIssue.length / perPage));
    const link = (n: number) => `<${base}${url.pathname}?per_page=${perPage}&page=${n}>`;
    const links = [
      ...(page > 1 ? [`${link(page - 1)}; rel="prev"`] : []),
      ...(page < last ? [`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`] : []),
      ...(page > 1 ? [`${link(1)}; rel="first"`] : []),
    ];
    return {
      status: 200,
      json: onIssue.slice((page - 1) * perPage, page * perPage).map(present),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
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

  function answer(call: Call): Reply {
    const match = /^\/repos\/([^/]+\/[^/]+)\/(.+)$/.exec(call.url.pathname);
    if (!match || match[1] !== repository || call.access === 'no-access') return error(404, 'Not Found');
    const route = `${call.method} ${match[2]}`;
    let part = /^GET issues\/(\d+)\/comments$/.exec(route);
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
    if (call.access === 'read-only') return READ_ONLY;
    const text = checkBody(call.body);
    return typeof text === 'string' ? { status: 201, json: present(store(issue, login, text)) } : text;
  }

  function updateComment(call: Call, id: number): Reply {
    const comment = comments.find((candidate) => candidate.id === id);
    if (!comment) return error(404, 'Not Found');
    if (call.access === 'read-only') return READ_ONLY;
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
    failNext: (answer, faultOptions) => {
      faults.push({ answer, ...faultOptions });
    },
    reset: () => {
      requests.length = 0;
      comments = [];
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
