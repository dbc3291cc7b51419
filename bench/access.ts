/**
 * Access as code at scale: `node dist/index.js` applying an access file for N people across 3 roles
 * and 2 organizations (each person one role and one organization) on a free tenant (2 requests/s; the
 * smoke run allows more, to stay short),
 * against the fewest requests the Management API allows for it; then the same run again, which must
 * only read.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmulator, type Emulator, type RouteName } from '../test/emulator/index.js';
import { ACCESS_SCOPES } from '../test/support/access-scopes.js';
import { databaseId } from '../test/support/client.js';
import { figure, type Figure } from './figures.js';
import { DIST, expectSuccess, runnerEnvironment, runProcess } from './measure.js';

const ROLES = ['reader', 'editor', 'owner'];
const ORGANIZATIONS = ['north', 'south'];
const MEMBERS_PER_REQUEST = 10;

const ACCESS_ROUTES = new Set<RouteName>([
  'roles',
  'role-users',
  'assign-role-users',
  'user-roles',
  'assign-user-roles',
  'remove-user-roles',
  'organization-by-name',
  'organization-members',
  'add-organization-members',
  'remove-organization-members',
  'member-roles',
  'assign-member-roles',
  'remove-member-roles',
  'users-by-email',
]);

const SCOPES = ['create:users', 'read:users', ...ACCESS_SCOPES];

export interface AccessBenchResult {
  people: number;
  requests: number;
  fewest: number;
  rateLimited: number;
  accessMs: number;
  wallMs: number;
  secondRunRequests: number;
  secondRunWrites: number;
}

/** Reads (a look-up and one page per role and organization, all empty) plus one grant per role and a request per 10 members. */
function fewestRequests(people: number): number {
  const reads = ROLES.length * 2 + ORGANIZATIONS.length * 2;
  const perOrganization = Math.ceil(people / ORGANIZATIONS.length);
  return reads + ROLES.length + ORGANIZATIONS.length * Math.ceil(perOrganization / MEMBERS_PER_REQUEST);
}

function accessFile(people: number): string {
  const email = (i: number) => `person${i}@example.com`;
  const everyone = Array.from({ length: people }, (_, i) => i);
  return JSON.stringify(
    {
      roles: Object.fromEntries(
        ROLES.map((role, r) => [role, everyone.filter((i) => i % ROLES.length === r).map(email)]),
      ),
      organizations: Object.fromEntries(
        ORGANIZATIONS.map((name, o) => [
          name,
          { members: everyone.filter((i) => i % ORGANIZATIONS.length === o).map(email) },
        ]),
      ),
    },
    null,
    2,
  );
}

function accessRequests(emulator: Emulator, since: number) {
  return emulator.state.requests.slice(since).filter((request) => ACCESS_ROUTES.has(request.route));
}

export async function benchAccess(
  workspace: string,
  { people, rate }: { people: number; rate: number },
): Promise<{ figures: Figure[]; result: AccessBenchResult }> {
  const users = Array.from({ length: people }, (_, i) => ({
    email: `person${i}@example.com`,
    user_id: `p${i}`,
    email_verified: true,
  }));
  const directory = path.join(workspace, 'access-bench');
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, 'users.json'), JSON.stringify(users));
  await writeFile(path.join(directory, 'access.json'), accessFile(people));
  const emulator = await startEmulator({
    clients: [{ scopes: SCOPES }],
    rateLimit: { rate, burst: rate },
    jobTiming: { pendingMs: 0, processingMs: 0 },
  });
  try {
    emulator.state.seedUsers(databaseId(emulator), users);
    for (const role of ROLES) emulator.state.seedRole(role);
    for (const organization of ORGANIZATIONS) emulator.state.seedOrganization(organization);
    const inputs = {
      'users-file': path.relative(workspace, path.join(directory, 'users.json')),
      'access-file': path.relative(workspace, path.join(directory, 'access.json')),
      upsert: 'true',
      domain: emulator.url,
      'client-id': emulator.clientId,
      'client-secret': emulator.clientSecret,
      'connection-id': databaseId(emulator),
    };
    const run = async () =>
      expectSuccess(
        'access',
        await runProcess([DIST], { env: await runnerEnvironment(workspace, inputs), cwd: workspace }),
      );
    const first = await run();
    const applied = accessRequests(emulator, 0);
    const holders = ROLES.reduce((sum, role) => sum + emulator.state.roleHolders(role).length, 0);
    if (holders !== people) throw new Error(`access: ${holders} of ${people} role grants made`);
    const rateLimited = emulator.state.requests.filter((request) => request.status === 429).length;
    const mark = emulator.state.requests.length;
    await run();
    const again = accessRequests(emulator, mark);
    const result: AccessBenchResult = {
      people,
      requests: applied.length,
      fewest: fewestRequests(people),
      rateLimited,
      accessMs: applied.length > 0 ? applied.at(-1)!.at - applied[0]!.at : 0,
      wallMs: first.wallMs,
      secondRunRequests: again.length,
      secondRunWrites: again.filter((request) => request.method !== 'GET').length,
    };
    const label = `access for ${people.toLocaleString('en-US')} people, 3 roles, 2 organizations, ${rate} requests/s`;
    return {
      figures: [
        figure(
          `${label}: requests`,
          result.requests,
          'requests',
          undefined,
          `the API allows no fewer than ${result.fewest}`,
        ),
        figure(`${label}: requests / fewest possible`, result.requests / result.fewest, '×', {
          op: '≤',
          limit: 1.1,
        }),
        figure(`${label}: 429 answers`, result.rateLimited, 'requests', { op: '≤', limit: 0 }),
        figure(
          `${label}: access phase wall`,
          result.accessMs,
          'ms',
          undefined,
          `the fewest requests at ${rate}/s take ${Math.round((result.fewest / rate) * 1000)} ms`,
        ),
        figure(`${label}: whole run wall (import included)`, result.wallMs, 'ms'),
        figure(
          `${label}: second run writes`,
          result.secondRunWrites,
          'requests',
          { op: '≤', limit: 0 },
          `${result.secondRunRequests} reads`,
        ),
      ],
      result,
    };
  } finally {
    await emulator.close();
  }
}
