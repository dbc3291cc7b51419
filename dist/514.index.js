export const id = 514;
export const ids = [514];
export const modules = {

/***/ 4687:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jk: () => (/* binding */ UnreachableError),
/* harmony export */   Lm: () => (/* binding */ isPermanentRefusal),
/* harmony export */   MP: () => (/* binding */ describeBody),
/* harmony export */   On: () => (/* binding */ UncertainError),
/* harmony export */   TW: () => (/* binding */ isJobLimit),
/* harmony export */   WM: () => (/* binding */ TlsError),
/* harmony export */   bD: () => (/* binding */ messageOf),
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   j3: () => (/* binding */ DeadlineError),
/* harmony export */   pk: () => (/* binding */ Auth0Error)
/* harmony export */ });
/**
 * What a failed request means, as values callers can act on: Auth0 answered no (for good or not),
 * the answer was lost (the request may have been carried out), no answer came at all, or the run
 * itself ended the wait (cancellation, wait-timeout-seconds).
 */
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
/** A TLS failure names the likely cause: an emulator or proxy on loopback speaks plain http. */
class TlsError extends Error {
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
/** What to say of anything thrown. */
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}


/***/ }),

/***/ 8552:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  OW: () => (/* binding */ ApiClient),
  pk: () => (/* reexport */ errors/* Auth0Error */.pk),
  cc: () => (/* reexport */ errors/* CancelledError */.cc),
  j3: () => (/* reexport */ errors/* DeadlineError */.j3),
  MP: () => (/* reexport */ errors/* describeBody */.MP),
  TW: () => (/* reexport */ errors/* isJobLimit */.TW),
  Lm: () => (/* reexport */ errors/* isPermanentRefusal */.Lm)
});

// UNUSED EXPORTS: TlsError, UncertainError, UnreachableError, messageOf

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/auth0/timing.ts
var auth0_timing = __webpack_require__(2814);
;// CONCATENATED MODULE: ./src/auth0/pacer.ts
/**
 * The tenant's rate-limit bucket as Auth0 describes it (x-ratelimit-limit / -remaining / -reset on
 * its 2xx answers): how many requests it holds now, and when the next request may leave, whether
 * because the bucket ran dry or because a 429 said so.
 */

function headerValue(headers, name) {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
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
/** Auth0's waits are capped here: a minute is the longest any bucket takes to fill. */
const LONGEST_WAIT_MS = 60_000;
class RateLimitPacer {
    #quota;
    /** No request leaves before this time: Auth0 said the bucket is empty until then. */
    #quietUntil = 0;
    #clock;
    #timing;
    constructor(clock, timing) {
        this.#clock = clock;
        this.#timing = timing;
    }
    /** The bucket as Auth0 last described it; undefined until an answer carried the headers. */
    get quota() {
        return this.#quota;
    }
    /** Clock time before which the next request waits for the rate limit (0: none). */
    get quietUntil() {
        return this.#quietUntil;
    }
    spare(now) {
        return spareRequests(this.#quota, now);
    }
    /**
     * Stays under the limit instead of running into it. x-ratelimit-reset is when the bucket is full
     * again (in whole seconds, rounded up), not when one more request is allowed: a token bucket
     * refills evenly, so with none left the next comes within that time over the bucket's size
     * (x-ratelimit-limit), and no later. Auth0 sends these headers on 2xx answers only, so their
     * absence means nothing. The jitter, a fraction of the wait, keeps runners sharing a tenant out
     * of step without adding a fixed pause to every short wait. Returns the pause it set, if any.
     */
    noteAnswer(headers) {
        const clock = this.#clock;
        const remaining = headerValue(headers, 'x-ratelimit-remaining');
        const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
        const size = Number(headerValue(headers, 'x-ratelimit-limit'));
        if (remaining !== undefined && Number.isFinite(reset) && Number.isFinite(size))
            this.#quota = { limit: size, remaining: Number(remaining), reset, at: clock.now() };
        if (remaining === undefined || Number(remaining) > 0 || !Number.isFinite(reset))
            return undefined;
        const limit = Math.max(1, Number(headerValue(headers, 'x-ratelimit-limit')) || 1);
        const untilFull = Math.min(Math.max(reset * 1000 - clock.now(), 0), LONGEST_WAIT_MS);
        const pauseMs = (untilFull / limit) * (1 + 0.1 * clock.random());
        this.#quietUntil = Math.max(this.#quietUntil, clock.now() + pauseMs);
        return pauseMs;
    }
    /**
     * After a rate-limit 429 (the `count`th of the client): no request leaves for as long as Auth0
     * asks. Returns that wait.
     */
    rateLimited(headers, count) {
        const waitMs = this.#rateLimitWait(headers, count);
        this.#quietUntil = Math.max(this.#quietUntil, this.#clock.now() + waitMs);
        return waitMs;
    }
    /** Retry-After first, then x-ratelimit-reset (as Auth0's own SDK does), each with jitter. */
    #rateLimitWait(headers, count) {
        const clock = this.#clock;
        const jitter = 100 + 400 * clock.random();
        const retryAfter = headerValue(headers, 'retry-after');
        if (retryAfter !== undefined) {
            const seconds = Number(retryAfter);
            const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - clock.now();
            if (Number.isFinite(ms))
                return Math.min(Math.max(ms, 0), LONGEST_WAIT_MS) + jitter;
        }
        const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
        if (Number.isFinite(reset))
            return Math.min(Math.max(reset * 1000 - clock.now(), 0), LONGEST_WAIT_MS) + jitter;
        return (0,auth0_timing/* backoffMs */.jo)(count, this.#timing.retryInitialMs, this.#timing.retryMaxMs, clock.random());
    }
}

;// CONCATENATED MODULE: ./src/auth0/attempt.ts
/**
 * One attempt of a request, as it goes on the wire: the only place a Management API request leaves,
 * with its headers and bearer token, within the timeout the client gives it, and its answer read
 * and parsed. Whether to wait, retry or give up is decided around it (http.ts).
 */


/** Route names for stats and logs: ids collapsed so counts add up by kind of request. */
function routeOf(method, path) {
    return `${method} ${path
        .replace(/\?.*$/, '')
        .replace(/\/job_[^/]+/, '/{id}')
        .replace(/\/users\/[^/]+/, '/users/{id}')}`;
}
/** Method and path as debug lines show them: the query left out, as a users-by-email query holds an address. */
function pathOf(api) {
    return `${api.method} ${api.path.replace(/\?.*$/, '')}`;
}
/** Sends `api` once; throws undici's error when no answer came within `timeoutMs`. */
async function sendAttempt(wire, api, token, timeoutMs) {
    const headers = { accept: 'application/json', 'user-agent': 'auth0-user-import' };
    if (api.body)
        headers['content-type'] = api.body.contentType;
    if (token !== undefined)
        headers.authorization = `Bearer ${token}`;
    const answer = await (0,undici.request)(`${wire.origin}${api.path}`, {
        method: api.method,
        headers,
        body: api.body?.data ?? null,
        dispatcher: wire.dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: wire.signal,
    });
    const text = await answer.body.text();
    return {
        status: answer.statusCode,
        headers: answer.headers,
        body: parseBody(text, headerValue(answer.headers, 'content-type')),
    };
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

// EXTERNAL MODULE: ./src/auth0/errors.ts
var errors = __webpack_require__(4687);
;// CONCATENATED MODULE: ./src/auth0/retry-policy.ts
/**
 * Which failures of a request are permanent, which transient, and which of unknown effect, and so
 * whether it is sent again. One request's attempts and rate-limit waits are counted here; the client
 * carries out what this decides (waits, renews the token, throws).
 */

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
function errorCode(error) {
    const code = error?.code;
    const causeCode = error?.cause?.code;
    return typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : undefined;
}
function describeError(error) {
    const code = errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    return code ? `${code}: ${message}` : message;
}
function tlsAdvice(origin, route, why) {
    const { hostname, protocol, host } = new URL(origin);
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(hostname);
    const hint = loopback && protocol === 'https:'
        ? ` A server on ${hostname} usually speaks plain HTTP: set domain to http://${host}.`
        : " Check that domain is the tenant's own domain (e.g. my-tenant.us.auth0.com) and that no proxy intercepts TLS.";
    return `${route}: the TLS handshake with ${hostname} failed (${why}).${hint}`;
}
/** The retry policy of one request, from its first attempt to its final answer. */
class RequestRetries {
    #attempt = 0;
    #rateLimitWaits = 0;
    #request;
    #timing;
    constructor(request, timing) {
        this.#request = request;
        this.#timing = timing;
    }
    /** No answer came: `cappedByDeadline` when the request's timeout was cut short by the deadline. */
    afterError(error, cappedByDeadline) {
        const { origin, route, repeatable } = this.#request;
        const code = errorCode(error);
        const why = describeError(error);
        if (isTlsFailure(code, why))
            return { kind: 'throw', error: new errors/* TlsError */.WM(tlsAdvice(origin, route, why)) };
        const notSent = NOT_SENT_CODES.has(code ?? '');
        if (!notSent && !repeatable) {
            return {
                kind: 'throw',
                error: new errors/* UncertainError */.On(`${route}: the answer was lost (${why}); Auth0 may have carried it out`),
            };
        }
        if (cappedByDeadline && /TIMEOUT/.test(code ?? ''))
            return { kind: 'throw', error: new errors/* DeadlineError */.j3(`during ${route}`) };
        if (++this.#attempt >= this.#timing.maxAttempts) {
            return {
                kind: 'throw',
                error: new errors/* UnreachableError */.Jk(`${route}: no answer from Auth0 after ${this.#attempt} attempts (${why})`),
            };
        }
        return { kind: 'retry', why, attempt: this.#attempt };
    }
    /** Auth0 answered; `tokenSent` when the request carried a bearer token. */
    afterResponse(response, tokenSent) {
        const { route, repeatable } = this.#request;
        if (response.status === 429 && !(0,errors/* isJobLimit */.TW)(response)) {
            // Auth0 refused without acting: safe to send again, even a create without upsert.
            return { kind: 'rate-limited', giveUp: ++this.#rateLimitWaits > this.#timing.maxRateLimitWaits };
        }
        // Auth0 checks the token before doing anything, so a 401 is safe to send again.
        if (response.status === 401 && tokenSent)
            return { kind: 'renew-token' };
        if (response.status >= 500) {
            if (!repeatable) {
                return {
                    kind: 'throw',
                    error: new errors/* UncertainError */.On(`${route}: Auth0 answered ${response.status} (${(0,errors/* describeBody */.MP)(response.body).message}); it may have carried the request out`),
                };
            }
            if (++this.#attempt >= this.#timing.maxAttempts)
                return { kind: 'return' };
            return { kind: 'retry', why: `Auth0 answered ${response.status}`, attempt: this.#attempt };
        }
        return { kind: 'return' };
    }
}

;// CONCATENATED MODULE: ./src/auth0/http.ts






// What `send` and `download` throw, and the bucket `quota` describes, are the client's words too.

const NEVER = { signal: new AbortController().signal, deadline: Infinity };
class ApiClient {
    stats = { requests: {}, rateLimited: 0, retried: 0 };
    context;
    pacer;
    #tokens;
    #options;
    #debug;
    #dispatcher;
    constructor(options) {
        this.#options = options;
        this.#debug = options.debug ?? (() => { });
        this.context = options.context ?? NEVER;
        this.pacer = new RateLimitPacer(options.clock, options.timing);
        // Self-hosted runners behind a proxy set HTTPS_PROXY / NO_PROXY; honour them only then.
        const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => process.env[name]);
        this.#dispatcher = options.dispatcher ?? (proxied ? new undici.EnvHttpProxyAgent() : new undici.Agent());
    }
    get origin() {
        return this.#options.origin;
    }
    /** The bucket as Auth0 last described it; undefined until an answer carried the headers. */
    get quota() {
        return this.pacer.quota;
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
        const { origin, timing, log } = this.#options;
        const route = routeOf(api.method, api.path);
        const retries = new RequestRetries({ origin, route, repeatable: api.repeatable }, timing);
        for (;;) {
            await this.#sleepUntil(this.pacer.quietUntil, `waiting for the rate limit before ${route}`);
            const token = api.anonymous ? undefined : await this.#token();
            const outcome = await this.#sendOnce(api, route, token);
            if (outcome.kind === 'error') {
                const step = retries.afterError(outcome.error, outcome.cappedByDeadline);
                if (step.kind === 'throw')
                    throw step.error;
                await this.#retryAfter(route, step.why, step.attempt);
                continue;
            }
            const { response } = outcome;
            const step = retries.afterResponse(response, token !== undefined);
            if (step.kind === 'throw')
                throw step.error;
            if (step.kind === 'retry') {
                await this.#retryAfter(route, step.why, step.attempt);
                continue;
            }
            if (step.kind === 'rate-limited') {
                this.stats.rateLimited++;
                if (!step.giveUp) {
                    const waitMs = this.pacer.rateLimited(response.headers, this.stats.rateLimited);
                    log(`${route}: rate limit reached; waiting ${(waitMs / 1000).toFixed(1)} s as Auth0 asks`);
                    continue;
                }
            }
            if (step.kind === 'renew-token' && token !== undefined && this.#tokens?.renewAfterRefusal(token)) {
                log(`${route}: the token was refused; sending again with a new one`);
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
     * them, and undici's error when no answer came. `label` names it in stats and errors ("export file");
     * the URL itself, signed in its query, is never logged.
     */
    async download(url, label) {
        const { clock, timing } = this.#options;
        const { signal } = this.context;
        if (signal.aborted)
            throw new errors/* CancelledError */.cc();
        // Between two pieces of the body, not for the whole of it: a large file may take longer.
        const timeout = this.#timeout(`before downloading the ${label}`);
        const route = `GET ${label}`;
        this.stats.requests[route] = (this.stats.requests[route] ?? 0) + 1;
        const sentAt = clock.now();
        try {
            const answer = await (0,undici.request)(url, {
                method: 'GET',
                headers: { 'user-agent': 'auth0-user-import' },
                dispatcher: this.#dispatcher,
                headersTimeout: timeout,
                bodyTimeout: timeout,
                signal,
            });
            this.#debug(`${route}: ${answer.statusCode} after ${clock.now() - sentAt} ms (headers; body streamed)`);
            return { status: answer.statusCode, headers: answer.headers, body: answer.body };
        }
        catch (error) {
            this.#debug(`${route}: no answer after ${clock.now() - sentAt} ms (${errorCode(error) ?? 'error'})`);
            if (signal.aborted)
                throw new errors/* CancelledError */.cc();
            if (timeout < timing.requestTimeoutMs && /TIMEOUT/.test(errorCode(error) ?? ''))
                throw new errors/* DeadlineError */.j3(`while downloading the ${label}`);
            throw error;
        }
    }
    /**
     * Waits, as every wait of the client does: cut short by cancellation, refused when it would pass
     * the deadline. For callers that pace themselves (reconcile leaves room for the tenant's traffic).
     */
    async waitUntil(time, what) {
        await this.#sleepUntil(time, what);
    }
    async #token() {
        if (!this.#tokens)
            throw new Error('No credentials to call the Management API with');
        // A cancelled token request is not this request: this one has not left yet.
        return this.#tokens.token().catch((error) => {
            if (error instanceof errors/* CancelledError */.cc)
                throw new errors/* CancelledError */.cc();
            if (error instanceof errors/* DeadlineError */.j3)
                throw new errors/* DeadlineError */.j3('while getting a token');
            throw error;
        });
    }
    /** One attempt, counted, timed and noted in the bucket; an answer or the error that came instead. */
    async #sendOnce(api, route, token) {
        const { origin, timing, clock } = this.#options;
        const { signal } = this.context;
        const timeout = this.#timeout(`before ${route}`);
        this.stats.requests[route] = (this.stats.requests[route] ?? 0) + 1;
        const sentAt = clock.now();
        try {
            const answer = await sendAttempt({ origin, dispatcher: this.#dispatcher, signal }, api, token, timeout);
            this.#debug(`${pathOf(api)}: ${answer.status} after ${clock.now() - sentAt} ms`);
            const pauseMs = this.pacer.noteAnswer(answer.headers);
            if (pauseMs !== undefined)
                this.#debug(`rate-limit bucket empty: the next request waits ${Math.round(pauseMs)} ms`);
            return { kind: 'response', response: { ...answer, sentAt } };
        }
        catch (error) {
            this.#debug(`${pathOf(api)}: no answer after ${clock.now() - sentAt} ms (${errorCode(error) ?? 'error'})`);
            if (signal.aborted)
                throw new errors/* CancelledError */.cc(true);
            return { kind: 'error', error, cappedByDeadline: timeout < timing.requestTimeoutMs };
        }
    }
    /** A request's timeout: its own limit, or less when the deadline comes first; none past the deadline. */
    #timeout(what) {
        const { clock, timing } = this.#options;
        const left = this.context.deadline - clock.now();
        if (left <= 0)
            throw new errors/* DeadlineError */.j3(what);
        return Math.min(timing.requestTimeoutMs, left);
    }
    async #retryAfter(route, why, attempt) {
        const { clock, timing, log } = this.#options;
        const waitMs = (0,auth0_timing/* backoffMs */.jo)(attempt - 1, timing.retryInitialMs, timing.retryMaxMs, clock.random());
        this.stats.retried++;
        log(`${route}: ${why}; retrying in ${(waitMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${timing.maxAttempts})`);
        await this.#sleepUntil(clock.now() + waitMs, `before retrying ${route}`);
    }
    /** The one sleep of the client: cut short by cancellation, refused when it would pass the deadline. */
    async #sleepUntil(time, what) {
        const { clock } = this.#options;
        const { signal, deadline } = this.context;
        if (signal.aborted)
            throw new errors/* CancelledError */.cc();
        const waitMs = time - clock.now();
        if (waitMs <= 0)
            return;
        if (time > deadline)
            throw new errors/* DeadlineError */.j3(what);
        this.#debug(`Sleeping ${Math.round(waitMs)} ms (${what})`);
        await clock.sleep(waitMs, signal);
        if (signal.aborted)
            throw new errors/* CancelledError */.cc();
    }
}


/***/ }),

/***/ 7514:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $2: () => (/* binding */ connectionNameOf),
/* harmony export */   CU: () => (/* binding */ isLinkedFrom),
/* harmony export */   Kh: () => (/* binding */ usersByEmail),
/* harmony export */   M6: () => (/* binding */ userById),
/* harmony export */   SJ: () => (/* binding */ isPrimaryIn),
/* harmony export */   TK: () => (/* binding */ updateUser),
/* harmony export */   hG: () => (/* binding */ deleteUser),
/* harmony export */   sI: () => (/* binding */ userExists)
/* harmony export */ });
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8552);
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
        throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .Auth0Error */ .pk(response.status, response.body, `Finding ${email}`);
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
        throw new _http_js__WEBPACK_IMPORTED_MODULE_0__/* .Auth0Error */ .pk(response.status, response.body, `Reading ${userId}`);
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
