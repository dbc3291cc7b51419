/** The action's inputs, read once, checked by one zod schema, turned into typed settings. */
import { z } from 'zod';
import { AUTH0_MAX_BODY_BYTES } from './auth0/import-form.js';

export const Inputs = {
  UsersFile: 'users-file',
  Domain: 'domain',
  ClientId: 'client-id',
  ClientSecret: 'client-secret',
  ManagementApiToken: 'management-api-token',
  Audience: 'audience',
  ConnectionId: 'connection-id',
  ConnectionName: 'connection-name',
  Upsert: 'upsert',
  SendCompletionEmail: 'send-completion-email',
  ExternalId: 'external-id',
  DryRun: 'dry-run',
  Wait: 'wait',
  WaitTimeoutSeconds: 'wait-timeout-seconds',
  MaxConcurrentJobs: 'max-concurrent-jobs',
  MaxChunkBytes: 'max-chunk-bytes',
  FailOnUserErrors: 'fail-on-user-errors',
  OnlyChanged: 'only-changed',
  GithubToken: 'github-token',
  Since: 'since',
  OnUnappliedChange: 'on-unapplied-change',
  CommentOnPr: 'comment-on-pr',
  Reconcile: 'reconcile',
  OnRemoved: 'on-removed',
  AllowDelete: 'allow-delete',
  MaxRemovals: 'max-removals',
  Baseline: 'baseline',
  DeploymentEnvironment: 'deployment-environment',
  ProtectedUsers: 'protected-users',
  OnPlanChanged: 'on-plan-changed',
  RequireReviewedPlan: 'require-reviewed-plan',
  AccessFile: 'access-file',
  MaxRevocations: 'max-revocations',
  WriteAccessFile: 'write-access-file',
} as const;

/** Events whose runs only plan with dry-run: auto: what they carry is not merged yet. */
export const PLAN_ONLY_EVENTS = ['pull_request', 'pull_request_target', 'merge_group'];

/** Inputs whose values are credentials: masked before anything else happens. */
const SECRET_INPUTS = [Inputs.ClientSecret, Inputs.ManagementApiToken, Inputs.GithubToken] as const;

const CONNECTION_ID = /^con_[A-Za-z0-9]{16}$/;

/** YAML 1.2 core schema booleans, as GitHub's own `getBooleanInput` accepts them. */
const boolean = (defaultValue: boolean) =>
  z.string().transform((value, context) => {
    if (value === '') return defaultValue;
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    context.addIssue({ code: 'custom', message: `must be true or false, got "${value}"` });
    return z.NEVER;
  });

const integer = (defaultValue: number, min: number, max: number, why = '') =>
  z.string().transform((value, context) => {
    if (value === '') return defaultValue;
    const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(number >= min && number <= max)) {
      context.addIssue({
        code: 'custom',
        message: `must be a whole number from ${min} to ${max}${why}, got "${value}"`,
      });
      return z.NEVER;
    }
    return number;
  });

/** A count (`10`) or a share (`5%`): of the users in the applied files for max-removals, of what the managed people hold for max-revocations. */
const countOrShare = z.string().transform((value, context): CountOrShare => {
  if (value === '') return { count: 10 };
  const match = /^(\d{1,7})(%?)$/.exec(value);
  const number = Number(match?.[1]);
  if (!match || (match[2] && number > 100)) {
    context.addIssue({
      code: 'custom',
      message: `must be a whole number (10) or a percentage from 0% to 100% (5%), got "${value}"`,
    });
    return z.NEVER;
  }
  return match[2] ? { percent: number } : { count: number };
});

/** Emails, one per line (blank lines and `#` comments skipped); `*` matches any run of characters. */
const emailPatterns = z.string().transform((value) =>
  value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

const optionalText = z.string().transform((value) => value || undefined);

/** One of a few words; empty means the default. */
function choice<const T extends string>(values: readonly T[], defaultValue: T) {
  return z.string().transform((value, context): T => {
    if (value === '') return defaultValue;
    if ((values as readonly string[]).includes(value)) return value as T;
    context.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}, got "${value}"` });
    return z.NEVER;
  });
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * `domain` is a tenant host or an https origin; plain http only reaches loopback (the emulator),
 * so a typo can never send credentials in clear over a network.
 */
const domain = z.string().transform((value, context) => {
  if (value === '') return undefined;
  const fail = (message: string) => {
    context.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail(
      `must be a tenant host such as "my-tenant.us.auth0.com" or an https:// origin, got "${value}"`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    return fail(`must use https:// (http:// is accepted only for loopback hosts), got "${url.protocol}//"`);
  }
  if (url.username || url.password)
    return fail('must not contain credentials; use client-id and client-secret');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return fail(`must be only a host or origin, without a path, query or fragment, got "${value}"`);
  }
  return url.origin;
});

const RawInputs = z.object({
  [Inputs.UsersFile]: z
    .string()
    .transform((value) =>
      value
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string())
        .min(1, 'is required: a path or glob of the users JSON file, relative to the workspace'),
    ),
  [Inputs.Domain]: domain,
  [Inputs.ClientId]: optionalText,
  [Inputs.ClientSecret]: optionalText,
  [Inputs.ManagementApiToken]: optionalText,
  [Inputs.Audience]: optionalText,
  [Inputs.ConnectionId]: optionalText.refine((value) => value === undefined || CONNECTION_ID.test(value), {
    message:
      'must look like con_ followed by 16 letters or digits (Auth0 dashboard > Authentication > Database > the connection)',
  }),
  [Inputs.ConnectionName]: optionalText,
  [Inputs.Upsert]: boolean(false),
  [Inputs.SendCompletionEmail]: boolean(false),
  [Inputs.ExternalId]: optionalText,
  [Inputs.DryRun]: choice(['auto', 'true', 'false'], 'auto'),
  [Inputs.Wait]: boolean(true),
  [Inputs.WaitTimeoutSeconds]: integer(3600, 1, 6 * 3600, ' (a GitHub job runs at most 6 hours)'),
  [Inputs.MaxConcurrentJobs]: integer(2, 1, 2, ' (Auth0 runs at most 2 import jobs per tenant)'),
  [Inputs.MaxChunkBytes]: integer(
    AUTH0_MAX_BODY_BYTES,
    1_500,
    AUTH0_MAX_BODY_BYTES,
    " (Auth0's limit for a whole request body)",
  ),
  [Inputs.FailOnUserErrors]: boolean(true),
  [Inputs.OnlyChanged]: boolean(false),
  [Inputs.GithubToken]: optionalText,
  [Inputs.OnUnappliedChange]: choice(['error', 'warn'], 'error'),
  [Inputs.CommentOnPr]: choice(['auto', 'always', 'never'], 'auto'),
  [Inputs.Reconcile]: boolean(false),
  [Inputs.OnRemoved]: choice(['report', 'block', 'delete'], 'report'),
  [Inputs.AllowDelete]: boolean(false),
  [Inputs.MaxRemovals]: countOrShare,
  [Inputs.Baseline]: choice(['applied', 'git', 'tenant'], 'applied'),
  [Inputs.DeploymentEnvironment]: optionalText,
  [Inputs.ProtectedUsers]: emailPatterns,
  [Inputs.OnPlanChanged]: choice(['fail', 'warn'], 'fail'),
  [Inputs.RequireReviewedPlan]: boolean(false),
  [Inputs.AccessFile]: optionalText,
  [Inputs.MaxRevocations]: countOrShare,
  [Inputs.WriteAccessFile]: boolean(false),
  [Inputs.Since]: optionalText.refine((value) => value === undefined || /^[0-9a-f]{7,40}$/i.test(value), {
    message: 'must be a commit SHA (7 to 40 hex digits)',
  }),
});

type Raw = z.output<typeof RawInputs>;

export type CountOrShare = { count: number } | { percent: number };

export type Credentials =
  | { kind: 'client'; clientId: string; clientSecret: string; audience: string }
  | { kind: 'token'; token: string };

export type ConnectionChoice = { id: string } | { name: string };

export interface ImportSettings {
  origin: string;
  /** The domain input as written: shown as given, so the runner masks it when it is a secret. */
  domain: string;
  credentials: Credentials;
  connection: ConnectionChoice;
  upsert: boolean;
  sendCompletionEmail: boolean;
  wait: boolean;
  waitTimeoutSeconds: number;
  maxConcurrentJobs: number;
  failOnUserErrors: boolean;
}

export interface Settings {
  usersFiles: string[];
  /** Given with each job, `#<chunk>` appended; defaults to `<repository>@<short sha>`. */
  externalId?: string;
  dryRun: boolean;
  maxChunkBytes: number;
  /** Send only the users the plan finds added or modified. */
  onlyChanged: boolean;
  /** The commit to plan against, winning over the event's own base. */
  since?: string;
  /** Reads base files through the API when the checkout lacks them, and writes the pull-request comment. */
  githubToken?: string;
  /** Whether a change import cannot apply fails the run or only warns. */
  onUnappliedChange: 'error' | 'warn';
  commentOnPr: 'auto' | 'always' | 'never';
  /** Apply through the Users API what import cannot: attributes upsert never updates, email renames. */
  reconcile: boolean;
  /** What becomes of users gone from the files. */
  onRemoved: 'report' | 'block' | 'delete';
  /** More removals than this (a count, or a share of the users in the applied files) fail the run before any change. */
  maxRemovals: CountOrShare;
  /**
   * What the plan compares the files with: the users files at the last applied commit (a GitHub
   * deployment), at the event's base commit, or the tenant itself.
   */
  baseline: 'applied' | 'git' | 'tenant';
  /** The GitHub environment deployments are recorded to; absent when no target is named. */
  deploymentEnvironment?: string;
  /** The tenant and connection the files go to, as the inputs name them: in dry runs too. */
  target?: { host: string; connection: string };
  /** Emails (with `*` wildcards) never blocked or deleted, and never losing a role or an organization. */
  protectedUsers: string[];
  /** On a push, a plan that differs from the reviewed one stops the run, or only warns. */
  onPlanChanged: 'fail' | 'warn';
  /** A push without a reviewed plan fails instead of going on with a notice. */
  requireReviewedPlan: boolean;
  /** Said once the run starts: how dry-run was decided when that needs saying. */
  notes: { warnings: string[] };
  /** Access as code: roles and organizations declared in a file, planned and applied after the import. */
  access?: AccessSettings;
  /** Whether existing users will be updated; known in a dry run too, to warn about modified users. */
  upsert: boolean;
  /**
   * The tenant and how to import into it. Absent in a dry run (nothing is sent, so no credentials are
   * needed) unless baseline: tenant, which reads the tenant even then.
   */
  import?: ImportSettings;
}

export interface AccessSettings {
  /** Relative to the workspace. */
  file: string;
  /** More revocations than this refuse the run before any request. */
  maxRevocations: CountOrShare;
  /** Write the tenant's current holders to a file that does not exist yet (workflow_dispatch). */
  writeAccessFile: boolean;
}

export class InputError extends Error {}

function importSettings(raw: Raw, domainAsGiven: string): ImportSettings {
  const errors: string[] = [];
  const origin = raw[Inputs.Domain];
  if (!origin)
    errors.push(
      `${Inputs.Domain}: is required to import (the tenant's canonical domain, e.g. my-tenant.us.auth0.com)`,
    );

  const clientId = raw[Inputs.ClientId];
  const clientSecret = raw[Inputs.ClientSecret];
  const token = raw[Inputs.ManagementApiToken];
  let credentials: Credentials | undefined;
  if (token && (clientId || clientSecret)) {
    errors.push(
      `${Inputs.ManagementApiToken}: give either it or ${Inputs.ClientId} + ${Inputs.ClientSecret}, not both`,
    );
  } else if (token) {
    credentials = { kind: 'token', token };
  } else if (clientId && clientSecret) {
    credentials = {
      kind: 'client',
      clientId,
      clientSecret,
      audience: raw[Inputs.Audience] ?? `${origin}/api/v2/`,
    };
  } else if (clientId || clientSecret) {
    errors.push(
      `${clientId ? Inputs.ClientSecret : Inputs.ClientId}: is required with ${clientId ? Inputs.ClientId : Inputs.ClientSecret}`,
    );
  } else {
    errors.push(
      `${Inputs.ClientId} + ${Inputs.ClientSecret} (a machine-to-machine application with create:users) or ${Inputs.ManagementApiToken}: one is required to import; pass them from repository secrets`,
    );
  }

  const connectionId = raw[Inputs.ConnectionId];
  const connectionName = raw[Inputs.ConnectionName];
  let connection: ConnectionChoice | undefined;
  if (connectionId && connectionName)
    errors.push(`${Inputs.ConnectionId} / ${Inputs.ConnectionName}: give one, not both`);
  else if (connectionId) connection = { id: connectionId };
  else if (connectionName) connection = { name: connectionName };
  else
    errors.push(
      `${Inputs.ConnectionId} or ${Inputs.ConnectionName}: one is required to import (the database connection that receives the users)`,
    );

  if (errors.length > 0 || !origin || !credentials || !connection) throw new InputError(errors.join('\n'));
  return {
    origin,
    domain: domainAsGiven,
    credentials,
    connection,
    upsert: raw[Inputs.Upsert],
    sendCompletionEmail: raw[Inputs.SendCompletionEmail],
    wait: raw[Inputs.Wait],
    waitTimeoutSeconds: raw[Inputs.WaitTimeoutSeconds],
    maxConcurrentJobs: raw[Inputs.MaxConcurrentJobs],
    failOnUserErrors: raw[Inputs.FailOnUserErrors],
  };
}

/** The tenant host and the connection as given, when both are: they name the deployment environment. */
function targetOf(raw: Raw): { host: string; connection: string } | undefined {
  const origin = raw[Inputs.Domain];
  const connection = raw[Inputs.ConnectionName] ?? raw[Inputs.ConnectionId];
  if (!origin || !connection) return undefined;
  return { host: new URL(origin).host, connection };
}

/**
 * Reads every input through `getInput` (core.getInput at the edge), masking credentials first.
 * Throws an InputError naming each bad input and what it accepts.
 */
export function readSettings(
  getInput: (name: string) => string,
  setSecret: (value: string) => void,
  eventName = '',
): Settings {
  for (const name of SECRET_INPUTS) {
    const value = getInput(name);
    if (value) setSecret(value);
  }
  const values = Object.fromEntries(Object.values(Inputs).map((name) => [name, getInput(name)]));
  const parsed = RawInputs.safeParse(values);
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'),
    );
  }
  const raw = parsed.data;
  if (raw[Inputs.OnRemoved] === 'delete' && !raw[Inputs.AllowDelete]) {
    throw new InputError(
      `${Inputs.OnRemoved}: delete also needs ${Inputs.AllowDelete}: true, a second switch, because deleting users cannot be undone (or use on-removed: block)`,
    );
  }
  if (!raw[Inputs.Wait] && (raw[Inputs.Reconcile] || raw[Inputs.OnRemoved] !== 'report')) {
    const asked = raw[Inputs.Reconcile]
      ? `${Inputs.Reconcile}: true`
      : `${Inputs.OnRemoved}: ${raw[Inputs.OnRemoved]}`;
    throw new InputError(
      `${Inputs.Wait}: false cannot go with ${asked}: reconcile and removals follow each user's import, whose outcome a run that does not wait never learns; set ${Inputs.Wait}: true (or drop ${asked})`,
    );
  }
  const accessFile = raw[Inputs.AccessFile];
  if (raw[Inputs.WriteAccessFile] && !accessFile)
    throw new InputError(`${Inputs.WriteAccessFile}: needs ${Inputs.AccessFile}, the path to write`);
  const planOnly = PLAN_ONLY_EVENTS.includes(eventName);
  const dryRun = raw[Inputs.DryRun] === 'auto' ? planOnly : raw[Inputs.DryRun] === 'true';
  const warnings =
    raw[Inputs.DryRun] === 'false' && planOnly
      ? [
          `dry-run: false on a ${eventName} event: this run applies files that are not merged yet to the tenant (dry-run: auto, the default, only plans here)`,
        ]
      : [];
  const target = targetOf(raw);
  const environment =
    raw[Inputs.DeploymentEnvironment] ?? (target && `auth0/${target.host}/${target.connection}`);
  const githubToken = raw[Inputs.GithubToken];
  const since = raw[Inputs.Since];
  return {
    usersFiles: raw[Inputs.UsersFile],
    ...(raw[Inputs.ExternalId] ? { externalId: raw[Inputs.ExternalId] } : {}),
    dryRun,
    maxChunkBytes: raw[Inputs.MaxChunkBytes],
    upsert: raw[Inputs.Upsert],
    onlyChanged: raw[Inputs.OnlyChanged],
    ...(since ? { since } : {}),
    ...(githubToken ? { githubToken } : {}),
    onUnappliedChange: raw[Inputs.OnUnappliedChange],
    commentOnPr: raw[Inputs.CommentOnPr],
    reconcile: raw[Inputs.Reconcile],
    onRemoved: raw[Inputs.OnRemoved],
    maxRemovals: raw[Inputs.MaxRemovals],
    baseline: raw[Inputs.Baseline],
    ...(environment ? { deploymentEnvironment: environment } : {}),
    ...(target ? { target } : {}),
    protectedUsers: raw[Inputs.ProtectedUsers],
    onPlanChanged: raw[Inputs.OnPlanChanged],
    requireReviewedPlan: raw[Inputs.RequireReviewedPlan],
    notes: { warnings },
    ...(accessFile
      ? {
          access: {
            file: accessFile,
            maxRevocations: raw[Inputs.MaxRevocations],
            writeAccessFile: raw[Inputs.WriteAccessFile],
          },
        }
      : {}),
    // Access is planned against the tenant, so an access file needs credentials even in a dry run.
    ...(dryRun && raw[Inputs.Baseline] !== 'tenant' && !accessFile
      ? {}
      : { import: importSettings(raw, values[Inputs.Domain] ?? '') }),
  };
}
