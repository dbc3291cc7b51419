import type { DownloadLinks } from './download-links.js';
import type { Faults } from './faults.js';
import { checkImportForm, MAX_IMPORT_BODY_BYTES, parseImportForm, payloadTooLarge } from './import-form.js';
import { describeJob, type Job, type JobBoard } from './jobs.js';
import type { Connection, EmulatorConfig } from './options.js';
import { apiError, type Reply } from './reply.js';
import type { RequestRecord } from './state.js';
import { checkExportRequest } from './users-export.js';

/** The connection and job handlers of `/api/v2/`, once the rate limit, the token and its scope have been checked. */
export class ManagementApi {
  readonly #config: EmulatorConfig;
  readonly #jobs: JobBoard;
  readonly #faults: Faults;
  readonly #downloads: DownloadLinks;

  constructor(config: EmulatorConfig, jobs: JobBoard, faults: Faults, downloads: DownloadLinks) {
    this.#config = config;
    this.#jobs = jobs;
    this.#faults = faults;
    this.#downloads = downloads;
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
    record.bodyBytes = body.length;
    // hapi counts the whole body against maxBytes before it parses anything.
    if (body.length > MAX_IMPORT_BODY_BYTES) return payloadTooLarge(MAX_IMPORT_BODY_BYTES);
    const form = await parseImportForm(body, contentType);
    if (!form) return apiError(400, 'Invalid multipart payload format');
    record.usersBytes = form.usersBytes?.length;
    record.fields = form.fields;
    const checked = checkImportForm(form);
    if ('reply' in checked) return checked.reply;
    const { request } = checked;
    const connection = this.#connection(request.connectionId);
    if (!connection) return connectionNotFound();
    if (connection.strategy !== 'auth0') {
      return apiError(400, 'Connection must be a database connection', 'operation_not_supported');
    }
    const { maxActiveJobs } = this.#config;
    if (jobLimitFault || this.#jobs.activeImports() >= maxActiveJobs) {
      return apiError(
        429,
        `There are ${maxActiveJobs} active import users jobs, please wait until some of them are finished and try again`,
      );
    }
    const job = this.#jobs.createImport({
      connection,
      upsert: request.upsert,
      sendCompletionEmail: request.sendCompletionEmail,
      externalId: request.externalId,
      usersBytes: request.usersBytes,
    });
    this.#faults.jobCreated(job);
    record.jobId = job.id;
    return { status: 202, json: this.#describe(job) };
  }

  /** `POST /api/v2/jobs/users-exports`: 201 with the pending job. */
  createExport(body: Buffer, record: RequestRecord): Reply {
    const checked = checkExportRequest(body);
    if ('reply' in checked) return checked.reply;
    const { request } = checked;
    const connection =
      request.connectionId === undefined ? undefined : this.#connection(request.connectionId);
    if (request.connectionId !== undefined && !connection) return connectionNotFound();
    const job = this.#jobs.createExport(request, connection);
    this.#faults.jobCreated(job);
    record.jobId = job.id;
    return { status: 201, json: this.#describe(job) };
  }

  /** `GET /api/v2/jobs/{id}`; a completed export carries a fresh download `location`. */
  jobStatus(id: string): Reply {
    const job = this.#jobs.get(id);
    if (!job) return jobNotFound();
    return { status: 200, json: this.#describe(job) };
  }

  /** `GET /api/v2/jobs/{id}/errors`: 204 while there are none, the job itself when it failed as a whole. */
  jobErrors(id: string): Reply {
    const job = this.#jobs.get(id);
    if (!job) return jobNotFound();
    if (job.status === 'failed') return { status: 200, json: this.#describe(job) };
    if (job.type === 'users_export' || job.errors.length === 0) return { status: 204 };
    return { status: 200, json: job.errors };
  }

  #describe(job: Job): Record<string, unknown> {
    const location =
      job.type === 'users_export' && job.status === 'completed' ? this.#downloads.issue(job) : undefined;
    return describeJob(job, this.#config.clock.now(), {
      minimal: this.#config.minimalJobAnswers,
      location,
    });
  }

  #connection(id: string): Connection | undefined {
    return this.#config.connections.find((c) => c.id === id);
  }
}

/** What Auth0 answers an unknown connection id on the job routes (404 `inexistent_connection` is `GET /connections/{id}`'s). */
function connectionNotFound(): Reply {
  return apiError(400, 'The connection does not exist.');
}

function jobNotFound(): Reply {
  return apiError(404, 'The job does not exist.');
}
