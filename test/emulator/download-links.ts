import type { Clock } from './clock.js';
import { randomHex } from './ids.js';
import type { ExportJob, JobBoard } from './jobs.js';
import type { Reply } from './reply.js';

/** Auth0's export `location` is a presigned URL valid this long. */
export const DOWNLOAD_LINK_TTL_MS = 60_000;

interface Link {
  jobId: string;
  expiresAt: number;
}

/**
 * The presigned download URLs of completed exports, as S3 would serve them: each job answer gets a
 * fresh one; no bearer token is needed, only the signature, until it expires.
 */
export class DownloadLinks {
  readonly #baseUrl: string;
  readonly #clock: Clock;
  readonly #jobs: JobBoard;
  readonly #links = new Map<string, Link>();

  constructor(baseUrl: string, clock: Clock, jobs: JobBoard) {
    this.#baseUrl = baseUrl;
    this.#clock = clock;
    this.#jobs = jobs;
  }

  /** A new URL for a completed export, valid for a minute of the emulator's clock from now. */
  issue(job: ExportJob): string {
    const signature = randomHex(64);
    this.#links.set(signature, { jobId: job.id, expiresAt: this.#clock.now() + DOWNLOAD_LINK_TTL_MS });
    const query = new URLSearchParams({
      'X-Amz-Expires': String(DOWNLOAD_LINK_TTL_MS / 1000),
      'X-Amz-Signature': signature,
    });
    return `${this.#baseUrl}/users-exports/${job.id}/${fileNameOf(job)}?${query}`;
  }

  /** `GET /users-exports/{job}/{file}?X-Amz-Signature=…`: the file, or S3's XML refusal. */
  download(jobId: string, query: URLSearchParams): Reply {
    const link = this.#links.get(query.get('X-Amz-Signature') ?? '');
    if (!link || link.jobId !== jobId) {
      return s3Error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    if (this.#clock.now() >= link.expiresAt) return s3Error(403, 'AccessDenied', 'Request has expired');
    const job = this.#jobs.get(jobId);
    if (!job || job.type !== 'users_export' || !job.file) {
      return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    }
    return {
      status: 200,
      raw: job.file,
      headers: { 'content-type': 'application/octet-stream', server: 'AmazonS3' },
    };
  }
}

/** A plausible object name (a guess): the connection, the format, `.gz` when compressed. */
function fileNameOf(job: ExportJob): string {
  const name = job.connection?.name ?? 'all-connections';
  const gzipped = job.file?.[0] === 0x1f && job.file[1] === 0x8b; // gzip's magic bytes
  return `${encodeURIComponent(name)}.${job.format}${gzipped ? '.gz' : ''}`;
}

function s3Error(status: number, code: string, message: string): Reply {
  const raw =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomHex(16).toUpperCase()}</RequestId></Error>`;
  return { status, raw, headers: { 'content-type': 'application/xml', server: 'AmazonS3' } };
}
