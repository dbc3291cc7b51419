export const id = 187;
export const ids = [187];
export const modules = {

/***/ 187:
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
// EXTERNAL MODULE: ./src/auth0/http.ts + 3 modules
var http = __webpack_require__(8552);
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



const jobs_FINAL_STATUSES = new Set(['completed', 'failed', 'expired']);
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
        throw new http/* Auth0Error */.pk(response.status, response.body, `Looking up connection-name "${name}"`);
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
    if ((0,http/* isJobLimit */.TW)(response))
        return { kind: 'job-limit' };
    if (response.status === 413)
        return { kind: 'too-large' };
    if (response.status < 200 || response.status >= 300) {
        throw new http/* Auth0Error */.pk(response.status, response.body, `Submitting chunk ${chunk.label} (external_id ${chunk.externalId})`);
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
        throw new http/* Auth0Error */.pk(response.status, response.body, `Reading job ${id}`);
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
        throw new http/* Auth0Error */.pk(response.status, response.body, `Reading the errors of job ${id}`);
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

// EXTERNAL MODULE: ./src/auth0/timing.ts
var auth0_timing = __webpack_require__(2814);
;// CONCATENATED MODULE: ./src/auth0/poller.ts
/**
 * The poller: when to look at a job next. Auth0's estimate (time_left_seconds, rounded up to the
 * whole second) says when a job ends; looks are placed to learn that end closely without asking
 * more often than the poll cap makes anyway, and each job's watch keeps what its answers said.
 */

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
/** A job just created: first looked at after pollInitialMs. */
function firstWatch(now, timing) {
    return { at: now + timing.pollInitialMs, interval: timing.pollInitialMs, failures: 0 };
}
function watchNext(watch, next, now) {
    watch.interval = next.delay;
    watch.at = now + next.delay;
    watch.endsBy = next.endsBy;
    watch.endsAfter = next.endsAfter;
    watch.narrows = next.narrows;
}
/** A look got no answer: the next comes after a backoff that grows with each such look. */
function watchAfterFailure(watch, now, timing, random) {
    watch.failures++;
    watch.at = now + (0,auth0_timing/* backoffMs */.jo)(watch.failures, timing.retryInitialMs, timing.pollMaxMs, random);
}
/** How long the answers so far leave a job's end open. */
function openMs(watch) {
    return watch.endsBy !== undefined && watch.endsAfter !== undefined
        ? watch.endsBy - watch.endsAfter
        : Infinity;
}
/** An early look at a job is a request more: only while the bucket holds one for every slot's look and create. */
function mayLookEarly(spare, maxConcurrentJobs) {
    return spare > 2 * maxConcurrentJobs;
}
/** A look that narrows a job's end is skipped this close to any job's end (see mayNarrow). */
const NARROWING_CLEARS_MS = 750;
/**
 * A look that only narrows a job's end goes out when it holds back nothing that matters: no job
 * that has ended waits to be read, and either the bucket holds a request more than it, or no job
 * is due to end within NARROWING_CLEARS_MS (whose create or read would wait for the request it
 * took, or for the pause an emptied bucket brings) and no other job's end is known less closely
 * (the last end noticed is what the run waits for).
 */
function mayNarrow(watch, watches, now, spare, presumedEnded) {
    if (watches.some(presumedEnded))
        return false;
    if (spare >= 2)
        return true;
    for (const other of watches) {
        if (other.narrows && openMs(other) > openMs(watch))
            return false;
        if (other.endsBy !== undefined && other.endsBy > now && other.endsBy - now < NARROWING_CLEARS_MS)
            return false;
    }
    return true;
}
/**
 * A look that narrows is due: it goes out now ('now') only if now still narrows (an earlier request
 * or the client's pause for the rate limit, until `sendsAt`, may have held it back) and `mayNarrow`
 * allows it; else a little later while that still narrows, else the end is looked at as usual.
 */
function dueNarrowingLook(end, now, timing, pacing, mayNarrowNow) {
    const plan = (narrowFrom) => ({
        ...lookAt(end, now, timing, { narrow: true, lookEarly: pacing.lookEarly, narrowFrom }),
        ...end,
    });
    const next = plan(pacing.sendsAt);
    if (!next.narrows || next.delay !== 0)
        return next;
    if (mayNarrowNow())
        return 'now';
    return plan(now + NARROW_GAP_MS);
}

;// CONCATENATED MODULE: ./src/auth0/progress.ts
/**
 * What a person waiting for the jobs reads: progress lines with an ETA from the jobs finished so
 * far, and one warning once the measured rate says the rest cannot finish in time.
 */

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
            const done = results.filter((result) => jobs_FINAL_STATUSES.has(result.status)).length;
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
        throw new http/* Auth0Error */.pk(response.status, response.body, `Starting an export of the users of connection ${connectionId} (needs the read:users scope)`);
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
            if (error instanceof http/* CancelledError */.cc || error instanceof http/* DeadlineError */.j3 || (0,http/* isPermanentRefusal */.Lm)(error))
                throw error;
            if (++failures >= timing.maxAttempts) {
                throw new ExportError(`Could not read export job ${jobId} (${message(error)}). Run again later.`);
            }
            at = clock.now() + (0,auth0_timing/* backoffMs */.jo)(failures, timing.retryInitialMs, timing.pollMaxMs, clock.random());
            log(`Export job ${jobId}: could not read its status (${message(error)}); trying again`);
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
                if (error instanceof http/* CancelledError */.cc || error instanceof http/* DeadlineError */.j3)
                    throw error;
                throw new BrokenDownload(message(error));
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
            throw signal.aborted ? new http/* CancelledError */.cc() : new BrokenDownload(message(error));
        }
    }
    try {
        for await (const lines of ndjsonLines(received())) {
            for (const line of lines)
                sink.add(tenantUserOf(line, ++users));
            // The whole file may have arrived already: cancellation must not wait for its end.
            if (signal.aborted)
                throw new http/* CancelledError */.cc();
            if (clock.now() >= deadline)
                throw new http/* DeadlineError */.j3(`while downloading the file of export job ${jobId}`);
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
        throw new http/* CancelledError */.cc();
    if (clock.now() >= deadline)
        throw new http/* DeadlineError */.j3(what);
    await clock.sleep(Math.min(time, deadline) - clock.now(), signal);
    if (signal.aborted)
        throw new http/* CancelledError */.cc();
    if (clock.now() >= deadline)
        throw new http/* DeadlineError */.j3(what);
}
function megabytes(bytes) {
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
function message(error) {
    return error instanceof Error ? error.message : String(error);
}

// EXTERNAL MODULE: ./src/auth0/users.ts
var users = __webpack_require__(7514);
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
        const user = await (0,users/* userById */.M6)(api, fullId);
        if (user && (0,users/* isPrimaryIn */.SJ)(user, connection))
            return { found: user };
    }
    await leaveHeadroom(api, clock);
    const email = who.email.toLowerCase();
    const withEmail = await (0,users/* usersByEmail */.Kh)(api, email);
    const ours = withEmail.filter((user) => (0,users/* isPrimaryIn */.SJ)(user, connection) && (fullId === undefined || user.user_id === fullId));
    if (ours.length > 1)
        return { ambiguous: ours.length };
    if (ours[0])
        return { found: ours[0] };
    const linked = withEmail.find((user) => (0,users/* isLinkedFrom */.CU)(user, connection));
    if (linked)
        return { linked };
    const other = fullId ? withEmail.find((user) => (0,users/* isPrimaryIn */.SJ)(user, connection)) : undefined;
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
    await (0,users/* updateUser */.TK)(api, user.user_id, withConnection);
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
            await (0,users/* deleteUser */.hG)(api, found.user_id);
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
            if (error instanceof http/* CancelledError */.cc || error instanceof http/* DeadlineError */.j3 || (0,http/* isPermanentRefusal */.Lm)(error)) {
                const why = error instanceof http/* CancelledError */.cc
                    ? 'the run was cancelled first'
                    : error instanceof http/* DeadlineError */.j3
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

// EXTERNAL MODULE: ./src/auth0/errors.ts
var errors = __webpack_require__(4687);
;// CONCATENATED MODULE: ./src/auth0/read-jobs.ts
/**
 * Reading the jobs the poller says are due: their status, and when they end, their errors. Looks
 * that can wait for the rate-limit bucket (reading a job that has ended while a chunk waits to be
 * sent, a look that only narrows an end) give way to those that cannot.
 */



/** How long the read of an ended job waits when the bucket holds a request only for the next create. */
const READ_ENDED_LATER_MS = 500;
async function lookAtDueJobs(state) {
    const { api, options, slots } = state;
    const { clock, timing } = options;
    for (const [result, watch] of slots.entries()) {
        if (watch.at > clock.now() || state.stop)
            continue;
        const now = clock.now();
        const spare = api.pacer.spare(now);
        // Reading a job that has ended can wait for the bucket; sending the next chunk cannot.
        if (slots.presumedEnded(watch, now) && state.queue.length > 0 && spare < 2) {
            watch.at = now + READ_ENDED_LATER_MS;
            state.debug(`Job ${result.jobId}: ended by its estimate; read in ${READ_ENDED_LATER_MS} ms, the rate limit's ${spare} spare request(s) kept for the next create`);
            continue;
        }
        if (watch.narrows && watch.endsBy !== undefined && watch.endsAfter !== undefined) {
            const next = dueNarrowingLook({ endsBy: watch.endsBy, endsAfter: watch.endsAfter }, now, timing, { sendsAt: Math.max(now, api.pacer.quietUntil), lookEarly: mayLookEarly(spare, slots.max) }, () => mayNarrow(watch, slots.watches(), now, spare, (other) => slots.presumedEnded(other, now)));
            if (next !== 'now') {
                watchNext(watch, next, now);
                state.debug(`Job ${result.jobId}: a look to narrow its end moved; next look ${lookLine(watch, now)}`);
                continue;
            }
        }
        await readJob(state, result, watch);
    }
}
/** When a watch looks next, and what is known of the job's end, relative to now. */
function lookLine(watch, now) {
    const end = watch.endsBy !== undefined && watch.endsAfter !== undefined
        ? `; it ends in (${Math.round(watch.endsAfter - now)}, ${Math.round(watch.endsBy - now)}] ms`
        : '';
    return `in ${Math.round(watch.at - now)} ms${watch.narrows ? ' (narrows its end)' : ''}${end}`;
}
async function readJob(state, result, watch) {
    const { api, options } = state;
    const { clock, timing, log } = options;
    const id = result.jobId;
    let status;
    try {
        status = await getJob(api, id, result.chunk);
    }
    catch (error) {
        if (error instanceof errors/* CancelledError */.cc || error instanceof errors/* DeadlineError */.j3)
            throw error;
        if ((0,errors/* isPermanentRefusal */.Lm)(error)) {
            state.stop = {
                kind: 'refused',
                message: `${error.message}. Waiting stopped: asking again cannot help. The jobs keep running in Auth0`,
            };
            return;
        }
        watchAfterFailure(watch, clock.now(), timing, clock.random());
        log(`Job ${id}: could not read its status (${(0,errors/* messageOf */.bD)(error)}); trying again`);
        return;
    }
    watch.failures = 0;
    if (status === 'gone') {
        result.status = 'expired';
        result.note = `Auth0 no longer knows job ${id} (404): jobs are deleted 24 hours after creation. Check the tenant's logs for external_id ${result.chunk.externalId}.`;
        await finish(state, result, id);
        return;
    }
    const before = `${result.status} ${result.percentageDone ?? ''}`;
    result.status = status.status;
    // A percentage belongs to a running job only: a finished one shows none.
    if (status.percentageDone !== undefined && !jobs_FINAL_STATUSES.has(status.status))
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
    if (jobs_FINAL_STATUSES.has(result.status)) {
        await finish(state, result, id);
        return;
    }
    const lookEarly = mayLookEarly(api.pacer.spare(clock.now()), state.slots.max);
    const next = nextPoll(watch, status.timeLeftSeconds, clock.now(), timing, {
        ...(status.sentAt !== undefined ? { sentAt: status.sentAt } : {}),
        lookEarly,
        narrow: true,
    });
    watchNext(watch, next, clock.now());
    state.debug(`Job ${id}: next look ${lookLine(watch, clock.now())}${lookEarly ? '' : ' (no early look: the rate limit leaves no spare request)'}`);
    state.changed();
}
async function finish(state, result, id) {
    const { api, options, slots } = state;
    const { clock } = options;
    result.finishedAt = clock.now();
    slots.release(result, clock.now());
    state.debug(`Job ${id}: ${result.status}; slot freed (${slots.busy(clock.now())} of ${slots.max} busy)`);
    if ((result.summary?.failed ?? 0) > 0 || result.status === 'failed') {
        try {
            const errors = await getJobErrors(api, id, result.chunk);
            result.failedUsers = errors.failedUsers;
            if (errors.statusDetails && !result.statusDetails)
                result.statusDetails = errors.statusDetails;
        }
        catch (error) {
            if (error instanceof errors/* CancelledError */.cc || error instanceof errors/* DeadlineError */.j3)
                throw error;
            result.note = `Could not read the job's errors: ${(0,errors/* messageOf */.bD)(error)}`;
        }
    }
    if (result.status === 'failed' && !result.statusDetails)
        result.note ??= 'Failed; Auth0 gave no reason.';
    state.progress.finished(result);
    state.changed();
}

;// CONCATENATED MODULE: ./src/auth0/slots.ts

/** Auth0 runs at most this many import jobs per tenant; past it a create is refused and nothing created. */
const AUTH0_ACTIVE_JOBS = 2;
class JobSlots {
    max;
    /**
     * A job Auth0's own estimate says has ended holds no slot when Auth0's limit guards the slots
     * (max-concurrent-jobs at that limit): the next chunk goes first and the ended job is read after,
     * so that a rate-limit bucket with room for only some requests does not hold the next job back.
     * Were the job still running, Auth0 refuses the create (job-limit 429, nothing created) and it is
     * sent again when one of ours finishes.
     */
    presumeEnds;
    #jobs = new Map();
    /** No create before this clock time: Auth0 said its job limit was reached. */
    #createsAfter = 0;
    #jobLimitRefusals = 0;
    constructor(maxConcurrentJobs) {
        this.max = maxConcurrentJobs;
        this.presumeEnds = maxConcurrentJobs >= AUTH0_ACTIVE_JOBS;
    }
    /** Jobs of ours not yet seen to end. */
    get size() {
        return this.#jobs.size;
    }
    /** The jobs and their watches as they are now (a copy: jobs may end while it is walked). */
    entries() {
        return [...this.#jobs];
    }
    watches() {
        return [...this.#jobs.values()];
    }
    presumedEnded(watch, now) {
        return this.presumeEnds && watch.endsBy !== undefined && watch.endsBy <= now;
    }
    busy(now) {
        let busy = 0;
        for (const watch of this.#jobs.values())
            if (!this.presumedEnded(watch, now))
                busy++;
        return busy;
    }
    mayCreate(now) {
        return this.busy(now) < this.max && now >= this.#createsAfter;
    }
    /**
     * When a create may go next, as far as is known now: after the job-limit backoff when a slot is
     * free, else at the next estimated end of a job (when ends are presumed), else when a job is seen
     * to end (undefined).
     */
    nextCreateAt(now) {
        if (this.busy(now) < this.max)
            return this.#createsAfter;
        if (!this.presumeEnds)
            return undefined;
        const ends = this.watches()
            .map((watch) => watch.endsBy)
            .filter((endsBy) => endsBy !== undefined && endsBy > now);
        return ends.length > 0 ? Math.min(...ends) : undefined;
    }
    /** Auth0 created the job. */
    occupy(job, watch) {
        this.#jobLimitRefusals = 0;
        this.#jobs.set(job, watch);
    }
    /** The job was seen to end: its slot is free, and a create waiting out the job limit may go at once. */
    release(job, now) {
        this.#jobs.delete(job);
        this.#createsAfter = Math.min(this.#createsAfter, now);
    }
    /**
     * Auth0 refused a create with the job-limit 429: another importer (or a job of ours whose create
     * answer was lost) holds the tenant's slots. Returns how long creates back off.
     */
    jobLimitReached(now, timing, random) {
        const waitMs = (0,auth0_timing/* backoffMs */.jo)(this.#jobLimitRefusals++, timing.retryInitialMs * 4, timing.retryMaxMs, random);
        this.#createsAfter = now + waitMs;
        return waitMs;
    }
}

// EXTERNAL MODULE: ./src/users/chunks.ts
var chunks = __webpack_require__(4100);
;// CONCATENATED MODULE: ./src/auth0/submit.ts
/**
 * Submitting chunks as jobs while the slot keeper has room: what each answer to a create means for
 * the chunk (a job to watch, Auth0's job limit, too large, refused, or of unknown effect).
 */




async function submitWhileSlotsFree(state) {
    const { clock } = state.options;
    while (state.queue.length > 0 &&
        !state.stop &&
        state.refusedCreate === undefined &&
        state.slots.mayCreate(clock.now())) {
        if (!(await submitNext(state)))
            return;
    }
}
/** Sends the first chunk of the queue; false when no create should follow now. */
async function submitNext(state) {
    const { api, options, queue, slots } = state;
    const { clock, log } = options;
    const result = queue[0];
    const { chunk } = result;
    if (slots.size > slots.busy(clock.now()))
        state.debug(`Chunk ${chunk.label}: a job's estimate says it has ended; its slot goes to this chunk`);
    let outcome;
    try {
        outcome = await createJob(api, chunk, options.fields);
    }
    catch (error) {
        if ((error instanceof errors/* CancelledError */.cc || error instanceof errors/* DeadlineError */.j3) && !error.inFlight)
            throw error;
        queue.shift();
        if (error instanceof errors/* CancelledError */.cc ||
            error instanceof errors/* DeadlineError */.j3 ||
            error instanceof errors/* UncertainError */.On) {
            markUnknown(state, result, error instanceof errors/* UncertainError */.On
                ? error.message
                : `${error instanceof errors/* CancelledError */.cc ? 'Cancelled' : 'wait-timeout-seconds ran out'} while the request was out: Auth0 may have created the job`);
            if (error instanceof errors/* CancelledError */.cc || error instanceof errors/* DeadlineError */.j3)
                throw error;
            return true;
        }
        result.status = 'refused';
        result.note = `${(0,errors/* messageOf */.bD)(error)}. Nothing of this chunk was imported.`;
        state.refusedCreate = (0,errors/* messageOf */.bD)(error);
        log(`Chunk ${chunk.label}: ${(0,errors/* messageOf */.bD)(error)}. No further chunks are submitted.`);
        state.changed();
        return false;
    }
    if (outcome.kind === 'job-limit') {
        // Try again at once when one of ours finishes (the slot keeper's release), or after a backoff.
        const waitMs = slots.jobLimitReached(clock.now(), options.timing, clock.random());
        log(`Chunk ${chunk.label}: Auth0 already runs 2 import jobs in this tenant; trying again ${slots.size > 0 ? 'once one of ours finishes, or ' : ''}in ${(waitMs / 1000).toFixed(1)} s`);
        return false;
    }
    queue.shift();
    if (outcome.kind === 'too-large') {
        splitTooLarge(state, result);
        return true;
    }
    result.jobId = outcome.job.id;
    result.status = outcome.job.status === 'unknown' ? 'pending' : outcome.job.status;
    result.submittedAt = clock.now();
    slots.occupy(result, firstWatch(clock.now(), options.timing));
    log(`Chunk ${chunk.label}: submitted ${chunk.users.length} users as job ${outcome.job.id} (external_id ${chunk.externalId})`);
    state.debug(`Job ${outcome.job.id} holds a slot (${slots.busy(clock.now())} of ${slots.max} busy)`);
    state.changed();
    return true;
}
/** A 413 means nothing was created: sending the halves cannot duplicate anyone. */
function splitTooLarge(state, result) {
    const { chunk } = result;
    const halves = (0,chunks/* splitChunk */.YL)(chunk);
    if (!halves) {
        result.status = 'refused';
        result.note = `Auth0 refused it as too large (413) though it holds one user: shrink that user's metadata.`;
        state.changed();
        return;
    }
    const split = halves.map((half) => ({
        chunk: half,
        status: 'not-sent',
        failedUsers: [],
        note: `Half of chunk ${chunk.label}, which Auth0 refused as too large (413, nothing created).`,
    }));
    state.results.splice(state.results.indexOf(result), 1, ...split);
    state.queue.unshift(...split);
    state.options.log(`Chunk ${chunk.label}: Auth0 refused it as too large (413, nothing created); sending it as ${halves[0].label} and ${halves[1].label}`);
    state.changed();
}
/** The create may have made a job: never sent again without upsert, which would fail every user. */
function markUnknown(state, result, why) {
    const { chunk } = result;
    const { upsert } = state.options.fields;
    result.status = 'unknown';
    result.submittedAt = state.options.clock.now();
    result.note = `${why}. Not sent again${upsert ? '' : ', as a second job would fail every user as DUPLICATED_USER'}: check the tenant's logs for external_id ${chunk.externalId}${upsert ? '' : ', or run again with upsert: true'}.`;
    state.options.log(`Chunk ${chunk.label}: ${result.note}`);
    state.changed();
}

;// CONCATENATED MODULE: ./src/auth0/schedule.ts






function isFinal(result) {
    return FINAL_STATUSES.has(result.status);
}
async function scheduleJobs(api, chunks, options) {
    const results = chunks.map((chunk) => ({ chunk, status: 'not-sent', failedUsers: [] }));
    const state = {
        api,
        options,
        results,
        queue: [...results],
        slots: new JobSlots(options.maxConcurrentJobs),
        progress: progressReporter(results, options, api.context.deadline),
        changed: () => options.onChange?.(results),
        debug: options.debug ?? (() => { }),
    };
    try {
        for (;;) {
            await submitWhileSlotsFree(state);
            if (state.stop)
                break;
            if (submittedAll(state) && (state.slots.size === 0 || !options.wait))
                break;
            if (options.clock.now() >= api.context.deadline)
                throw new errors/* DeadlineError */.j3('while waiting for the jobs');
            await sleepUntilDue(state);
            // A slot a job's estimated end freed is used before the jobs are read.
            await submitWhileSlotsFree(state);
            await lookAtDueJobs(state);
            state.progress.maybeReport(state.queue.length, state.slots.size);
        }
    }
    catch (error) {
        if (error instanceof errors/* CancelledError */.cc)
            state.stop = { kind: 'cancelled', message: 'The run was cancelled' };
        else if (error instanceof errors/* DeadlineError */.j3)
            state.stop = { kind: 'deadline', message: error.message };
        else
            throw error;
    }
    return wrapUp(state);
}
function submittedAll(state) {
    return state.queue.length === 0 || state.refusedCreate !== undefined;
}
/** Sleeps until the first thing due: a look at a job, a create, a progress line, or the deadline. */
async function sleepUntilDue(state) {
    const { api, options, slots } = state;
    const { clock } = options;
    const { deadline, signal } = api.context;
    const now = clock.now();
    const due = [{ at: deadline, what: 'wait-timeout-seconds' }];
    for (const [result, watch] of slots.entries())
        due.push({ at: watch.at, what: `a look at job ${result.jobId}` });
    const createAt = submittedAll(state) ? undefined : slots.nextCreateAt(now);
    if (createAt !== undefined)
        due.push({ at: createAt, what: `a slot for chunk ${state.queue[0].chunk.label}` });
    if (options.wait)
        due.push({ at: state.progress.nextAt(), what: 'the next progress line' });
    const next = due.reduce((first, item) => (item.at < first.at ? item : first));
    if (next.at > now)
        state.debug(`Waiting ${Math.round(next.at - now)} ms for ${next.what}`);
    await clock.sleep(next.at - now, signal);
    if (signal.aborted)
        throw new errors/* CancelledError */.cc();
}
/** Notes on the chunks never sent, and, when the run stopped early, where every chunk stands. */
function wrapUp(state) {
    const { results, queue, refusedCreate, options } = state;
    if (!state.stop && refusedCreate !== undefined)
        state.stop = { kind: 'refused', message: refusedCreate };
    const { stop } = state;
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
        options.log(`Chunks when the run stopped (${stop.kind}):`);
        for (const result of results) {
            options.log(`  chunk ${result.chunk.label}: ${result.jobId ?? `external_id ${result.chunk.externalId}`} — ${result.status}`);
        }
    }
    const rate = state.progress.usersPerMinute();
    return { results, ...(stop ? { stop } : {}), ...(rate !== undefined ? { usersPerMinute: rate } : {}) };
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
    const { code, message } = (0,http/* describeBody */.MP)(response.body);
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
        throw new TokenError(`${new http/* Auth0Error */.pk(response.status, response.body, 'Getting a Management API token').message}. ${tokenErrorAdvice(response)}`);
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
    const api = new http/* ApiClient */.OW({
        origin: settings.origin,
        clock: edge.clock,
        timing: edge.timing,
        log: edge.log,
        ...(edge.debug ? { debug: edge.debug } : {}),
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
            debug: edge.debug,
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
            connection ??= await (0,users/* connectionNameOf */.$2)(tenant.api, tenant.connectionId);
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
