/** The emulator's routes, as named in the request log and in faults. */
export type RouteName = 'token' | 'connections' | 'create-job' | 'job-status' | 'job-errors' | 'unknown';

export type RouteMatch =
  { name: Exclude<RouteName, 'unknown'>; jobId?: string } | { name: 'unknown'; allow?: string };

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
  { pattern: /^\/api\/v2\/jobs\/([^/]+)$/, method: 'GET', name: 'job-status' },
  { pattern: /^\/api\/v2\/jobs\/([^/]+)\/errors$/, method: 'GET', name: 'job-errors' },
];

/** Finds the route of a request; an unknown route with `allow` is a known path with a wrong method (405). */
export function matchRoute(method: string, pathname: string): RouteMatch {
  for (const route of ROUTES) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    if (route.method !== method) return { name: 'unknown', allow: route.method };
    const jobId = match[1] === undefined ? undefined : decodeSegment(match[1]);
    return { name: route.name, jobId };
  }
  return { name: 'unknown' };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
