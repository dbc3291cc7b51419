import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from './clock.js';
import type { DownloadLinks } from './download-links.js';
import type { Faults } from './faults.js';
import { gatewayError } from './gateway.js';
import { MAX_IMPORT_BODY_BYTES, payloadTooLarge } from './import-form.js';
import type { AccessApi } from './access.js';
import type { ManagementApi } from './management-api.js';
import type { TokenBucket } from './rate-limit.js';
import { apiError, type Reply } from './reply.js';
import { matchRoute, type RouteMatch, type RouteName } from './routes.js';
import type { EmulatorState, RequestRecord } from './state.js';
import type { TokenIssuer } from './tokens.js';
import type { UsersApi } from './users-api.js';

/** Bodies past this are refused unread: 413 is what Auth0 answers to any oversized payload. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The scopes each route accepts (any one of them will do). */
const SCOPES: Partial<Record<RouteName, string[]>> = {
  connections: ['read:connections'],
  'create-job': ['create:users'],
  'create-export': ['read:users'],
  'job-status': ['create:users', 'read:users'],
  'job-errors': ['create:users', 'read:users'],
  'users-by-email': ['read:users'],
  'get-user': ['read:users'],
  'update-user': ['update:users'],
  'delete-user': ['delete:users'],
  // Roles and organizations: the scopes the facts doc lists for each route, any one of them.
  roles: ['read:roles'],
  'role-users': ['read:users', 'read:roles', 'read:role_members'],
  'assign-role-users': ['update:roles', 'create:role_members'],
  'user-roles': ['read:users', 'read:roles', 'read:role_members'],
  'assign-user-roles': ['update:users', 'create:role_members'],
  'remove-user-roles': ['update:users', 'delete:role_members'],
  organizations: ['read:organizations'],
  'organization-by-name': ['read:organizations'],
  'organization-members': ['read:organization_members'],
  'add-organization-members': ['create:organization_members'],
  'remove-organization-members': ['delete:organization_members'],
  'member-roles': ['read:organization_member_roles'],
  'assign-member-roles': ['create:organization_member_roles'],
  'remove-member-roles': ['delete:organization_member_roles'],
};

export interface ServerParts {
  clock: Clock;
  tokens: TokenIssuer;
  api: ManagementApi;
  users: UsersApi;
  access: AccessApi;
  downloads: DownloadLinks;
  faults: Faults;
  state: EmulatorState;
  /** Absent when rate limiting is off. */
  bucket: TokenBucket | undefined;
  /** Aborted when the emulator closes, to drop answers still held back by a delay fault. */
  closing: AbortSignal;
}

type Answer = Reply | 'reset';

/** The emulator's HTTP handler: routing, the `/api/v2/` gatekeeping, faults, delays and the request log. */
export function createRequestHandler(
  parts: ServerParts,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(parts, req, res).catch(() => res.destroy());
  };
}

/** One request on its way through the handler. */
interface Exchange {
  req: IncomingMessage;
  url: URL;
  route: RouteMatch;
  body: Buffer;
  /** Filled in as the request is handled, then logged. */
  record: RequestRecord;
}

async function handle(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = req.method ?? 'GET';
  const route = matchRoute(method, url.pathname);
  const record: RequestRecord = {
    at: parts.clock.now(),
    method,
    path: req.url ?? '/',
    route: route.name,
    status: 0,
  };
  parts.state.countRequest(route.name);
  const body = await readBody(req);
  let answer: Answer;
  try {
    answer = body
      ? await answerRequest(parts, { req, url, route, body, record })
      : payloadTooLarge(route.name === 'create-job' ? MAX_IMPORT_BODY_BYTES : MAX_BODY_BYTES);
  } catch (error) {
    answer = apiError(500, `Emulator bug: ${error instanceof Error ? error.stack : String(error)}`);
  }
  const delayMs = parts.faults.delayFor(route.name);
  if (delayMs > 0) await sleep(delayMs, undefined, { signal: parts.closing });
  record.status = answer === 'reset' ? 'reset' : answer.status;
  parts.state.requests.push(record);
  if (answer === 'reset') {
    req.socket.resetAndDestroy();
    return;
  }
  const payload = answer.raw ?? (answer.json === undefined ? undefined : JSON.stringify(answer.json));
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.json !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(answer.status, headers);
  res.end(payload);
}

async function answerRequest(parts: ServerParts, exchange: Exchange): Promise<Answer> {
  const { route, url, req, body } = exchange;
  if (route.name === 'token') return parts.tokens.issue(req.headers['content-type'], body);
  if (route.name === 'export-download') {
    const [jobId = ''] = route.params;
    return parts.downloads.download(jobId, url.searchParams);
  }
  if (!url.pathname.startsWith('/api/v2/')) return unknownRoute(route);
  // Auth0 counts every Management API request against the tenant's bucket, refused ones included.
  const limit = parts.bucket?.take();
  const answer = limit?.allowed === false ? rateLimited() : await answerApi(parts, exchange);
  if (answer === 'reset' || !limit) return answer;
  return { ...answer, headers: { ...answer.headers, ...limit.headersFor(answer.status) } };
}

async function answerApi(parts: ServerParts, exchange: Exchange): Promise<Answer> {
  const { route } = exchange;
  if (route.name === 'unknown') return unknownRoute(route);
  const token = parts.tokens.check(exchange.req.headers.authorization);
  if (!token.valid) return apiError(401, token.message);
  const scopes = SCOPES[route.name] ?? [];
  if (scopes.length > 0 && !scopes.some((scope) => token.scopes.includes(scope))) {
    return apiError(403, `Insufficient scope, expected any of: ${scopes.join(',')}`, 'insufficient_scope');
  }
  const effects = parts.faults.effectsFor(route.name);
  if (effects.gatewayBefore) return gatewayError(effects.gatewayBefore);
  const reply = await answerRoute(parts, exchange, effects.jobLimit);
  if (effects.reset) return 'reset';
  if (effects.gatewayAfter) return gatewayError(effects.gatewayAfter);
  if (effects.error) return apiError(500, 'Internal Server Error');
  return reply;
}

function answerRoute(parts: ServerParts, exchange: Exchange, jobLimitFault: boolean): Reply | Promise<Reply> {
  const { route, url, req, body, record } = exchange;
  if (route.name === 'unknown') return unknownRoute(route);
  const [id = '', second = ''] = route.params;
  const query = url.searchParams;
  switch (route.name) {
    case 'connections':
      return parts.api.connections(url.searchParams);
    case 'create-job':
      return parts.api.createJob(body, req.headers['content-type'], record, jobLimitFault);
    case 'create-export':
      return parts.api.createExport(body, record);
    case 'job-status':
      return parts.api.jobStatus(id);
    case 'job-errors':
      return parts.api.jobErrors(id);
    case 'users-by-email':
      return parts.users.byEmail(url.searchParams);
    case 'get-user':
      return parts.users.get(id);
    case 'update-user':
      return parts.users.update(id, body);
    case 'delete-user':
      return parts.users.remove(id);
    case 'roles':
      return parts.access.listRoles(query);
    case 'role-users':
      return parts.access.roleUsers(id, query);
    case 'assign-role-users':
      return parts.access.assignRoleUsers(id, body);
    case 'user-roles':
      return parts.access.userRoles(id, query);
    case 'assign-user-roles':
      return parts.access.changeUserRoles(id, body, 'add');
    case 'remove-user-roles':
      return parts.access.changeUserRoles(id, body, 'remove');
    case 'organizations':
      return parts.access.listOrganizations(query);
    case 'organization-by-name':
      return parts.access.organizationByName(id);
    case 'organization-members':
      return parts.access.listMembers(id, query);
    case 'add-organization-members':
      return parts.access.changeMembers(id, body, 'add');
    case 'remove-organization-members':
      return parts.access.changeMembers(id, body, 'remove');
    case 'member-roles':
      return parts.access.memberRoles(id, second, query);
    case 'assign-member-roles':
      return parts.access.changeMemberRoles(id, second, body, 'add');
    case 'remove-member-roles':
      return parts.access.changeMemberRoles(id, second, body, 'remove');
    default:
      return unknownRoute(route);
  }
}

function unknownRoute(route: RouteMatch): Reply {
  if (route.name === 'unknown' && route.allow) {
    return { ...apiError(405, 'Method Not Allowed'), headers: { allow: route.allow } };
  }
  return apiError(404, 'Not Found');
}

function rateLimited(): Reply {
  return apiError(429, 'Global limit has been reached', 'too_many_requests');
}

/** The whole body, or `undefined` when it is larger than the emulator will hold. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined;
}
