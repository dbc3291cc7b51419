import type { Faults } from './faults.js';
import { checkImportForm, parseImportForm } from './import-form.js';
import { describeJob, type JobBoard } from './jobs.js';
import type { EmulatorConfig } from './options.js';
import { apiError, type Reply } from './reply.js';
import type { RequestRecord } from './state.js';

/** The `/api/v2/` handlers, once the rate limit, the token and its scope have been checked. */
export class ManagementApi {
  readonly #config: EmulatorConfig;
  readonly #jobs: JobBoard;
  readonly #faults: Faults;

  constructor(config: EmulatorConfig, jobs: JobBoard, faults: Faults) {
    this.#config = config;
    this.#jobs = jobs;
    this.#faults = faults;
  }

  /** `GET /api/v2/connections?name=…&strategy=…` (strategy may repeat). */
  connections(query: URLSearchParams): Reply {
    const name = query.get('name');
    const strategies = query.getAll('strategy');
    const json = this.#config.connections
      .filter(
        (c) =>
          (name === null || c.name === name) && (strategies.length === 0 || strategies.includes(c.strategy)),
      )
      .map((c) => ({
        id: c.id,
        name: c.name,
        strategy: c.strategy,
        enabled_clients: this.#config.clients.map((client) => client.id),
        realms: [c.name],
      }));
    return { status: 200, json };
  }

  /** `POST /api/v2/jobs/users-imports`; fills the create's fields into its request record. */
  async createJob(
    body: Buffer,
    contentType: string | undefined,
    record: RequestRecord,
    jobLimitFault: boolean,
  ): Promise<Reply> {
    const form = await parseImportForm(body, contentType);
    if (!form) return apiError(400, 'Invalid multipart payload format');
    record.usersBytes = form.usersBytes?.length;
    record.fields = form.fields;
    const checked = checkImportForm(form);
    if ('reply' in checked) return checked.reply;
    const { request } = checked;
    const connection = this.#config.connections.find((c) => c.id === request.connectionId);
    if (!connection) return apiError(404, 'The connection does not exist.', 'inexistent_connection');
    if (connection.strategy !== 'auth0') {
      return apiError(400, 'Connection must be a database connection', 'operation_not_supported');
    }
    const { maxActiveJobs } = this.#config;
    if (jobLimitFault || this.#jobs.activeCount() >= maxActiveJobs) {
      return apiError(
        429,
        `There are ${maxActiveJobs} active import users jobs, please wait until some of them are finished and try again`,
      );
    }
    const job = this.#jobs.create({
      connection,
      upsert: request.upsert,
      sendCompletionEmail: request.sendCompletionEmail,
      externalId: request.externalId,
      usersBytes: request.usersBytes,
    });
    this.#faults.jobCreated(job);
    record.jobId = job.id;
    return { status: 202, json: describeJob(job, this.#config.clock.now()) };
  }

  /** `GET /api/v2/jobs/{id}`. */
  jobStatus(id: string): Reply {
    const job = this.#jobs.get(id);
    if (!job) return jobNotFound();
    return { status: 200, json: describeJob(job, this.#config.clock.now()) };
  }

  /** `GET /api/v2/jobs/{id}/errors`: 204 while there are none, the job itself when it failed as a whole. */
  jobErrors(id: string): Reply {
    const job = this.#jobs.get(id);
    if (!job) return jobNotFound();
    if (job.status === 'failed') return { status: 200, json: describeJob(job, this.#config.clock.now()) };
    if (job.errors.length === 0) return { status: 204 };
    return { status: 200, json: job.errors };
  }
}

function jobNotFound(): Reply {
  return apiError(404, 'The job does not exist.');
}
