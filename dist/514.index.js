export const id = 514;
export const ids = [514];
export const modules = {

/***/ 5708:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lm: () => (/* binding */ isPermanentRefusal),
/* harmony export */   MP: () => (/* binding */ describeBody),
/* harmony export */   OW: () => (/* binding */ ApiClient),
/* harmony export */   On: () => (/* binding */ UncertainError),
/* harmony export */   TW: () => (/* binding */ isJobLimit),
/* harmony export */   cO: () => (/* binding */ spareRequests),
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   j3: () => (/* binding */ DeadlineError),
/* harmony export */   pk: () => (/* binding */ Auth0Error)
/* harmony export */ });
/* unused harmony exports UnreachableError, TlsError, routeOf, headerValue */
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6752);
/* harmony import */ var _timing_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2814);


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
        this.#dispatcher = options.dispatcher ?? (proxied ? new undici__WEBPACK_IMPORTED_MODULE_0__.EnvHttpProxyAgent() : new undici__WEBPACK_IMPORTED_MODULE_0__.Agent());
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
            const answer = await (0,undici__WEBPACK_IMPORTED_MODULE_0__.request)(url, {
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
            const answer = await (0,undici__WEBPACK_IMPORTED_MODULE_0__.request)(`${origin}${api.path}`, {
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
        return (0,_timing_js__WEBPACK_IMPORTED_MODULE_1__/* .backoffMs */ .jo)(this.stats.rateLimited, timing.retryInitialMs, timing.retryMaxMs, clock.random());
    }
    async #retryAfter(route, why, attempt) {
        const { clock, timing, log } = this.#options;
        const waitMs = (0,_timing_js__WEBPACK_IMPORTED_MODULE_1__/* .backoffMs */ .jo)(attempt - 1, timing.retryInitialMs, timing.retryMaxMs, clock.random());
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


/***/ }),

/***/ 7514:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $2: () => (/* binding */ connectionNameOf),
/* harmony export */   IQ: () => (/* binding */ inConnection),
/* harmony export */   Kh: () => (/* binding */ usersByEmail),
/* harmony export */   TK: () => (/* binding */ updateUser),
/* harmony export */   hG: () => (/* binding */ deleteUser),
/* harmony export */   sI: () => (/* binding */ userExists)
/* harmony export */ });
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5708);
/** The Users API calls reconciling needs: find users by email, update one, delete one, name a connection. */

function isUser(value) {
    return !!value && typeof value === 'object' && typeof value.user_id === 'string';
}
/** Users of every connection with this email, any case (`read:users`). */
async function usersByEmail(api, email) {
    const response = await api.send({
        method: 'GET',
        path: `/api/v2/users-by-email?email=${encodeURIComponent(email)}`,
        repeatable: true,
    });
    if (response.status !== 200)
        throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .Auth0Error */ .pk(response.status, response.body, `Finding ${email}`);
    return Array.isArray(response.body) ? response.body.filter(isUser) : [];
}
/** The users of `connection` among `users`. */
function inConnection(users, connection) {
    return users.filter((user) => user.identities?.some((identity) => identity.connection === connection));
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
        throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .Auth0Error */ .pk(response.status, response.body, `Updating ${userId}`);
}
/** Deletes one user (`delete:users`); Auth0 answers 204 whether or not it existed. */
async function deleteUser(api, userId) {
    const response = await api.send({
        method: 'DELETE',
        path: `/api/v2/users/${encodeURIComponent(userId)}`,
        repeatable: true,
    });
    if (response.status < 200 || response.status >= 300)
        throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .Auth0Error */ .pk(response.status, response.body, `Deleting ${userId}`);
}
/** The name of a database connection given by id (`read:connections`): users name their connection by it. */
async function connectionNameOf(api, connectionId) {
    const response = await api.send({
        method: 'GET',
        path: '/api/v2/connections?strategy=auth0',
        repeatable: true,
    });
    if (response.status !== 200)
        throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .Auth0Error */ .pk(response.status, response.body, `Looking up connection ${connectionId}`);
    const found = Array.isArray(response.body)
        ? response.body.find((connection) => connection.id === connectionId)
        : undefined;
    if (typeof found?.name !== 'string')
        throw new Error(`connection-id: no database connection ${connectionId} in this tenant`);
    return found.name;
}
/** Whether the tenant has a user with this full user_id (`read:users`). */
async function userExists(api, userId) {
    const response = await api.send({
        method: 'GET',
        path: `/api/v2/users/${encodeURIComponent(userId)}`,
        repeatable: true,
    });
    if (response.status === 404)
        return false;
    if (response.status !== 200)
        throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .Auth0Error */ .pk(response.status, response.body, `Looking up ${userId}`);
    return true;
}


/***/ })

};
