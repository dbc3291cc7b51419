export const id = 594;
export const ids = [594];
export const modules = {

/***/ 1594:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  importChunks: () => (/* binding */ importChunks),
  openTenant: () => (/* binding */ openTenant),
  readTenant: () => (/* binding */ readTenant)
});

// EXTERNAL MODULE: ./src/plan/reconcile.ts
var plan_reconcile = __webpack_require__(7863);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/auth0/timing.ts
var auth0_timing = __webpack_require__(2814);
;// CONCATENATED MODULE: ./src/auth0/http.ts


/** Auth0 answered, finally, with something other than success. */
class Auth0Error extends Error {
    status;
    code;
    constructor(status, body, context) {
        const { message, code } = describeBody(body);
        super(`${context}: Auth0 answered ${status}${code ? ` ${code}` : ''}: ${message}`);
        this.status = status;
        this.code = code;
    }
}
/**
 * Auth0 refused the credentials for good: a 401 for a token given as it is, or for a token just
 * renewed after an earlier 401, or a 403. Asking again cannot help, so waiting stops at once.
 */
function isPermanentRefusal(error) {
    return error instanceof Auth0Error && (error.status === 401 || error.status === 403);
}
/** A request that Auth0 may or may not have carried out: it left, and its answer was lost or a 5xx. */
class UncertainError extends Error {
}
/** No answer after every attempt (repeatable requests only: nothing can have been done twice). */
class UnreachableError extends Error {
}
/** The run was cancelled while waiting for, or during, a request. */
class CancelledError extends Error {
    /** The request was on its way: Auth0 may have carried it out. */
    inFlight;
    constructor(inFlight = false) {
        super('Cancelled');
        this.inFlight = inFlight;
    }
}
/** wait-timeout-seconds ran out while waiting for, or during, a request. */
class DeadlineError extends Error {
    /** The request was on its way: Auth0 may have carried it out. */
    inFlight;
    constructor(what, inFlight = false) {
        super(`wait-timeout-seconds ran out ${what}`);
        this.inFlight = inFlight;
    }
}
/**
 * A short description of an error answer. Bodies may be Auth0's JSON, a token error, or an HTML
 * page from Cloudflare in front of Auth0: HTML is named, never quoted.
 */
function describeBody(body) {
    if (body && typeof body === 'object') {
        const record = body;
        const message = record.message ?? record.error_description ?? record.error ?? JSON.stringify(body);
        const code = record.errorCode ?? record.error;
        return { message: String(message), code: typeof code === 'string' ? code : undefined };
    }
    if (typeof body !== 'string' || body.trim() === '')
        return { message: '(no body)', code: undefined };
    if (/^\s*</.test(body)) {
        const title = /<title>([^<]{1,120})<\/title>/i.exec(body)?.[1]?.trim();
        return { message: `an HTML error page${title ? ` ("${title}")` : ''}`, code: undefined };
    }
    return { message: body.slice(0, 300), code: undefined };
}
/** Auth0's job-limit 429 shares its status with the rate-limit 429 but means something else entirely. */
function isJobLimit(response) {
    return response.status === 429 && /active import users jobs/i.test(describeBody(response.body).message);
}
/** Connection failures that happen before any byte of the request can have reached Auth0. */
const NOT_SENT_CODES = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_CONNECT_TIMEOUT',
]);
/** The TLS handshake failed: nothing was sent, and trying again gives the same answer. */
function isTlsFailure(code, message) {
    return ((code !== undefined &&
        (/^ERR_SSL_|^ERR_TLS_|^CERT_|^UNABLE_TO_|SELF_SIGNED|^DEPTH_ZERO|^HOSTNAME_MISMATCH/.test(code) ||
            code === 'EPROTO')) ||
        /SSL routines|wrong version number|certificate/i.test(message));
}
/** A TLS failure names the likely cause: an emulator or proxy on loopback speaks plain http. */
class TlsError extends Error {
}
function errorCode(error) {
    const code = error?.code;
    const causeCode = error?.cause?.code;
    return typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : undefined;
}
/**
 * Requests the bucket holds now, as far as the last answer tells: `remaining` then, refilled evenly
 * until `reset`, when it is full. Reset is rounded up to the second, so this errs low. Infinity
 * when Auth0 has not said (nothing to go by, nothing to hold back for).
 */
function spareRequests(quota, now) {
    if (!quota)
        return Infinity;
    const full = quota.reset * 1000;
    const at = quota.at ?? now;
    if (now >= full || full <= at)
        return quota.limit;
    const refilled = Math.floor(((quota.limit - quota.remaining) * Math.max(0, now - at)) / (full - at));
    return Math.min(quota.limit, quota.remaining + refilled);
}
/** Route names for stats and logs: ids collapsed so counts add up by kind of request. */
function routeOf(method, path) {
    return `${method} ${path
        .replace(/\?.*$/, '')
        .replace(/\/job_[^/]+/, '/{id}')
        .replace(/\/users\/[^/]+/, '/users/{id}')}`;
}
function headerValue(headers, name) {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
}
const NEVER = { signal: new AbortController().signal, deadline: Infinity };
class ApiClient {
    stats = { requests: {}, rateLimited: 0, retried: 0 };
    context;
    #tokens;
    #quota;
    /** No request leaves before this time: Auth0 said the bucket is empty until then. */
    #quietUntil = 0;
    #options;
    #dispatcher;
    constructor(options) {
        this.#options = options;
        this.context = options.context ?? NEVER;
        // Self-hosted runners behind a proxy set HTTPS_PROXY / NO_PROXY; honour them only then.
        const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => process.env[name]);
        this.#dispatcher = options.dispatcher ?? (proxied ? new undici.EnvHttpProxyAgent() : new undici.Agent());
    }
    get origin() {
        return this.#options.origin;
    }
    /** The bucket as Auth0 last described it; undefined until an answer carried the headers. */
    /** Clock time before which the next request waits for the rate limit (0: none). */
    get quietUntil() {
        return this.#quietUntil;
    }
    get quota() {
        return this.#quota;
    }
    useTokens(tokens) {
        this.#tokens = tokens;
    }
    async close() {
        if (!this.#options.dispatcher)
            await this.#dispatcher.close();
    }
    /**
     * Sends a request, waiting out rate limits and retrying what is safe to retry, never past the
     * deadline. Returns the final response, success or not (the job-limit 429, a 404 or a 413 only the
     * caller can judge); throws UncertainError, UnreachableError, TlsError, CancelledError or
     * DeadlineError.
     */
    async send(api) {
        const { timing, log } = this.#options;
        const route = routeOf(api.method, api.path);
        let attempt = 0;
        let rateLimitWaits = 0;
        for (;;) {
            await this.#sleepUntil(this.#quietUntil, `waiting for the rate limit before ${route}`);
            const token = api.anonymous ? undefined : await this.#token();
            const outcome = await this.#sendOnce(api, route, token);
            if (outcome.kind === 'error') {
                const code = errorCode(outcome.error);
                const why = describeError(outcome.error);
                if (isTlsFailure(code, why))
                    throw new TlsError(this.#tlsAdvice(route, why));
                const notSent = NOT_SENT_CODES.has(code ?? '');
                if (!notSent && !api.repeatable) {
                    throw new UncertainError(`${route}: the answer was lost (${why}); Auth0 may have carried it out`);
                }
                if (outcome.cappedByDeadline && /TIMEOUT/.test(code ?? ''))
                    throw new DeadlineError(`during ${route}`);
                if (++attempt >= timing.maxAttempts) {
                    throw new UnreachableError(`${route}: no answer from Auth0 after ${attempt} attempts (${why})`);
                }
                await this.#retryAfter(route, why, attempt);
                continue;
            }
            const response = outcome.response;
            if (response.status === 429 && !isJobLimit(response)) {
                // Auth0 refused without acting: safe to send again, even a create without upsert.
                this.stats.rateLimited++;
                if (++rateLimitWaits > timing.maxRateLimitWaits)
                    return response;
                const waitMs = this.#rateLimitWait(response);
                log(`${route}: rate limit reached; waiting ${(waitMs / 1000).toFixed(1)} s as Auth0 asks`);
                this.#quietUntil = Math.max(this.#quietUntil, this.#options.clock.now() + waitMs);
                continue;
            }
            if (response.status === 401 && token !== undefined && this.#tokens?.renewAfterRefusal(token)) {
                // Auth0 checks the token before doing anything, so a 401 is safe to send again.
                log(`${route}: the token was refused; sending again with a new one`);
                continue;
            }
            if (response.status >= 500) {
                if (!api.repeatable) {
                    throw new UncertainError(`${route}: Auth0 answered ${response.status} (${describeBody(response.body).message}); it may have carried the request out`);
                }
                if (++attempt >= timing.maxAttempts)
                    return response;
                await this.#retryAfter(route, `Auth0 answered ${response.status}`, attempt);
                continue;
            }
            return response;
        }
    }
    /**
     * A GET of an absolute URL on another host, such as an export's pre-signed `location`: without the
     * bearer token (it would go to that host), without rate-limit bookkeeping or retries (that host is not
     * the Management API; the caller knows what a refusal means), with the body left as a stream.
     * Cancellation and the deadline apply as to every request; throws CancelledError or DeadlineError for
     * them, and undici's error when no answer came. `label` names it in stats and errors ("export file").
     */
    async download(url, label) {
        const { clock, timing } = this.#options;
        const { signal, deadline } = this.context;
        if (signal.aborted)
            throw new CancelledError();
        const left = deadline - clock.now();
        if (left <= 0)
            throw new DeadlineError(`before downloading the ${label}`);
        // Between two pieces of the body, not for the whole of it: a large file may take longer.
        const timeout = Math.min(timing.requestTimeoutMs, left);
        const route = `GET ${label}`;
        this.stats.requests[route] = (this.stats.requests[route] ?? 0) + 1;
        try {
            const answer = await (0,undici.request)(url, {
                method: 'GET',
                headers: { 'user-agent': 'auth0-user-import' },
                dispatcher: this.#dispatcher,
                headersTimeout: timeout,
                bodyTimeout: timeout,
                signal,
            });
            return { status: answer.statusCode, headers: answer.headers, body: answer.body };
        }
        catch (error) {
            if (signal.aborted)
                throw new CancelledError();
            if (timeout < timing.requestTimeoutMs && /TIMEOUT/.test(errorCode(error) ?? ''))
                throw new DeadlineError(`while downloading the ${label}`);
            throw error;
        }
    }
    async #token() {
        if (!this.#tokens)
            throw new Error('No credentials to call the Management API with');
        // A cancelled token request is not this request: this one has not left yet.
        return this.#tokens.token().catch((error) => {
            if (error instanceof CancelledError)
                throw new CancelledError();
            if (error instanceof DeadlineError)
                throw new DeadlineError('while getting a token');
            throw error;
        });
    }
    async #sendOnce(api, route, token) {
        const { origin, timing, clock } = this.#options;
        const { signal, deadline } = this.context;
        const headers = { accept: 'application/json', 'user-agent': 'auth0-user-import' };
        if (api.body)
            headers['content-type'] = api.body.contentType;
        if (token !== undefined)
            headers.authorization = `Bearer ${token}`;
        const left = deadline - clock.now();
        if (left <= 0)
            throw new DeadlineError(`before ${route}`);
        const timeout = Math.min(timing.requestTimeoutMs, left);
        this.stats.requests[route] = (this.stats.requests[route] ?? 0) + 1;
        const sentAt = clock.now();
        try {
            const answer = await (0,undici.request)(`${origin}${api.path}`, {
                method: api.method,
                headers,
                body: api.body?.data ?? null,
                dispatcher: this.#dispatcher,
                headersTimeout: timeout,
                bodyTimeout: timeout,
                signal,
            });
            const text = await answer.body.text();
            const response = {
                status: answer.statusCode,
                headers: answer.headers,
                body: parseBody(text, headerValue(answer.headers, 'content-type')),
                sentAt,
            };
            this.#noteQuota(response);
            return { kind: 'response', response };
        }
        catch (error) {
            if (signal.aborted)
                throw new CancelledError(true);
            return { kind: 'error', error, cappedByDeadline: timeout < timing.requestTimeoutMs };
        }
    }
    #tlsAdvice(route, why) {
        const { hostname, protocol } = new URL(this.#options.origin);
        const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(hostname);
        const hint = loopback && protocol === 'https:'
            ? ` A server on ${hostname} usually speaks plain HTTP: set domain to http://${new URL(this.#options.origin).host}.`
            : " Check that domain is the tenant's own domain (e.g. my-tenant.us.auth0.com) and that no proxy intercepts TLS.";
        return `${route}: the TLS handshake with ${hostname} failed (${why}).${hint}`;
    }
    /**
     * Stays under the limit instead of running into it. x-ratelimit-reset is when the bucket is full
     * again (in whole seconds, rounded up), not when one more request is allowed: a token bucket
     * refills evenly, so with none left the next comes within that time over the bucket's size
     * (x-ratelimit-limit), and no later. Auth0 sends these headers on 2xx answers only, so their
     * absence means nothing. The jitter, a fraction of the wait, keeps runners sharing a tenant out
     * of step without adding a fixed pause to every short wait.
     */
    #noteQuota(response) {
        const remaining = headerValue(response.headers, 'x-ratelimit-remaining');
        const reset = Number(headerValue(response.headers, 'x-ratelimit-reset'));
        const size = Number(headerValue(response.headers, 'x-ratelimit-limit'));
        if (remaining !== undefined && Number.isFinite(reset) && Number.isFinite(size))
            this.#quota = { limit: size, remaining: Number(remaining), reset, at: this.#options.clock.now() };
        if (remaining === undefined || Number(remaining) > 0 || !Number.isFinite(reset))
            return;
        const { clock } = this.#options;
        const limit = Math.max(1, Number(headerValue(response.headers, 'x-ratelimit-limit')) || 1);
        const untilFull = Math.min(Math.max(reset * 1000 - clock.now(), 0), 60_000);
        this.#quietUntil = Math.max(this.#quietUntil, clock.now() + (untilFull / limit) * (1 + 0.1 * clock.random()));
    }
    /** Retry-After first, then x-ratelimit-reset (as Auth0's own SDK does), each with jitter. */
    #rateLimitWait(response) {
        const { clock, timing } = this.#options;
        const jitter = 100 + 400 * clock.random();
        const retryAfter = headerValue(response.headers, 'retry-after');
        if (retryAfter !== undefined) {
            const seconds = Number(retryAfter);
            const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - clock.now();
            if (Number.isFinite(ms))
                return Math.min(Math.max(ms, 0), 60_000) + jitter;
        }
        const reset = Number(headerValue(response.headers, 'x-ratelimit-reset'));
        if (Number.isFinite(reset))
            return Math.min(Math.max(reset * 1000 - clock.now(), 0), 60_000) + jitter;
        return (0,auth0_timing/* backoffMs */.jo)(this.stats.rateLimited, timing.retryInitialMs, timing.retryMaxMs, clock.random());
    }
    async #retryAfter(route, why, attempt) {
        const { clock, timing, log } = this.#options;
        const waitMs = (0,auth0_timing/* backoffMs */.jo)(attempt - 1, timing.retryInitialMs, timing.retryMaxMs, clock.random());
        this.stats.retried++;
        log(`${route}: ${why}; retrying in ${(waitMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${timing.maxAttempts})`);
        await this.#sleepUntil(clock.now() + waitMs, `before retrying ${route}`);
    }
    /**
     * Waits, as every wait of the client does: cut short by cancellation, refused when it would pass
     * the deadline. For callers that pace themselves (reconcile leaves room for the tenant's traffic).
     */
    async waitUntil(time, what) {
        await this.#sleepUntil(time, what);
    }
    /** The one sleep of the client: cut short by cancellation, refused when it would pass the deadline. */
    async #sleepUntil(time, what) {
        const { clock } = this.#options;
        const { signal, deadline } = this.context;
        if (signal.aborted)
            throw new CancelledError();
        const waitMs = time - clock.now();
        if (waitMs <= 0)
            return;
        if (time > deadline)
            throw new DeadlineError(what);
        await clock.sleep(waitMs, signal);
        if (signal.aborted)
            throw new CancelledError();
    }
}
function parseBody(text, contentType) {
    if (text === '')
        return undefined;
    // Cloudflare's 5xx pages are HTML; only an answer that says it is JSON is parsed as JSON.
    if (contentType !== undefined && !/json/i.test(contentType))
        return text;
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}
function describeError(error) {
    const code = errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    return code ? `${code}: ${message}` : message;
}

// EXTERNAL MODULE: ./src/auth0/import-form.ts
var import_form = __webpack_require__(368);
// EXTERNAL MODULE: ./src/users/quotable.ts
var quotable = __webpack_require__(5243);
// EXTERNAL MODULE: ./src/users/validate.ts + 3 modules
var validate = __webpack_require__(8921);
;// CONCATENATED MODULE: ./src/auth0/job-errors.ts


const REDACTED = '[redacted]';
/** Auth0's messages are short; a longer one is cut, so no answer can flood the log or the summary. */
const MAX_MESSAGE_CHARACTERS = 1_000;
/** Replaces every value inside `text`, longest first so no fragment of one survives. */
function scrub(text, values) {
    let out = text;
    for (const value of [...values].sort((a, b) => b.length - a.length)) {
        if (out.includes(value))
            out = out.split(value).join(REDACTED);
    }
    return out;
}
function parsedUser(user) {
    return JSON.parse((0,validate/* userJson */.ei)(user));
}
/** Free text about a chunk (a failed job's status_details) with nothing of its users but what may be quoted. */
function scrubChunkSecrets(text, chunk) {
    if (!chunk)
        return text;
    return scrub(text, chunk.users.map((user) => (0,quotable/* unquotableValues */.Lj)(parsedUser(user))).flat());
}
function cut(text) {
    return text.length > MAX_MESSAGE_CHARACTERS ? `${text.slice(0, MAX_MESSAGE_CHARACTERS - 1)}…` : text;
}
function stringField(user, key) {
    const value = user?.[key];
    return typeof value === 'string' ? value.slice(0, 320) : undefined;
}
/** Auth0's internal names (z-schema paths of its own user model) back to the file's. */
const INTERNAL_NAMES = {
    passwordHash: 'password_hash',
    customPasswordHash: 'custom_password_hash',
    appMetadata: 'app_metadata',
    userMetadata: 'user_metadata',
    emailVerified: 'email_verified',
    phoneNumber: 'phone_number',
    phoneVerified: 'phone_verified',
    givenName: 'given_name',
    familyName: 'family_name',
    userId: 'user_id',
    mfaFactors: 'mfa_factors',
};
/** `identities[0].profileData.email` → `email`; `passwordHash` → `password_hash`. */
function fileProperty(internal) {
    const path = internal.replace(/^identities\[\d+\]\.profileData\./, '').replace(/^profileData\./, '');
    const head = /^[A-Za-z]+/.exec(path)?.[0] ?? '';
    return Object.hasOwn(INTERNAL_NAMES, head) ? `${INTERNAL_NAMES[head]}${path.slice(head.length)}` : path;
}
/** "Error in passwordHash property - String does not match…" → "password_hash: String does not match…". */
function readableMessage(message, path) {
    const prefixed = /^Error in (\S+) property - ([\s\S]*)$/.exec(message);
    const property = prefixed ? fileProperty(prefixed[1]) : path ? fileProperty(path) : undefined;
    const text = prefixed ? prefixed[2] : message;
    return property && !text.startsWith(`${property}:`) ? `${property}: ${text}` : text;
}
function entryOf(raw) {
    const record = (raw && typeof raw === 'object' ? raw : {});
    const errors = Array.isArray(record.errors) ? record.errors : [];
    return {
        user: record.user,
        errors: errors.map((error) => {
            const e = (error && typeof error === 'object' ? error : {});
            return {
                code: typeof e.code === 'string' && e.code ? e.code : 'UNKNOWN',
                message: typeof e.message === 'string' ? e.message : '',
                ...(typeof e.path === 'string' ? { path: e.path } : {}),
            };
        }),
    };
}
/**
 * Traces each rejected user back to its file and line — Auth0 does not say which array index
 * failed: match by email, then user_id, then username, within the job's chunk — and drops
 * everything else. Accepts any code and any shape.
 */
function reduceJobErrors(entries, chunk, jobId) {
    const byKey = new Map();
    for (const user of chunk.users) {
        if (user.email)
            byKey.set(`email:${user.email.toLowerCase()}`, user);
        if (user.userId)
            byKey.set(`user_id:${user.userId}`, user);
    }
    return entries.map((raw) => {
        const entry = entryOf(raw);
        const echoedEmail = stringField(entry.user, 'email');
        const echoedUserId = stringField(entry.user, 'user_id');
        const match = (echoedEmail !== undefined ? byKey.get(`email:${echoedEmail.toLowerCase()}`) : undefined) ??
            (echoedUserId !== undefined ? byKey.get(`user_id:${echoedUserId}`) : undefined);
        const secrets = [...(0,quotable/* unquotableValues */.Lj)(entry.user), ...(match ? (0,quotable/* unquotableValues */.Lj)(parsedUser(match)) : [])];
        const email = match?.email ?? echoedEmail;
        const userId = match?.userId ?? echoedUserId;
        return {
            chunk: chunk.label,
            jobId,
            ...(match ? { file: match.file, line: match.line } : {}),
            ...(email ? { email } : {}),
            ...(userId ? { userId } : {}),
            codes: entry.errors.map((error) => error.code),
            messages: entry.errors.map((error) => cut(scrub(readableMessage(error.message, error.path), secrets))),
        };
    });
}

;// CONCATENATED MODULE: ./src/auth0/jobs.ts



const FINAL_STATUSES = new Set(['completed', 'failed', 'expired']);
class ConnectionError extends Error {
}
/** Looks a database connection up by name (needs read:connections). */
async function findConnection(api, name) {
    const response = await api.send({
        method: 'GET',
        path: `/api/v2/connections?name=${encodeURIComponent(name)}`,
        repeatable: true,
    });
    if (response.status !== 200)
        throw new Auth0Error(response.status, response.body, `Looking up connection-name "${name}"`);
    const connections = Array.isArray(response.body) ? response.body : [];
    const found = connections.find((connection) => connection.name === name);
    if (!found) {
        const all = await api.send({
            method: 'GET',
            path: '/api/v2/connections?strategy=auth0',
            repeatable: true,
        });
        const names = Array.isArray(all.body)
            ? all.body.map((connection) => connection.name)
            : [];
        throw new ConnectionError(`connection-name: no connection named "${name}" in this tenant; database connections: ${names.length ? names.join(', ') : '(none visible)'}`);
    }
    if (found.strategy !== 'auth0') {
        throw new ConnectionError(`connection-name: "${name}" is a ${found.strategy} connection; users can only be imported into a database connection`);
    }
    return found;
}
/**
 * Submits one chunk. Without upsert the request is not repeatable: a second job for the same users
 * would fail every one of them as DUPLICATED_USER and hide what the first one did.
 */
async function createJob(api, chunk, fields) {
    const body = (0,import_form/* importBody */.Wy)(chunk, { ...fields, externalId: chunk.externalId });
    const response = await api.send({
        method: 'POST',
        path: '/api/v2/jobs/users-imports',
        body,
        repeatable: fields.upsert,
    });
    if (isJobLimit(response))
        return { kind: 'job-limit' };
    if (response.status === 413)
        return { kind: 'too-large' };
    if (response.status < 200 || response.status >= 300) {
        throw new Auth0Error(response.status, response.body, `Submitting chunk ${chunk.label} (external_id ${chunk.externalId})`);
    }
    return { kind: 'created', job: toJobStatus(response.body, chunk) };
}
/** The job's status, or `gone` when Auth0 no longer knows it (deleted after 24 hours). */
async function getJob(api, id, chunk) {
    const response = await api.send({
        method: 'GET',
        path: `/api/v2/jobs/${encodeURIComponent(id)}`,
        repeatable: true,
    });
    if (response.status === 404)
        return 'gone';
    if (response.status !== 200)
        throw new Auth0Error(response.status, response.body, `Reading job ${id}`);
    const status = toJobStatus(response.body, chunk);
    return response.sentAt === undefined ? status : { ...status, sentAt: response.sentAt };
}
/**
 * Users a job rejected, each traced to its line and reduced to what may be shown; empty when none.
 * A whole-job failure may answer with the job instead of a list.
 */
async function getJobErrors(api, id, chunk) {
    const response = await api.send({
        method: 'GET',
        path: `/api/v2/jobs/${encodeURIComponent(id)}/errors`,
        repeatable: true,
    });
    if (response.status === 204 || response.status === 404)
        return { failedUsers: [] };
    if (response.status !== 200)
        throw new Auth0Error(response.status, response.body, `Reading the errors of job ${id}`);
    if (Array.isArray(response.body)) {
        return { failedUsers: reduceJobErrors(response.body, chunk, id) };
    }
    const details = toJobStatus(response.body, chunk).statusDetails;
    return { failedUsers: [], ...(details ? { statusDetails: details } : {}) };
}
function count(value) {
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    return Number.isFinite(number) ? number : undefined;
}
/**
 * A job answer as it comes: any field may be missing or of another type. Free text about a failed
 * job may quote the users file, so it is reduced with the chunk's users before it leaves here.
 */
function toJobStatus(body, chunk) {
    const record = (body && typeof body === 'object' ? body : {});
    const summary = record.summary && typeof record.summary === 'object'
        ? record.summary
        : undefined;
    const details = record.status_details;
    const text = details === undefined || details === null || details === ''
        ? undefined
        : typeof details === 'string'
            ? details
            : JSON.stringify(details);
    const percentage = count(record.percentage_done);
    const timeLeft = count(record.time_left_seconds);
    return {
        id: typeof record.id === 'string' ? record.id : '',
        status: typeof record.status === 'string' && record.status ? record.status : 'unknown',
        ...(percentage !== undefined ? { percentageDone: percentage } : {}),
        ...(timeLeft !== undefined ? { timeLeftSeconds: timeLeft } : {}),
        ...(summary
            ? {
                summary: {
                    total: count(summary.total) ?? 0,
                    inserted: count(summary.inserted) ?? 0,
                    updated: count(summary.updated) ?? 0,
                    failed: count(summary.failed) ?? 0,
                },
            }
            : {}),
        ...(text !== undefined ? { statusDetails: scrubChunkSecrets(text, chunk) } : {}),
        ...(typeof record.location === 'string' ? { location: record.location } : {}),
    };
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/auth0/ndjson.ts
/**
 * Reading an Auth0 export as it arrives: gunzipped when its first bytes say gzip, cut into lines
 * without ever holding the whole file, so a million users take no more memory than a thousand.
 */


/** gzip's magic bytes: Auth0 usually compresses exports, and says so only in the bytes. */
function isGzip(head) {
    return head[0] === 0x1f && head[1] === 0x8b;
}
/** The bytes of `source`, gunzipped when they start with gzip's magic bytes, else as they are. */
async function* inflated(source) {
    const pieces = source[Symbol.asyncIterator]();
    let head = Buffer.alloc(0);
    while (head.length < 2) {
        const next = await pieces.next();
        if (next.done) {
            if (head.length > 0)
                yield head;
            return;
        }
        head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
    }
    async function* whole() {
        yield head;
        for (let next = await pieces.next(); !next.done; next = await pieces.next())
            yield next.value;
    }
    if (!isGzip(head)) {
        yield* whole();
        return;
    }
    // An error on either side (the download breaks, the gzip is corrupt or cut short) ends the
    // gunzip stream with that error, so the loop below throws it.
    const gunzip = (0,external_node_stream_.pipeline)(external_node_stream_.Readable.from(whole()), (0,external_node_zlib_.createGunzip)(), () => { });
    for await (const piece of gunzip)
        yield piece;
}
/** A line longer than this is no user: the file is not NDJSON (or not an export at all). */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
class NdjsonError extends Error {
}
/**
 * The non-empty lines of `source`, a batch per piece that completes any (lines are cut on the byte 0x0a,
 * which UTF-8 never uses inside a character). Trailing `\r` is dropped; the last line needs no newline.
 */
async function* ndjsonLines(source, maxLineBytes = MAX_LINE_BYTES) {
    /** The start of a line that the next piece completes. */
    let partial = [];
    let partialBytes = 0;
    for await (const piece of source) {
        const lines = [];
        let start = 0;
        for (let end = piece.indexOf(0x0a); end !== -1; end = piece.indexOf(0x0a, start)) {
            if (partialBytes + end - start > maxLineBytes)
                throw tooLong(maxLineBytes);
            if (partial.length === 0)
                pushLine(lines, piece, start, end);
            else {
                const line = Buffer.concat([...partial, piece.subarray(start, end)]);
                partial = [];
                partialBytes = 0;
                pushLine(lines, line, 0, line.length);
            }
            start = end + 1;
        }
        if (start < piece.length) {
            partialBytes += piece.length - start;
            if (partialBytes > maxLineBytes)
                throw tooLong(maxLineBytes);
            // A copy: a slice would keep the whole piece alive for the sake of its tail.
            partial.push(Buffer.from(piece.subarray(start)));
        }
        if (lines.length > 0)
            yield lines;
    }
    if (partial.length > 0) {
        const last = [];
        const line = Buffer.concat(partial);
        pushLine(last, line, 0, line.length);
        if (last.length > 0)
            yield last;
    }
}
/** Bytes `start` to `end` (a newline, or the end) as a line, unless blank; a `\r` before the end is dropped. */
function pushLine(lines, bytes, start, end) {
    const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
    if (stop === start)
        return;
    const line = bytes.toString('utf8', start, stop);
    if (/\S/.test(line))
        lines.push(line);
}
function tooLong(maxLineBytes) {
    return new NdjsonError(`a line of the export is over ${maxLineBytes / 1024 / 1024} MiB: it is not one user a line (NDJSON)`);
}

// EXTERNAL MODULE: ./src/users/chunks.ts
var users_chunks = __webpack_require__(4100);
;// CONCATENATED MODULE: ./src/auth0/schedule.ts
/**
 * Runs a chunk plan as Auth0 jobs: keeps up to N of ours active, submits the next chunk as soon as a
 * slot frees, polls politely, says how far it got and how long the rest will take, and never loses
 * track of a job id once Auth0 has given it.
 */




function isFinal(result) {
    return FINAL_STATUSES.has(result.status);
}
/** The end is narrowed until it is known this closely. */
const END_KNOWN_WITHIN_MS = 125;
/** A look that narrows the end comes at least this long after the one before. */
const NARROW_GAP_MS = 200;
/**
 * When to look at a job next: Auth0's own estimate when it gives one, else exponential backoff.
 *
 * Auth0 rounds time_left_seconds up to the whole second, so an answer says the job ends after
 * `left - 1` and by `left` seconds from the moment it was given; the answers so far together say
 * more than the latest alone. A look a whole number of seconds before the middle of what they
 * leave open halves it: Auth0's rounding then tells which half the end is in. Looks the poll cap
 * makes anyway are moved to such a moment, at no cost; with `narrow`, looks are added for it while
 * the end is known less closely than END_KNOWN_WITHIN_MS. The job is done by `endsBy` and usually a
 * little before: look pollEarlyMs before it, and when the job is still running then, right at it.
 */
function nextPoll(last, timeLeftSeconds, now, timing, options = {}) {
    if (timeLeftSeconds === undefined || timeLeftSeconds <= 0) {
        return { delay: Math.min(last.interval * timing.pollFactor, timing.pollMaxMs) };
    }
    const sentAt = Math.min(options.sentAt ?? now, now);
    // Running when Auth0 answered, which was after sentAt.
    let end = {
        endsAfter: Math.max(sentAt, sentAt + (timeLeftSeconds - 1) * 1000),
        endsBy: now + timeLeftSeconds * 1000,
    };
    if (last.endsBy !== undefined && last.endsBy > now) {
        const together = {
            endsAfter: Math.max(end.endsAfter, last.endsAfter ?? -Infinity),
            endsBy: Math.min(end.endsBy, last.endsBy),
        };
        // Answers that cannot both hold mean Auth0's estimate moved: the latest wins.
        if (together.endsAfter < together.endsBy)
            end = together;
    }
    return { ...lookAt(end, now, timing, options), ...end };
}
/** When to look at a job whose end is known to lie in (endsAfter, endsBy]. */
function lookAt(end, now, timing, options = {}) {
    const { endsAfter, endsBy } = end;
    const middle = (endsAfter + endsBy) / 2;
    const cap = now + timing.pollMaxMs;
    if (endsBy - endsAfter > END_KNOWN_WITHIN_MS) {
        if (endsBy > cap) {
            // The latest moment within the cap that halves what is open.
            const at = middle - Math.max(0, Math.ceil((middle - cap) / 1000)) * 1000;
            if (at > now)
                return { delay: at - now };
        }
        else if (options.narrow) {
            // The first moment a whole number of seconds (at least one) before the middle half of what
            // is open: at its middle when that is still ahead.
            const margin = (endsBy - endsAfter) / 4;
            const earliest = Math.max(now, options.narrowFrom ?? now + NARROW_GAP_MS);
            const seconds = Math.floor((endsBy - margin - earliest) / 1000);
            if (seconds >= 1)
                return { delay: Math.max(earliest, middle - seconds * 1000) - now, narrows: true };
        }
    }
    const early = endsBy - timing.pollEarlyMs;
    const lookEarly = (options.lookEarly ?? true) && early > now && early > endsAfter;
    return { delay: Math.min((lookEarly ? early : endsBy) - now, timing.pollMaxMs) };
}
/** Auth0 runs at most this many import jobs per tenant; past it a create is refused and nothing created. */
const AUTH0_ACTIVE_JOBS = 2;
/** A look that narrows a job's end is skipped this close to any job's end (see mayNarrow). */
const NARROWING_CLEARS_MS = 750;
/** How long the read of an ended job waits when the bucket holds a request only for the next create. */
const READ_ENDED_LATER_MS = 500;
function message(error) {
    return error instanceof Error ? error.message : String(error);
}
async function scheduleJobs(api, chunks, options) {
    const { clock, timing, log } = options;
    const { deadline, signal } = api.context;
    const results = chunks.map((chunk) => ({ chunk, status: 'not-sent', failedUsers: [] }));
    const queue = [...results];
    const active = new Map();
    const changed = () => options.onChange?.(results);
    const progress = progressReporter(results, options, deadline);
    let jobLimitAttempts = 0;
    let submitAfter = 0;
    /** A final answer to a create: no further chunk is submitted, the jobs already running are awaited. */
    let refusedCreate;
    /** The end of waiting, for every job. */
    let stop;
    const markUnknown = (result, why) => {
        const { chunk } = result;
        result.status = 'unknown';
        result.submittedAt = clock.now();
        result.note = `${why}. Not sent again${options.fields.upsert ? '' : ', as a second job would fail every user as DUPLICATED_USER'}: check the tenant's logs for external_id ${chunk.externalId}${options.fields.upsert ? '' : ', or run again with upsert: true'}.`;
        log(`Chunk ${chunk.label}: ${result.note}`);
        changed();
    };
    /**
     * A job Auth0's own estimate says has ended holds no slot when Auth0's limit guards the slots
     * (max-concurrent-jobs at that limit): the next chunk goes first and the ended job is read after,
     * so that a rate-limit bucket with room for only some requests does not hold the next job back.
     * Were the job still running, Auth0 refuses the create (job-limit 429, nothing created) and it is
     * sent again when one of ours finishes.
     */
    const presumeEnds = options.maxConcurrentJobs >= AUTH0_ACTIVE_JOBS;
    const presumedEnded = (state) => presumeEnds && state.endsBy !== undefined && state.endsBy <= clock.now();
    const busySlots = () => {
        let busy = 0;
        for (const state of active.values())
            if (!presumedEnded(state))
                busy++;
        return busy;
    };
    /** Spare requests for an early look at every job and the creates that follow them. */
    const mayLookEarly = () => spareRequests(api.quota, clock.now()) > 2 * options.maxConcurrentJobs;
    const setNextLook = (state, next) => {
        state.interval = next.delay;
        state.at = clock.now() + next.delay;
        state.endsBy = next.endsBy;
        state.endsAfter = next.endsAfter;
        state.narrows = next.narrows;
    };
    /** How long the answers so far leave a job's end open. */
    const openMs = (state) => state.endsBy !== undefined && state.endsAfter !== undefined ? state.endsBy - state.endsAfter : Infinity;
    /**
     * A look that only narrows a job's end goes out when it holds back nothing that matters: no job
     * that has ended waits to be read, and either the bucket holds a request more than it, or no job
     * is due to end within NARROWING_CLEARS_MS (whose create or read would wait for the request it
     * took, or for the pause an emptied bucket brings) and no other job's end is known less closely
     * (the last end noticed is what the run waits for).
     */
    const mayNarrow = (state) => {
        const now = clock.now();
        for (const other of active.values())
            if (presumedEnded(other))
                return false;
        if (spareRequests(api.quota, now) >= 2)
            return true;
        for (const other of active.values()) {
            if (other.narrows && openMs(other) > openMs(state))
                return false;
            if (other.endsBy !== undefined && other.endsBy > now && other.endsBy - now < NARROWING_CLEARS_MS)
                return false;
        }
        return true;
    };
    const submitWhileSlotsFree = async () => {
        while (queue.length > 0 &&
            !stop &&
            refusedCreate === undefined &&
            busySlots() < options.maxConcurrentJobs &&
            clock.now() >= submitAfter) {
            const result = queue[0];
            const { chunk } = result;
            let outcome;
            try {
                outcome = await createJob(api, chunk, options.fields);
            }
            catch (error) {
                if ((error instanceof CancelledError || error instanceof DeadlineError) && !error.inFlight)
                    throw error;
                if (error instanceof CancelledError ||
                    error instanceof DeadlineError ||
                    error instanceof UncertainError) {
                    queue.shift();
                    markUnknown(result, error instanceof UncertainError
                        ? error.message
                        : `${error instanceof CancelledError ? 'Cancelled' : 'wait-timeout-seconds ran out'} while the request was out: Auth0 may have created the job`);
                    if (error instanceof CancelledError || error instanceof DeadlineError)
                        throw error;
                    continue;
                }
                queue.shift();
                result.status = 'refused';
                result.note = `${message(error)}. Nothing of this chunk was imported.`;
                refusedCreate = message(error);
                log(`Chunk ${chunk.label}: ${message(error)}. No further chunks are submitted.`);
                changed();
                return;
            }
            if (outcome.kind === 'job-limit') {
                // Another importer (or a job of ours whose create answer was lost) holds the tenant's slots:
                // back off, and try again at once when one of ours finishes (poll resets submitAfter).
                const waitMs = (0,auth0_timing/* backoffMs */.jo)(jobLimitAttempts++, timing.retryInitialMs * 4, timing.retryMaxMs, clock.random());
                submitAfter = clock.now() + waitMs;
                log(`Chunk ${chunk.label}: Auth0 already runs 2 import jobs in this tenant; trying again ${active.size > 0 ? 'once one of ours finishes, or ' : ''}in ${(waitMs / 1000).toFixed(1)} s`);
                return;
            }
            if (outcome.kind === 'too-large') {
                const halves = (0,users_chunks/* splitChunk */.YL)(chunk);
                queue.shift();
                if (!halves) {
                    result.status = 'refused';
                    result.note = `Auth0 refused it as too large (413) though it holds one user: shrink that user's metadata.`;
                    changed();
                    continue;
                }
                // A 413 means nothing was created: sending the halves cannot duplicate anyone.
                const split = halves.map((half) => ({
                    chunk: half,
                    status: 'not-sent',
                    failedUsers: [],
                    note: `Half of chunk ${chunk.label}, which Auth0 refused as too large (413, nothing created).`,
                }));
                results.splice(results.indexOf(result), 1, ...split);
                queue.unshift(...split);
                log(`Chunk ${chunk.label}: Auth0 refused it as too large (413, nothing created); sending it as ${halves[0].label} and ${halves[1].label}`);
                changed();
                continue;
            }
            queue.shift();
            jobLimitAttempts = 0;
            result.jobId = outcome.job.id;
            result.status = outcome.job.status === 'unknown' ? 'pending' : outcome.job.status;
            result.submittedAt = clock.now();
            active.set(result, {
                at: clock.now() + timing.pollInitialMs,
                interval: timing.pollInitialMs,
                failures: 0,
            });
            log(`Chunk ${chunk.label}: submitted ${chunk.users.length} users as job ${outcome.job.id} (external_id ${chunk.externalId})`);
            changed();
        }
    };
    const finish = async (result, id) => {
        result.finishedAt = clock.now();
        active.delete(result);
        submitAfter = Math.min(submitAfter, clock.now());
        if ((result.summary?.failed ?? 0) > 0 || result.status === 'failed') {
            try {
                const errors = await getJobErrors(api, id, result.chunk);
                result.failedUsers = errors.failedUsers;
                if (errors.statusDetails && !result.statusDetails)
                    result.statusDetails = errors.statusDetails;
            }
            catch (error) {
                if (error instanceof CancelledError || error instanceof DeadlineError)
                    throw error;
                result.note = `Could not read the job's errors: ${message(error)}`;
            }
        }
        if (result.status === 'failed' && !result.statusDetails)
            result.note ??= 'Failed; Auth0 gave no reason.';
        progress.finished(result);
        changed();
    };
    const poll = async (result, state) => {
        const id = result.jobId;
        let status;
        try {
            status = await getJob(api, id, result.chunk);
        }
        catch (error) {
            if (error instanceof CancelledError || error instanceof DeadlineError)
                throw error;
            if (isPermanentRefusal(error)) {
                stop = {
                    kind: 'refused',
                    message: `${error.message}. Waiting stopped: asking again cannot help. The jobs keep running in Auth0`,
                };
                return;
            }
            state.failures++;
            state.at =
                clock.now() + (0,auth0_timing/* backoffMs */.jo)(state.failures, timing.retryInitialMs, timing.pollMaxMs, clock.random());
            log(`Job ${id}: could not read its status (${message(error)}); trying again`);
            return;
        }
        state.failures = 0;
        if (status === 'gone') {
            result.status = 'expired';
            result.note = `Auth0 no longer knows job ${id} (404): jobs are deleted 24 hours after creation. Check the tenant's logs for external_id ${result.chunk.externalId}.`;
            await finish(result, id);
            return;
        }
        const before = `${result.status} ${result.percentageDone ?? ''}`;
        result.status = status.status;
        // A percentage belongs to a running job only: a finished one shows none.
        if (status.percentageDone !== undefined && !FINAL_STATUSES.has(status.status))
            result.percentageDone = status.percentageDone;
        else
            delete result.percentageDone;
        if (status.summary)
            result.summary = status.summary;
        if (status.statusDetails)
            result.statusDetails = status.statusDetails;
        if (`${result.status} ${result.percentageDone ?? ''}` !== before) {
            log(`Job ${id} (chunk ${result.chunk.label}): ${result.status}${result.percentageDone !== undefined ? `, ${result.percentageDone}%` : ''}`);
        }
        if (!isFinal(result)) {
            const next = nextPoll(state, status.timeLeftSeconds, clock.now(), timing, {
                ...(status.sentAt !== undefined ? { sentAt: status.sentAt } : {}),
                lookEarly: mayLookEarly(),
                narrow: true,
            });
            setNextLook(state, next);
            changed();
            return;
        }
        await finish(result, id);
    };
    try {
        for (;;) {
            await submitWhileSlotsFree();
            if (stop)
                break;
            const submittedAll = queue.length === 0 || refusedCreate !== undefined;
            if (submittedAll && (active.size === 0 || !options.wait))
                break;
            if (clock.now() >= deadline)
                throw new DeadlineError('while waiting for the jobs');
            const due = [...active.values()].map((state) => state.at);
            if (!submittedAll && busySlots() < options.maxConcurrentJobs)
                due.push(submitAfter);
            else if (!submittedAll && presumeEnds) {
                // The next estimated end, when a slot frees for the next chunk.
                for (const state of active.values()) {
                    if (state.endsBy !== undefined && state.endsBy > clock.now())
                        due.push(state.endsBy);
                }
            }
            if (options.wait)
                due.push(progress.nextAt());
            const next = Math.min(deadline, ...due);
            await clock.sleep(next - clock.now(), signal);
            if (signal.aborted)
                throw new CancelledError();
            // A slot a job's estimated end freed is used before the jobs are read.
            await submitWhileSlotsFree();
            for (const [result, state] of [...active]) {
                if (state.at > clock.now() || stop)
                    continue;
                // Reading a job that has ended can wait for the bucket; sending the next chunk cannot.
                if (presumedEnded(state) && queue.length > 0 && spareRequests(api.quota, clock.now()) < 2) {
                    state.at = clock.now() + READ_ENDED_LATER_MS;
                    continue;
                }
                if (state.narrows && state.endsBy !== undefined && state.endsAfter !== undefined) {
                    // A look that narrows goes out now only if now still narrows (an earlier request or the
                    // client's pause for the rate limit may have held it back) and it holds back nothing.
                    const end = { endsBy: state.endsBy, endsAfter: state.endsAfter };
                    const now = clock.now();
                    const sendsAt = Math.max(now, api.quietUntil);
                    const plan = (narrowFrom) => ({
                        ...lookAt(end, now, timing, { narrow: true, lookEarly: mayLookEarly(), narrowFrom }),
                        ...end,
                    });
                    let next = plan(sendsAt);
                    if (next.narrows && next.delay === 0) {
                        if (mayNarrow(state)) {
                            await poll(result, state);
                            continue;
                        }
                        // A little later, while that still narrows; else the end is looked at as usual.
                        next = plan(now + NARROW_GAP_MS);
                    }
                    setNextLook(state, next);
                    continue;
                }
                await poll(result, state);
            }
            progress.maybeReport(queue.length, active.size);
        }
    }
    catch (error) {
        if (error instanceof CancelledError) {
            stop = { kind: 'cancelled', message: 'The run was cancelled' };
        }
        else if (error instanceof DeadlineError) {
            stop = { kind: 'deadline', message: error.message };
        }
        else
            throw error;
    }
    if (!stop && refusedCreate !== undefined)
        stop = { kind: 'refused', message: refusedCreate };
    for (const result of queue) {
        result.note ??=
            refusedCreate !== undefined
                ? 'Not sent: an earlier chunk was refused.'
                : stop?.kind === 'cancelled'
                    ? 'Not sent: the run was cancelled first.'
                    : stop?.kind === 'refused'
                        ? 'Not sent: Auth0 refused the credentials.'
                        : 'Not sent: wait-timeout-seconds ran out first.';
    }
    if (stop) {
        log(`Chunks when the run stopped (${stop.kind}):`);
        for (const result of results) {
            log(`  chunk ${result.chunk.label}: ${result.jobId ?? `external_id ${result.chunk.externalId}`} — ${result.status}`);
        }
    }
    const rate = progress.usersPerMinute();
    return { results, ...(stop ? { stop } : {}), ...(rate !== undefined ? { usersPerMinute: rate } : {}) };
}
/** Minutes and seconds, as a person reads a duration: "4m 05s", "1h 02m", "12s". */
function formatDuration(ms) {
    const seconds = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    if (h > 0)
        return `${h}h ${String(m).padStart(2, '0')}m`;
    if (m > 0)
        return `${m}m ${String(s).padStart(2, '0')}s`;
    return `${s}s`;
}
/**
 * Progress while waiting: a line at least every progressEveryMs with chunks done / in flight / left,
 * users imported, elapsed time and an ETA from the jobs finished so far; and, once the measured rate
 * says the rest cannot finish before the deadline, one warning saying what to do.
 */
function progressReporter(results, options, deadline) {
    const { clock, timing, log, warn } = options;
    const started = clock.now();
    let lastReport = started;
    let warned = false;
    let usersDone = 0;
    let lastFinish;
    // Jobs run side by side: a job's own pace times the slots is what the tenant gets through.
    let jobUsers = 0;
    let jobMs = 0;
    const totalUsers = () => results.reduce((sum, result) => sum + result.chunk.users.length, 0);
    const usersPerMinute = () => {
        if (usersDone === 0 || lastFinish === undefined || lastFinish <= started)
            return undefined;
        return (usersDone / (lastFinish - started)) * 60_000;
    };
    const pacePerMinute = () => jobMs > 0 ? (jobUsers / jobMs) * 60_000 * options.maxConcurrentJobs : undefined;
    const remainingMs = () => {
        const pace = pacePerMinute();
        return pace === undefined ? undefined : ((totalUsers() - usersDone) / pace) * 60_000;
    };
    return {
        usersPerMinute,
        nextAt: () => lastReport + timing.progressEveryMs,
        finished(result) {
            if (result.status !== 'completed')
                return;
            usersDone += result.chunk.users.length;
            lastFinish = clock.now();
            if (result.submittedAt !== undefined && clock.now() > result.submittedAt) {
                jobUsers += result.chunk.users.length;
                jobMs += clock.now() - result.submittedAt;
            }
            const left = remainingMs();
            if (warned || left === undefined || usersDone === totalUsers())
                return;
            const available = deadline - clock.now();
            if (left <= available)
                return;
            warned = true;
            warn(`At the measured ${Math.round(pacePerMinute())} users/min the remaining ${totalUsers() - usersDone} users need about ${formatDuration(left)}, but wait-timeout-seconds leaves ${formatDuration(available)}: split the users file across runs, set wait: false, or raise wait-timeout-seconds (a GitHub-hosted job stops at 6 hours).`);
        },
        maybeReport(left, inFlight) {
            if (clock.now() < lastReport + timing.progressEveryMs)
                return;
            lastReport = clock.now();
            const done = results.filter(isFinal).length;
            const eta = remainingMs();
            log(`Progress: ${done} of ${results.length} chunks done, ${inFlight} in flight, ${left} left; ${usersDone} of ${totalUsers()} users imported; ${formatDuration(clock.now() - started)} elapsed${eta === undefined
                ? ''
                : `; about ${formatDuration(eta)} left at ${Math.round(pacePerMinute())} users/min`}`);
        },
    };
}

// EXTERNAL MODULE: ./src/users/exact-json.ts
var exact_json = __webpack_require__(1254);
// EXTERNAL MODULE: ./src/users/json-value.ts
var json_value = __webpack_require__(1296);
// EXTERNAL MODULE: ./src/users/schema.ts + 10 modules
var schema = __webpack_require__(4146);
;// CONCATENATED MODULE: ./src/auth0/tenant-user.ts
/**
 * A tenant's user as a users file would hold it: only the attributes a file can hold, `user_id` as
 * the file gives it, numbers exact. The plan compares it with the file's user attribute by attribute.
 */



/** Auth0 keeps these but never exports them (nor answers them through the Users API). */
const NEVER_EXPORTED = new Set(['password_hash', 'custom_password_hash', 'mfa_factors']);
/**
 * The root attributes a users file can hold that an export can bring back: what an export job is asked
 * for (Auth0 takes at most 30 fields; with `json` a root object such as `app_metadata` comes whole).
 */
const EXPORTED_ATTRIBUTES = Object.keys(schema/* UserSchema */.h.shape).filter((name) => !NEVER_EXPORTED.has(name));
/** Auth0 writes `auth0|` before the user_id a file gives (or before one it makes up). */
const AUTH0_PREFIX = 'auth0|';
/**
 * An exported user in file shape: only the attributes a users file can hold, `user_id` without the
 * `auth0|` Auth0 put before it (a file's `user_id` is what Auth0 prefixes). `identities`, `created_at`
 * and the like are dropped.
 */
function fileShapeOf(exported) {
    const user = {};
    for (const name of EXPORTED_ATTRIBUTES) {
        if (exported[name] !== undefined)
            user[name] = exported[name];
    }
    if (typeof user.user_id === 'string' && user.user_id.startsWith(AUTH0_PREFIX))
        user.user_id = user.user_id.slice(AUTH0_PREFIX.length);
    return user;
}
class ExportLineError extends Error {
}
/** Parses one line of an export; `line` counts from 1, for the message. */
function tenantUserOf(text, line) {
    let parsed;
    try {
        parsed = (0,exact_json/* parseExact */.jM)(text);
    }
    catch {
        // JSON.parse's message quotes the text around the fault: a user's data, never shown.
        throw new ExportLineError(`line ${line} of the export is not JSON`);
    }
    if (!(0,json_value/* isJsonObject */.O)(parsed))
        throw new ExportLineError(`line ${line} of the export is not a JSON object`);
    const user = fileShapeOf(parsed);
    return {
        key: typeof user.email === 'string' ? user.email.toLowerCase() : undefined,
        user,
        text: (0,exact_json/* canonical */.$N)(user),
    };
}

;// CONCATENATED MODULE: ./src/auth0/export.ts
/**
 * Reading what a tenant holds: an export job for one connection, polled as an import job is, then its
 * file downloaded from the pre-signed `location` and read as it arrives, one user a line.
 */






/** The export cannot give the tenant's users: the message says why and what to do. */
class ExportError extends Error {
}
/** No answer from the file's host, or the file stopped (or its gzip broke) part way: worth another try. */
class BrokenDownload extends Error {
}
/**
 * Auth0's `location` is valid for 60 seconds. One older than this when the download starts is renewed
 * first, by reading the job again, rather than sent to be refused.
 */
const LINK_FRESH_MS = 50_000;
const FILE_LABEL = 'export file';
/** Reads a connection's users through an export job and hands each to `sink`. Needs `read:users`. */
async function forEachTenantUser(api, request, edge, sink) {
    const started = edge.clock.now();
    const jobId = await startExport(api, request.connectionId);
    edge.log(`Export job ${jobId}: reading the users of connection ${request.connectionId}`);
    const link = await waitForExport(api, jobId, edge);
    const read = await downloadUsers(api, jobId, link, edge, sink);
    edge.log(`Export job ${jobId}: read ${read.users} users (${megabytes(read.bytes)} downloaded) in ${formatDuration(edge.clock.now() - started)}`);
    return { jobId, ...read };
}
/**
 * Every user of a connection as a compact text keyed by email. Memory grows with the users kept (about
 * their canonical JSON each); the reading itself holds one piece of the file at a time.
 */
async function readTenantUsers(api, request, edge) {
    const byEmail = new Map();
    const withoutEmail = [];
    let repeatedEmails = 0;
    const report = await forEachTenantUser(api, request, edge, {
        add({ key, text }) {
            if (key === undefined)
                withoutEmail.push(text);
            else if (byEmail.has(key))
                repeatedEmails++;
            else
                byEmail.set(key, text);
        },
        restart() {
            byEmail.clear();
            withoutEmail.length = 0;
            repeatedEmails = 0;
        },
    });
    if (repeatedEmails > 0) {
        edge.log(`Export job ${report.jobId}: ${repeatedEmails} users have an email an earlier user of the export has (in another case); the first of each is kept`);
    }
    return {
        jobId: report.jobId,
        byEmail,
        withoutEmail,
        repeatedEmails,
        users: report.users,
        bytes: report.bytes,
    };
}
/** Creates the export job. Sending it twice only makes a second export, so it is repeatable. */
async function startExport(api, connectionId) {
    const response = await api.send({
        method: 'POST',
        path: '/api/v2/jobs/users-exports',
        body: {
            contentType: 'application/json',
            data: JSON.stringify({
                connection_id: connectionId,
                format: 'json',
                fields: EXPORTED_ATTRIBUTES.map((name) => ({ name })),
            }),
        },
        repeatable: true,
    });
    const id = response.body?.id;
    if (response.status < 200 || response.status >= 300 || typeof id !== 'string' || id === '') {
        throw new Auth0Error(response.status, response.body, `Starting an export of the users of connection ${connectionId} (needs the read:users scope)`);
    }
    return id;
}
function vanished(jobId) {
    return new ExportError(`Export job ${jobId} vanished: Auth0 answered 404 for it (jobs are deleted after 24 hours). Run again for a new export.`);
}
/**
 * Polls the job as an import job is polled, until it completes, and gives its download link; any other
 * end is an ExportError.
 */
async function waitForExport(api, jobId, edge) {
    const { clock, timing, log } = edge;
    let last = { interval: timing.pollInitialMs };
    let at = clock.now() + last.interval;
    let failures = 0;
    let said = '';
    for (;;) {
        await sleepUntil(api, clock, at, `while waiting for export job ${jobId}`);
        let status;
        try {
            status = await getJob(api, jobId);
        }
        catch (error) {
            if (error instanceof CancelledError || error instanceof DeadlineError || isPermanentRefusal(error))
                throw error;
            if (++failures >= timing.maxAttempts) {
                throw new ExportError(`Could not read export job ${jobId} (${export_message(error)}). Run again later.`);
            }
            at = clock.now() + (0,auth0_timing/* backoffMs */.jo)(failures, timing.retryInitialMs, timing.pollMaxMs, clock.random());
            log(`Export job ${jobId}: could not read its status (${export_message(error)}); trying again`);
            continue;
        }
        const answeredAt = clock.now();
        failures = 0;
        if (status === 'gone')
            throw vanished(jobId);
        const saying = `${status.status}${status.percentageDone !== undefined ? `, ${status.percentageDone}%` : ''}`;
        if (saying !== said)
            log(`Export job ${jobId}: ${saying}`);
        said = saying;
        if (status.status === 'completed') {
            if (status.location === undefined)
                throw new ExportError(`Export job ${jobId} completed without a download location. Run again.`);
            return { url: status.location, at: answeredAt };
        }
        if (status.status === 'failed') {
            throw new ExportError(`Export job ${jobId} failed${status.statusDetails ? `: ${status.statusDetails}` : '; Auth0 gave no reason'}. Run again; if it fails again, check the tenant's logs.`);
        }
        if (status.status === 'expired') {
            throw new ExportError(`Export job ${jobId} expired before its file was read. Run again for a new export.`);
        }
        const { delay, ...end } = nextPoll(last, status.timeLeftSeconds, clock.now(), timing, {
            ...(status.sentAt !== undefined ? { sentAt: status.sentAt } : {}),
        });
        last = { interval: delay, ...end };
        at = clock.now() + delay;
    }
}
/** A fresh `location`: Auth0 gives a new one each time a completed export job is read. */
async function freshLink(api, jobId, clock) {
    const status = await getJob(api, jobId);
    if (status === 'gone')
        throw vanished(jobId);
    if (status.location === undefined) {
        throw new ExportError(`Export job ${jobId} no longer gives a download location (${status.status}). Run again.`);
    }
    return { url: status.location, at: clock.now() };
}
/**
 * Downloads the file and hands its users to the sink. A refused link (expired, or the host's 403) is
 * renewed by reading the job again; a broken download is read again from its start, with a fresh link;
 * at most `timing.maxAttempts` downloads in all.
 */
async function downloadUsers(api, jobId, first, edge, sink) {
    const { clock, timing, log } = edge;
    let link = first;
    let added = false;
    for (let attempt = 1;; attempt++) {
        if (clock.now() - link.at > LINK_FRESH_MS) {
            log(`Export job ${jobId}: the download link is over ${LINK_FRESH_MS / 1000} s old; asking for a fresh one`);
            link = await freshLink(api, jobId, clock);
        }
        let failure;
        let refused = false;
        try {
            const response = await api.download(link.url, FILE_LABEL).catch((error) => {
                if (error instanceof CancelledError || error instanceof DeadlineError)
                    throw error;
                throw new BrokenDownload(export_message(error));
            });
            if (response.status === 200) {
                if (added)
                    sink.restart();
                added = true;
                return await readUsers(api, jobId, response, edge, sink);
            }
            refused = response.status === 403;
            failure = `the file's host answered ${response.status}${await hostReason(response)}`;
        }
        catch (error) {
            if (error instanceof NdjsonError || error instanceof ExportLineError)
                throw new ExportError(`Export job ${jobId}: ${error.message}; the tenant's users cannot be read from it.`);
            if (!(error instanceof BrokenDownload))
                throw error;
            failure = `the download broke (${error.message})`;
        }
        if (attempt >= timing.maxAttempts) {
            throw new ExportError(`Could not download the file of export job ${jobId} after ${attempt} attempts: ${failure}. Run again later.`);
        }
        // A 403 is the link (expired, or refused): a new one helps at once. Anything else waits a little.
        if (!refused) {
            await sleepUntil(api, clock, clock.now() + (0,auth0_timing/* backoffMs */.jo)(attempt - 1, timing.retryInitialMs, timing.retryMaxMs, clock.random()), `before downloading the file of export job ${jobId} again`);
        }
        log(`Export job ${jobId}: ${failure}; downloading again with a fresh link`);
        link = await freshLink(api, jobId, clock);
    }
}
async function readUsers(api, jobId, response, edge, sink) {
    const { clock, timing, log } = edge;
    const { signal, deadline } = api.context;
    let users = 0;
    let bytes = 0;
    let reportAt = clock.now() + timing.progressEveryMs;
    async function* counted() {
        for await (const piece of response.body) {
            bytes += piece.length;
            yield piece;
        }
    }
    /** The file's bytes, any failure to get them (the connection, gzip) told apart from the sink's own. */
    async function* received() {
        try {
            yield* inflated(counted());
        }
        catch (error) {
            throw signal.aborted ? new CancelledError() : new BrokenDownload(export_message(error));
        }
    }
    try {
        for await (const lines of ndjsonLines(received())) {
            for (const line of lines)
                sink.add(tenantUserOf(line, ++users));
            // The whole file may have arrived already: cancellation must not wait for its end.
            if (signal.aborted)
                throw new CancelledError();
            if (clock.now() >= deadline)
                throw new DeadlineError(`while downloading the file of export job ${jobId}`);
            if (clock.now() >= reportAt) {
                reportAt = clock.now() + timing.progressEveryMs;
                log(`Export job ${jobId}: ${users} users read, ${megabytes(bytes)} downloaded`);
            }
        }
    }
    finally {
        response.body.destroy();
    }
    return { users, bytes };
}
/** S3's reason for a refusal (`AccessDenied: Request has expired`): its own codes, safe to show. */
async function hostReason(response) {
    let text = '';
    try {
        for await (const piece of response.body) {
            text += piece.toString('utf8');
            if (text.length > 4096)
                break;
        }
    }
    catch {
        // The reason is a courtesy: the status says enough.
    }
    finally {
        response.body.destroy();
    }
    const code = /<Code>([A-Za-z]{1,60})<\/Code>/.exec(text)?.[1];
    const said = /<Message>([^<]{1,200})<\/Message>/.exec(text)?.[1];
    return code ? ` ${code}${said ? ` (${said})` : ''}` : '';
}
/** Waits until `time`, cut short by cancellation; the deadline ends the wait with a DeadlineError. */
async function sleepUntil(api, clock, time, what) {
    const { signal, deadline } = api.context;
    if (signal.aborted)
        throw new CancelledError();
    if (clock.now() >= deadline)
        throw new DeadlineError(what);
    await clock.sleep(Math.min(time, deadline) - clock.now(), signal);
    if (signal.aborted)
        throw new CancelledError();
    if (clock.now() >= deadline)
        throw new DeadlineError(what);
}
function megabytes(bytes) {
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
function export_message(error) {
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./src/auth0/users.ts
/** The Users API calls reconciling needs: find users by email, update one, delete one, name a connection. */

function isUser(value) {
    return !!value && typeof value === 'object' && typeof value.user_id === 'string';
}
/**
 * Users of every connection with exactly this email (`read:users`). Auth0 matches case-sensitively and
 * database connections keep emails lower-cased: ask with the lower-cased email. A linked account is
 * answered as its primary user.
 */
async function usersByEmail(api, email) {
    const response = await api.send({
        method: 'GET',
        path: `/api/v2/users-by-email?email=${encodeURIComponent(email)}`,
        repeatable: true,
    });
    if (response.status !== 200)
        throw new Auth0Error(response.status, response.body, `Finding ${email}`);
    return Array.isArray(response.body) ? response.body.filter(isUser) : [];
}
/** One user by its full id (`auth0|…`, `read:users`); undefined when Auth0 answers 404. */
async function userById(api, userId) {
    const response = await api.send({
        method: 'GET',
        path: `/api/v2/users/${encodeURIComponent(userId)}`,
        repeatable: true,
    });
    if (response.status === 404)
        return undefined;
    if (response.status !== 200 || !isUser(response.body))
        throw new Auth0Error(response.status, response.body, `Reading ${userId}`);
    return response.body;
}
/** A user of `connection` in its own right: its primary identity (`identities[0]`) is there. */
function isPrimaryIn(user, connection) {
    return user.identities?.[0]?.connection === connection;
}
/** A user of another connection that a `connection` identity was linked into: never ours to change. */
function isLinkedFrom(user, connection) {
    return (!isPrimaryIn(user, connection) &&
        !!user.identities?.some((identity) => identity.connection === connection));
}
/** Sets attributes of one user (`update:users`); setting the same values twice is harmless. */
async function updateUser(api, userId, body) {
    const response = await api.send({
        method: 'PATCH',
        path: `/api/v2/users/${encodeURIComponent(userId)}`,
        body: { contentType: 'application/json', data: JSON.stringify(body) },
        repeatable: true,
    });
    if (response.status < 200 || response.status >= 300)
        throw new Auth0Error(response.status, response.body, `Updating ${userId}`);
}
/** Deletes one user (`delete:users`); Auth0 answers 204 whether or not it existed. */
async function deleteUser(api, userId) {
    const response = await api.send({
        method: 'DELETE',
        path: `/api/v2/users/${encodeURIComponent(userId)}`,
        repeatable: true,
    });
    if (response.status < 200 || response.status >= 300)
        throw new Auth0Error(response.status, response.body, `Deleting ${userId}`);
}
/** The name of a database connection given by id (`read:connections`): users name their connection by it. */
async function connectionNameOf(api, connectionId) {
    const response = await api.send({
        method: 'GET',
        path: '/api/v2/connections?strategy=auth0',
        repeatable: true,
    });
    if (response.status !== 200)
        throw new Auth0Error(response.status, response.body, `Looking up connection ${connectionId}`);
    const found = Array.isArray(response.body)
        ? response.body.find((connection) => connection.id === connectionId)
        : undefined;
    if (typeof found?.name !== 'string')
        throw new Error(`connection-id: no database connection ${connectionId} in this tenant`);
    return found.name;
}

;// CONCATENATED MODULE: ./src/auth0/reconcile.ts
/**
 * Carries out the reconcile actions the plan found, one user at a time through the Users API, each
 * only once the import has said how that user fared: a change to a user whose import failed, or a
 * removal while a user this run adds is not imported (it may be the same person under a new email),
 * is held back. Each user is found exactly: by its user_id, else by its lower-cased email, and only
 * when our connection is its primary identity (a linked account is never changed). It compares
 * before it changes anything (a second run changes nothing) and leaves room in the rate-limit bucket
 * for the tenant's own traffic. A user that cannot be found, is found twice, or is refused is
 * reported and the others go on.
 */



/** Share of the bucket left for the tenant's own traffic: reconciling waits rather than take it. */
const HEADROOM = 0.2;
/**
 * How long to wait before the next request: none while x-ratelimit-remaining is above the headroom,
 * else until the bucket (refilling evenly until x-ratelimit-reset, when it is full) is above it again.
 */
function headroomWaitMs(quota, now) {
    if (!quota || quota.limit <= 0)
        return 0;
    const reserve = Math.max(1, Math.ceil(quota.limit * HEADROOM));
    if (quota.remaining > reserve)
        return 0;
    const untilFull = Math.max(0, quota.reset * 1000 - now);
    const missing = quota.limit - quota.remaining;
    if (missing <= 0)
        return 0;
    return (untilFull * (reserve + 1 - quota.remaining)) / missing;
}
async function leaveHeadroom(api, clock) {
    const waitMs = headroomWaitMs(api.quota, clock.now());
    if (waitMs > 0)
        await api.waitUntil(clock.now() + waitMs, 'leaving rate-limit room for the tenant while reconciling');
}
function describe(error) {
    return error instanceof Error ? error.message : String(error);
}
/** Reads each sent user's fate from the chunks' results; a failed user is matched back by its line. */
function importFates(results) {
    const notImported = new Map();
    const inJobsThatUpdated = [];
    for (const result of results) {
        const job = result.jobId ? `job ${result.jobId}` : `chunk ${result.chunk.label}`;
        const rejected = new Map(result.failedUsers.flatMap((user) => user.file ? [[`${user.file}:${user.line}`, user.codes.join(', ')]] : []));
        // Rejections Auth0's echo could not tie to a line leave every user of the job in doubt.
        const untold = (result.summary?.failed ?? 0) > rejected.size;
        for (const user of result.chunk.users) {
            let why;
            if (result.status === 'completed') {
                const codes = rejected.get(`${user.file}:${user.line}`);
                if (codes !== undefined)
                    why = `Auth0 rejected it (${codes || 'no code'}) in ${job}`;
                else if (untold)
                    why = `${job} rejected users it could not be matched to`;
            }
            else if (result.status === 'not-sent' || result.status === 'refused')
                why = `it was not sent`;
            else if (result.status === 'unknown')
                why = `the answer to its ${job} create was lost`;
            else if (result.status === 'failed' || result.status === 'expired')
                why = `${job} ${result.status}`;
            else
                why = `${job} is still ${result.status}`;
            if (why)
                notImported.set(user.ordinal, why);
            else if ((result.summary?.updated ?? 0) > 0 && result.submittedAt !== undefined)
                inJobsThatUpdated.push({ user, submittedAt: result.submittedAt });
        }
    }
    return { notImported, inJobsThatUpdated };
}
/**
 * Why an action must wait for a later run, or undefined when it may go: a change to a user whose import
 * did not succeed; a removal while a user this run adds is not imported.
 */
function holdBack(action, fates, isAdded) {
    if (action.kind === 'update' || action.kind === 'rename') {
        const why = fates.notImported.get(action.user.ordinal);
        return why && `not applied: the import of this user failed (${why})`;
    }
    const added = [...fates.notImported].filter(([ordinal]) => isAdded(ordinal));
    if (added.length === 0)
        return undefined;
    return `not applied: the import of ${added.length === 1 ? 'a user' : `${added.length} users`} this run adds failed (${added[0][1]}), and ${action.email} may be the same person under a new email; run again once the import succeeds`;
}
/**
 * Finds the user a file means: by user_id when the file gives one (`auth0|<user_id>` in a database
 * connection; it survives an email changed in the dashboard), else by the lower-cased email. Only a
 * user whose primary identity is our connection counts.
 */
async function lookUp(api, clock, who, connection) {
    const fullId = who.userId === undefined ? undefined : `auth0|${who.userId}`;
    if (fullId) {
        await leaveHeadroom(api, clock);
        const user = await userById(api, fullId);
        if (user && isPrimaryIn(user, connection))
            return { found: user };
    }
    await leaveHeadroom(api, clock);
    const email = who.email.toLowerCase();
    const withEmail = await usersByEmail(api, email);
    const ours = withEmail.filter((user) => isPrimaryIn(user, connection) && (fullId === undefined || user.user_id === fullId));
    if (ours.length > 1)
        return { ambiguous: ours.length };
    if (ours[0])
        return { found: ours[0] };
    const linked = withEmail.find((user) => isLinkedFrom(user, connection));
    if (linked)
        return { linked };
    const other = fullId ? withEmail.find((user) => isPrimaryIn(user, connection)) : undefined;
    return {
        missing: `no user ${fullId ? `${fullId} nor ` : ''}with the email ${email} in ${connection}${other ? ` (${other.user_id} has that email, not the file's user_id)` : ''}`,
    };
}
/** Identity attributes of a database user: changing one needs `connection` in the body. */
const NEEDS_CONNECTION = ['email', 'username', 'phone_number'];
/** Metadata after a PATCH, which merges one level deep (null removes a key). */
function merged(current, given) {
    const result = current && typeof current === 'object' ? { ...current } : {};
    for (const [key, value] of Object.entries(given)) {
        if (value === null)
            delete result[key];
        else
            result[key] = value;
    }
    return result;
}
function same(a, b) {
    if (a && b && typeof a === 'object' && typeof b === 'object') {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].every((key) => same(a[key], b[key]));
    }
    return JSON.stringify(a) === JSON.stringify(b);
}
/** What of `set` the user does not have yet; an attribute it lacks has Auth0's default. */
function missingFrom(user, set) {
    const changes = {};
    for (const [key, value] of Object.entries(set)) {
        const current = user[key] ?? plan_reconcile/* AUTH0_DEFAULTS */.Ck[key];
        const after = key.endsWith('_metadata') ? merged(current, value) : value;
        if (!same(current, after))
            changes[key] = value;
    }
    // Auth0 resets email_verified when the email changes unless the same request sets it.
    if ('email' in changes && 'email_verified' in set)
        changes.email_verified = set.email_verified;
    return changes;
}
async function patch(api, clock, user, body, connection) {
    await leaveHeadroom(api, clock);
    const withConnection = Object.keys(body).some((key) => NEEDS_CONNECTION.includes(key))
        ? { ...body, connection }
        : body;
    await updateUser(api, user.user_id, withConnection);
}
const VERBS = { update: 'changed', rename: 'renamed', block: 'blocked', delete: 'deleted' };
function whoOf(action) {
    if (action.kind === 'rename')
        return { email: action.from, userId: action.user.userId };
    if (action.kind === 'update')
        return { email: action.email, userId: action.user.userId };
    return { email: action.email, userId: action.userId };
}
/** Whether Auth0 created the user before `time` (clock ms); a user without created_at counts as old. */
function createdBefore(user, time) {
    const created = typeof user.created_at === 'string' ? Date.parse(user.created_at) : Number.NaN;
    return !(created >= time);
}
/** What became of one action; undefined for an added user the import itself created (nothing to do). */
async function carryOut(api, action, edge) {
    const { clock, connection } = edge;
    const who = whoOf(action);
    const lookup = await lookUp(api, clock, who, connection);
    if ('ambiguous' in lookup)
        return {
            action,
            outcome: 'failed',
            detail: `${lookup.ambiguous} users of ${connection} have the email ${who.email.toLowerCase()}: fix it in the dashboard`,
        };
    if ('linked' in lookup) {
        const primary = lookup.linked;
        return {
            action,
            outcome: 'failed',
            detail: `not ${VERBS[action.kind]}: ${who.email} is linked into ${primary.user_id} (primary identity in ${primary.identities?.[0]?.connection ?? 'another connection'}), and a change would reach that account; unlink it in the Auth0 dashboard (Users > ${primary.user_id} > Accounts) and run again, or change it there by hand`,
        };
    }
    if ('missing' in lookup) {
        // Not found is never taken for done: the file's user_id or email may not be the tenant's.
        const gone = action.kind === 'block' || action.kind === 'delete'
            ? `: not ${VERBS[action.kind]}. If it was deleted in the dashboard, nothing is left to do; otherwise find it in the dashboard and ${action.kind} it by hand`
            : '';
        return { action, outcome: 'failed', detail: `${lookup.missing}${gone}` };
    }
    const found = lookup.found;
    if (action.kind === 'update' &&
        action.existedBefore !== undefined &&
        !createdBefore(found, action.existedBefore))
        return undefined;
    switch (action.kind) {
        case 'update':
        case 'rename': {
            const changes = missingFrom(found, action.set);
            if (Object.keys(changes).length === 0)
                return { action, outcome: 'skipped', detail: `already so (${found.user_id})` };
            await patch(api, clock, found, changes, connection);
            const renamed = action.kind === 'rename' && 'email' in changes ? `${action.from} → ${action.email}; ` : '';
            return {
                action,
                outcome: 'done',
                detail: `${renamed}set ${Object.keys(changes).join(', ')} on ${found.user_id}`,
            };
        }
        case 'block':
            if (found.blocked === true)
                return { action, outcome: 'skipped', detail: `already blocked (${found.user_id})` };
            await patch(api, clock, found, { blocked: true }, connection);
            return { action, outcome: 'done', detail: `blocked ${found.user_id}` };
        case 'delete':
            await leaveHeadroom(api, clock);
            await deleteUser(api, found.user_id);
            return { action, outcome: 'done', detail: `deleted ${found.user_id}` };
    }
}
/**
 * Each action in turn, unless `holdBack` says it must wait; a cancellation or the deadline leaves the
 * rest not done (and says so).
 */
async function reconcileUsers(api, actions, edge) {
    const results = [];
    for (const [i, action] of actions.entries()) {
        const held = edge.holdBack(action);
        if (held) {
            edge.log(`Reconcile ${action.kind} ${action.email}: held back, ${held}`);
            results.push({ action, outcome: 'held-back', detail: held });
            continue;
        }
        try {
            const result = await carryOut(api, action, edge);
            if (!result)
                continue;
            edge.log(`Reconcile ${action.kind} ${action.email}: ${result.outcome}, ${result.detail}`);
            results.push(result);
        }
        catch (error) {
            if (error instanceof CancelledError || error instanceof DeadlineError || isPermanentRefusal(error)) {
                const why = error instanceof CancelledError
                    ? 'the run was cancelled first'
                    : error instanceof DeadlineError
                        ? 'wait-timeout-seconds ran out first'
                        : `Auth0 refused the credentials (${describe(error)})`;
                for (const rest of actions.slice(i))
                    results.push({ action: rest, outcome: 'not-done', detail: why });
                return { results, stopped: why };
            }
            edge.log(`Reconcile ${action.kind} ${action.email}: failed, ${describe(error)}`);
            results.push({ action, outcome: 'failed', detail: describe(error) });
        }
    }
    return { results };
}

;// CONCATENATED MODULE: ./src/auth0/token.ts
/** Management API tokens: from the client-credentials grant, or given as they are. */

const WRONG_CREDENTIALS = 'Auth0 refused client-id / client-secret: copy both from Auth0 dashboard > Applications > (your application) > Settings into the repository secrets.';
/**
 * What a token error means in the Auth0 dashboard. Decided on the status and the description, not
 * on `error` alone: a wrong secret comes back as 401 `invalid_client` or as 401 `access_denied`
 * "Unauthorized", while 403 `access_denied` means the application has no grant.
 */
function tokenErrorAdvice(response) {
    const { code, message } = describeBody(response.body);
    if (response.status === 401)
        return WRONG_CREDENTIALS;
    if (response.status === 429)
        return 'The token endpoint is rate limited: wait a minute and run again.';
    if (code === 'unauthorized_client')
        return 'The application may not use the client-credentials grant: enable "Client Credentials" in Auth0 dashboard > Applications > (your application) > Advanced Settings > Grant Types.';
    if (response.status === 403 && /service not found|audience/i.test(message))
        return "Auth0 does not know that audience: leave audience empty, or set it to https://<canonical domain>/api/v2/ (the tenant's own domain, not a custom domain).";
    if (response.status === 403)
        return 'The application may not call the Management API: in Auth0 dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications, authorise it and grant create:users (and the other scopes your inputs need).';
    if (code === 'invalid_client')
        return WRONG_CREDENTIALS;
    return 'Check domain, client-id and client-secret.';
}
class TokenError extends Error {
}
/** Scopes granted to a token, when knowable: from the grant's answer or a JWT's payload. */
function scopesOf(scope) {
    return typeof scope === 'string' ? scope.split(/\s+/).filter(Boolean) : undefined;
}
function scopesOfJwt(token) {
    const payload = token.split('.')[1];
    if (!payload || token.split('.').length !== 3)
        return undefined;
    try {
        return scopesOf(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).scope);
    }
    catch {
        return undefined;
    }
}
/** How long before a token's expiry it is renewed: a minute, or a third of its life when that is shorter. */
function renewalMarginMs(expiresInSeconds) {
    return Math.min(60_000, (expiresInSeconds * 1000) / 3);
}
class ManagementTokens {
    /** Scopes of the current token, undefined when Auth0 did not say. */
    scopes;
    #token;
    #current;
    #api;
    #credentials;
    #setSecret;
    #now;
    constructor(api, credentials, setSecret, now = Date.now) {
        this.#api = api;
        this.#credentials = credentials;
        this.#setSecret = setSecret;
        this.#now = now;
        if (credentials.kind === 'token') {
            this.#current = { value: credentials.token, renewAt: Infinity, afterRefusal: false };
            this.#token = Promise.resolve(this.#current);
            this.scopes = scopesOfJwt(credentials.token);
        }
    }
    async token() {
        // Renewed ahead of its expiry: a tenant may give Management API tokens a lifetime of seconds.
        if (this.#current && this.#now() >= this.#current.renewAt)
            this.#renew(false);
        // Concurrent requests share one grant request.
        this.#token ??= this.#fetch().then((token) => (this.#current = token), (error) => {
            this.#token = undefined;
            throw error;
        });
        return (await this.#token).value;
    }
    renewAfterRefusal(refused) {
        const current = this.#current;
        if (current?.value !== refused)
            return true;
        // A token given as it is cannot be renewed. A token from the grant (or renewed ahead of its expiry)
        // that Auth0 refuses has expired early or was revoked: renew it once. A refusal of the token that
        // replaced it means the credentials themselves are refused: that is for good.
        if (this.#credentials.kind === 'token' || current.afterRefusal)
            return false;
        this.#renew(true);
        return true;
    }
    #renew(afterRefusal) {
        this.#current = undefined;
        this.#token = this.#fetch(afterRefusal).then((token) => (this.#current = token), (error) => {
            this.#token = undefined;
            throw error;
        });
        // A renewal nobody waits for must not become an unhandled rejection; the next token() sees it.
        this.#token.catch(() => undefined);
    }
    async #fetch(afterRefusal = false) {
        if (this.#credentials.kind === 'token')
            return { value: this.#credentials.token, renewAt: Infinity, afterRefusal };
        const { clientId, clientSecret, audience } = this.#credentials;
        const askedAt = this.#now();
        const response = await this.#api.send({
            method: 'POST',
            path: '/oauth/token',
            anonymous: true,
            repeatable: true,
            body: {
                contentType: 'application/json',
                data: JSON.stringify({
                    grant_type: 'client_credentials',
                    client_id: clientId,
                    client_secret: clientSecret,
                    audience,
                }),
            },
        });
        const body = response.body;
        if (response.status >= 200 && response.status < 300 && typeof body?.access_token === 'string') {
            this.#setSecret(body.access_token);
            this.scopes = scopesOf(body.scope);
            const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : undefined;
            // Counted from when it was asked for: Auth0 started the lifetime somewhere before the answer.
            const renewAt = lifetime ? askedAt + lifetime * 1000 - renewalMarginMs(lifetime) : Infinity;
            return { value: body.access_token, renewAt, afterRefusal };
        }
        throw new TokenError(`${new Auth0Error(response.status, response.body, 'Getting a Management API token').message}. ${tokenErrorAdvice(response)}`);
    }
}

;// CONCATENATED MODULE: ./src/auth0/tenant.ts
/**
 * A connection to one tenant: the HTTP client, its tokens, the scopes the run needs and the
 * database connection the users go to. What the rest of the run holds to talk to Auth0.
 */



class ScopeError extends Error {
}
/**
 * Gets a token, checks that it carries every scope the run needs (before any job is created), and
 * resolves the connection. `requiredScopes` maps each scope to the input that needs it.
 */
async function connectTenant(settings, requiredScopes, edge) {
    const api = new ApiClient({
        origin: settings.origin,
        clock: edge.clock,
        timing: edge.timing,
        log: edge.log,
        context: edge.context,
    });
    try {
        const tokens = new ManagementTokens(api, settings.credentials, edge.setSecret, () => edge.clock.now());
        api.useTokens(tokens);
        await tokens.token();
        checkScopes(tokens.scopes, requiredScopes, edge.log);
        if ('id' in settings.connection) {
            return { api, connectionId: settings.connection.id, ...tenant_scopesOf(tokens), close: () => api.close() };
        }
        const connection = await findConnection(api, settings.connection.name);
        edge.log(`Connection "${connection.name}" is ${connection.id}.`);
        return {
            api,
            connectionId: connection.id,
            connectionName: connection.name,
            ...tenant_scopesOf(tokens),
            close: () => api.close(),
        };
    }
    catch (error) {
        await api.close();
        throw error;
    }
}
function tenant_scopesOf(tokens) {
    return tokens.scopes ? { scopes: tokens.scopes } : {};
}
function checkScopes(scopes, required, log) {
    if (!scopes) {
        log(`Auth0 did not say which scopes the token has; this run needs ${[...required.keys()].join(', ')}.`);
        return;
    }
    const missing = [...required].filter(([scope]) => !scopes.includes(scope));
    if (missing.length === 0)
        return;
    throw new ScopeError(`The Management API token lacks ${missing.map(([scope, why]) => `${scope} (for ${why})`).join(', ')}; it has: ${scopes.join(' ') || 'none'}. Grant them in Auth0 dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications > (your application), then run again.`);
}

;// CONCATENATED MODULE: ./src/auth0/import.ts
/**
 * The Auth0 side of a run: connect to the tenant, read it when it is the baseline, run the chunks as
 * jobs, reconcile what import cannot set. Auth0's answers end up in results, never in exceptions.
 */






function import_message(error) {
    return error instanceof Error ? error.message : String(error);
}
/** Connects, checking every scope the run needs before anything else; throws when it cannot. */
function openTenant(settings, requiredScopes, edge) {
    return edge.phase('Connect to Auth0', () => connectTenant(settings, requiredScopes, edge));
}
/** What the tenant holds for the connection, through a users export (read:users). */
function readTenant(tenant, edge) {
    return edge.phase('Read the tenant (users export)', () => readTenantUsers(tenant.api, { connectionId: tenant.connectionId }, edge));
}
/** Connects when no tenant is open yet, then imports; a failure to connect is reported, not thrown. */
async function importChunks(tenant, request, chunks, edge) {
    const unsent = (note) => chunks.map((chunk) => ({ chunk, status: 'not-sent', failedUsers: [], note }));
    let open;
    if ('api' in tenant)
        open = tenant;
    else {
        try {
            open = await openTenant(tenant.settings, tenant.requiredScopes, edge);
        }
        catch (error) {
            if (edge.context.signal.aborted)
                return {
                    results: unsent('Not sent: the run was cancelled first.'),
                    stop: { kind: 'cancelled', message: 'The run was cancelled' },
                };
            return { results: unsent('Not sent: the import could not begin.'), fatal: import_message(error) };
        }
    }
    try {
        return await runImport(open, request, chunks, edge);
    }
    finally {
        if (!('api' in tenant))
            await open.close();
    }
}
async function runImport(tenant, request, chunks, edge) {
    const result = chunks.length === 0
        ? { results: [] }
        : await edge.phase(`Import ${chunks.length} chunk${chunks.length === 1 ? '' : 's'}`, () => scheduleJobs(tenant.api, chunks, {
            fields: {
                connectionId: tenant.connectionId,
                upsert: request.upsert,
                sendCompletionEmail: request.sendCompletionEmail,
            },
            maxConcurrentJobs: request.maxConcurrentJobs,
            wait: request.wait,
            clock: edge.clock,
            timing: edge.timing,
            log: edge.log,
            warn: edge.warn,
        }));
    const imported = { ...result, connection: tenant.connectionName ?? tenant.connectionId };
    const fates = importFates(result.results);
    const existed = request.alreadyThere === 'off'
        ? []
        : fates.inJobsThatUpdated
            .filter(({ user }) => request.isAdded(user.ordinal))
            .map(({ user, submittedAt }) => (0,plan_reconcile/* alreadyThere */.pL)(user, request.alreadyThere === 'reconcile', submittedAt));
    const actions = [...request.reconcile, ...existed];
    if (actions.length === 0)
        return imported;
    const label = `Reconcile ${actions.length} user${actions.length === 1 ? '' : 's'}`;
    // Reconciling follows the import: a run that stopped before knowing each user's outcome changes nobody.
    const stop = 'stop' in result ? result.stop : undefined;
    if (stop) {
        const why = `the import did not finish (${stop.message.replace(/\.$/, '')})`;
        return { ...imported, reconcile: notDone(actions, why) };
    }
    const reconcile = await edge.phase(label, async () => {
        let connection = tenant.connectionName;
        try {
            connection ??= await connectionNameOf(tenant.api, tenant.connectionId);
        }
        catch (error) {
            return notDone(actions, `the connection's name is unknown (${import_message(error)})`);
        }
        return reconcileUsers(tenant.api, actions, {
            connection,
            clock: edge.clock,
            log: edge.log,
            holdBack: (action) => holdBack(action, fates, request.isAdded),
        });
    });
    return { ...imported, reconcile };
}
function notDone(actions, why) {
    return { results: actions.map((action) => ({ action, outcome: 'not-done', detail: why })), stopped: why };
}


/***/ })

};
