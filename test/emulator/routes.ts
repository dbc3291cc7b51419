/** The emulator's routes, as named in the request log and in faults. */
export type RouteName =
  | 'token'
  | 'connections'
  | 'create-job'
  | 'create-export'
  | 'job-status'
  | 'job-errors'
  | 'users-by-email'
  | 'get-user'
  | 'update-user'
  | 'delete-user'
  | 'export-download'
  | 'roles'
  | 'role-users'
  | 'assign-role-users'
  | 'user-roles'
  | 'assign-user-roles'
  | 'remove-user-roles'
  | 'organizations'
  | 'organization-by-name'
  | 'organization-members'
  | 'add-organization-members'
  | 'remove-organization-members'
  | 'member-roles'
  | 'assign-member-roles'
  | 'remove-member-roles'
  | 'unknown';

export const ROUTE_NAMES: readonly RouteName[] = [
  'token',
  'connections',
  'create-job',
  'create-export',
  'job-status',
  'job-errors',
  'users-by-email',
  'get-user',
  'update-user',
  'delete-user',
  'export-download',
  'roles',
  'role-users',
  'assign-role-users',
  'user-roles',
  'assign-user-roles',
  'remove-user-roles',
  'organizations',
  'organization-by-name',
  'organization-members',
  'add-organization-members',
  'remove-organization-members',
  'member-roles',
  'assign-member-roles',
  'remove-member-roles',
  'unknown',
];

export type RouteMatch =
  { name: Exclude<RouteName, 'unknown'>; params: string[] } | { name: 'unknown'; allow?: string };

interface RouteDefinition {
  pattern: RegExp;
  method: string;
  name: Exclude<RouteName, 'unknown'>;
}

// Exact paths before patterns: `GET /api/v2/jobs/users-imports` is a wrong method, not a job id.
const ROUTES: RouteDefinition[] = [
  { pattern: /^\/oauth\/token$/, method: 'POST', name: 'token' },
  { pattern: /^\/api\/v2\/connections$/, method: 'GET', name: 'connections' },
  { pattern: /^\/api\/v2\/jobs\/users-imports$/, method: 'POST', name: 'create-job' },
  { pattern: /^\/api\/v2\/jobs\/users-exports$/, method: 'POST', name: 'create-export' },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)$/, method: 'GET', name: 'job-status' },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/errors$/, method: 'GET', name: 'job-errors' },
  { pattern: /^\/api\/v2\/users-by-email$/, method: 'GET', name: 'users-by-email' },
  { pattern: /^\/api\/v2\/users\/([^/]+)$/, method: 'GET', name: 'get-user' },
  { pattern: /^\/api\/v2\/users\/([^/]+)$/, method: 'PATCH', name: 'update-user' },
  { pattern: /^\/api\/v2\/users\/([^/]+)$/, method: 'DELETE', name: 'delete-user' },
  { pattern: /^\/api\/v2\/roles$/, method: 'GET', name: 'roles' },
  { pattern: /^\/api\/v2\/roles\/([^/]+)\/users$/, method: 'GET', name: 'role-users' },
  { pattern: /^\/api\/v2\/roles\/([^/]+)\/users$/, method: 'POST', name: 'assign-role-users' },
  { pattern: /^\/api\/v2\/users\/([^/]+)\/roles$/, method: 'GET', name: 'user-roles' },
  { pattern: /^\/api\/v2\/users\/([^/]+)\/roles$/, method: 'POST', name: 'assign-user-roles' },
  { pattern: /^\/api\/v2\/users\/([^/]+)\/roles$/, method: 'DELETE', name: 'remove-user-roles' },
  { pattern: /^\/api\/v2\/organizations$/, method: 'GET', name: 'organizations' },
  { pattern: /^\/api\/v2\/organizations\/name\/([^/]+)$/, method: 'GET', name: 'organization-by-name' },
  { pattern: /^\/api\/v2\/organizations\/([^/]+)\/members$/, method: 'GET', name: 'organization-members' },
  {
    pattern: /^\/api\/v2\/organizations\/([^/]+)\/members$/,
    method: 'POST',
    name: 'add-organization-members',
  },
  {
    pattern: /^\/api\/v2\/organizations\/([^/]+)\/members$/,
    method: 'DELETE',
    name: 'remove-organization-members',
  },
  {
    pattern: /^\/api\/v2\/organizations\/([^/]+)\/members\/([^/]+)\/roles$/,
    method: 'GET',
    name: 'member-roles',
  },
  {
    pattern: /^\/api\/v2\/organizations\/([^/]+)\/members\/([^/]+)\/roles$/,
    method: 'POST',
    name: 'assign-member-roles',
  },
  {
    pattern: /^\/api\/v2\/organizations\/([^/]+)\/members\/([^/]+)\/roles$/,
    method: 'DELETE',
    name: 'remove-member-roles',
  },
  // Where completed exports are downloaded from: the emulator's stand-in for a presigned S3 URL.
  { pattern: /^\/users-exports\/([^/]+)\/([^/]+)$/, method: 'GET', name: 'export-download' },
];

/** Finds the route of a request; an unknown route with `allow` is a known path with a wrong method (405). */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const first = ROUTES.find((route) => route.pattern.test(pathname));
  if (!first) return { name: 'unknown' };
  const samePath = ROUTES.filter((route) => route.pattern.source === first.pattern.source);
  const route = samePath.find((candidate) => candidate.method === method);
  if (!route) return { name: 'unknown', allow: samePath.map((candidate) => candidate.method).join(', ') };
  const params = (route.pattern.exec(pathname) ?? []).slice(1).map((segment) => decodeSegment(segment));
  return { name: route.name, params };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
