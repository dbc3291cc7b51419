import { describe, expect, it } from 'vitest';
import {
  databaseConnectionId,
  getJob,
  getToken,
  importUsers,
  jobIdOf,
  useEmulators,
} from './contract-client.js';
import { manualClock } from './index.js';

const start = useEmulators();
const DATABASE = 'Username-Password-Authentication';

describe('state', () => {
  it('logs every answered request with its method, path, route and status', async () => {
    const emulator = await start();
    const token = await getToken(emulator);

    await getJob(emulator, token, 'job_AAAAAAAAAAAAAAAA');

    expect(emulator.state.requests).toEqual([
      expect.objectContaining({ method: 'POST', path: '/oauth/token', route: 'token', status: 200 }),
      expect.objectContaining({
        method: 'GET',
        path: '/api/v2/jobs/job_AAAAAAAAAAAAAAAA',
        route: 'job-status',
        status: 404,
      }),
    ]);
  });

  it('counts jobs created, the most active at once and the requests per route', async () => {
    const clock = manualClock();
    const emulator = await start({ clock });
    const token = await getToken(emulator);
    await importUsers(emulator, token, [{ email: 'a@example.com' }]);
    await importUsers(emulator, token, [{ email: 'b@example.com' }]);
    clock.advance(60_000);
    const id = jobIdOf(await importUsers(emulator, token, [{ email: 'c@example.com' }]));
    await getJob(emulator, token, id);

    expect(emulator.state.counters).toEqual({
      jobsCreated: 3,
      maxActiveJobs: 2,
      requestsByRoute: {
        token: 1,
        connections: 0,
        'create-job': 3,
        'create-export': 0,
        'job-status': 1,
        'job-errors': 0,
        'users-by-email': 0,
        'get-user': 0,
        'update-user': 0,
        'delete-user': 0,
        'export-download': 0,
        roles: 0,
        'role-users': 0,
        'assign-role-users': 0,
        'user-roles': 0,
        'assign-user-roles': 0,
        'remove-user-roles': 0,
        organizations: 0,
        'organization-by-name': 0,
        'organization-members': 0,
        'add-organization-members': 0,
        'remove-organization-members': 0,
        'member-roles': 0,
        'assign-member-roles': 0,
        'remove-member-roles': 0,
        unknown: 0,
      },
    });
  });

  it('finds the user store by connection id as well as by name', async () => {
    const emulator = await start();

    emulator.state.seedUsers(databaseConnectionId(emulator), [{ email: 'a@example.com' }]);

    expect(emulator.state.users(DATABASE)).toEqual([expect.objectContaining({ email: 'a@example.com' })]);
  });

  it('refuses to seed a user that an import without upsert would refuse', async () => {
    const emulator = await start();
    emulator.state.seedUsers(DATABASE, [{ email: 'a@example.com' }]);

    expect(() => emulator.state.seedUsers(DATABASE, [{ email: 'a@example.com' }])).toThrow(/DUPLICATED_USER/);
  });
});
