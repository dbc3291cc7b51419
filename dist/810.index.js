export const id = 810;
export const ids = [810];
export const modules = {

/***/ 9810:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  importChunks: () => (/* binding */ importChunks),
  openTenant: () => (/* binding */ openTenant),
  readTenant: () => (/* binding */ readTenant)
});

// EXTERNAL MODULE: ./src/auth0/http.ts
var http = __webpack_require__(5708);
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

// EXTERNAL MODULE: ./src/users/chunks.ts
var users_chunks = __webpack_require__(4100);
// EXTERNAL MODULE: ./src/auth0/timing.ts
var auth0_timing = __webpack_require__(2814);
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
    const mayLookEarly = () => (0,http/* spareRequests */.cO)(api.quota, clock.now()) > 2 * options.maxConcurrentJobs;
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
        if ((0,http/* spareRequests */.cO)(api.quota, now) >= 2)
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
                if ((error instanceof http/* CancelledError */.cc || error instanceof http/* DeadlineError */.j3) && !error.inFlight)
                    throw error;
                if (error instanceof http/* CancelledError */.cc ||
                    error instanceof http/* DeadlineError */.j3 ||
                    error instanceof http/* UncertainError */.On) {
                    queue.shift();
                    markUnknown(result, error instanceof http/* UncertainError */.On
                        ? error.message
                        : `${error instanceof http/* CancelledError */.cc ? 'Cancelled' : 'wait-timeout-seconds ran out'} while the request was out: Auth0 may have created the job`);
                    if (error instanceof http/* CancelledError */.cc || error instanceof http/* DeadlineError */.j3)
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
                if (error instanceof http/* CancelledError */.cc || error instanceof http/* DeadlineError */.j3)
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
            if (error instanceof http/* CancelledError */.cc || error instanceof http/* DeadlineError */.j3)
                throw error;
            if ((0,http/* isPermanentRefusal */.Lm)(error)) {
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
                throw new http/* DeadlineError */.j3('while waiting for the jobs');
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
                throw new http/* CancelledError */.cc();
            // A slot a job's estimated end freed is used before the jobs are read.
            await submitWhileSlotsFree();
            for (const [result, state] of [...active]) {
                if (state.at > clock.now() || stop)
                    continue;
                // Reading a job that has ended can wait for the bucket; sending the next chunk cannot.
                if (presumedEnded(state) && queue.length > 0 && (0,http/* spareRequests */.cO)(api.quota, clock.now()) < 2) {
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
        if (error instanceof http/* CancelledError */.cc) {
            stop = { kind: 'cancelled', message: 'The run was cancelled' };
        }
        else if (error instanceof http/* DeadlineError */.j3) {
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
                if (error instanceof http/* CancelledError */.cc || error instanceof http/* DeadlineError */.j3)
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
            throw signal.aborted ? new http/* CancelledError */.cc() : new BrokenDownload(export_message(error));
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
function export_message(error) {
    return error instanceof Error ? error.message : String(error);
}

// EXTERNAL MODULE: ./src/auth0/users.ts
var users = __webpack_require__(7514);
;// CONCATENATED MODULE: ./src/auth0/reconcile.ts


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
function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
}
function describe(error) {
    return error instanceof Error ? error.message : String(error);
}
async function findOne(api, clock, email, connection) {
    await leaveHeadroom(api, clock);
    const found = (0,users/* inConnection */.IQ)(await (0,users/* usersByEmail */.Kh)(api, email), connection);
    if (found.length === 0)
        return 'missing';
    if (found.length > 1)
        return { ambiguous: found.length };
    return found[0];
}
/** Identity attributes of a database user: changing one needs `connection` in the body. */
const NEEDS_CONNECTION = ['email', 'username', 'phone_number'];
async function patch(api, clock, user, body, connection) {
    await leaveHeadroom(api, clock);
    const withConnection = Object.keys(body).some((key) => NEEDS_CONNECTION.includes(key))
        ? { ...body, connection }
        : body;
    await (0,users/* updateUser */.TK)(api, user.user_id, withConnection);
}
async function carryOut(api, action, edge) {
    const { clock, connection } = edge;
    const lookFor = action.kind === 'rename' ? action.from : action.email;
    const found = await findOne(api, clock, lookFor, connection);
    if (typeof found === 'object' && 'ambiguous' in found)
        return {
            action,
            outcome: 'failed',
            detail: `${found.ambiguous} users of ${connection} have the email ${lookFor}: fix it in the dashboard`,
        };
    if (found === 'missing') {
        if (action.kind === 'delete')
            return { action, outcome: 'skipped', detail: 'already gone' };
        if (action.kind === 'rename') {
            const renamed = await findOne(api, clock, action.email, connection);
            if (typeof renamed === 'object' && 'user_id' in renamed)
                return { action, outcome: 'skipped', detail: `already renamed (${renamed.user_id})` };
        }
        return { action, outcome: 'failed', detail: `no user ${lookFor} in connection ${connection}` };
    }
    switch (action.kind) {
        case 'update': {
            const changes = Object.fromEntries(Object.entries(action.set).filter(([key, value]) => !same(found[key], value)));
            if (Object.keys(changes).length === 0)
                return { action, outcome: 'skipped', detail: `already so (${found.user_id})` };
            await patch(api, clock, found, changes, connection);
            return {
                action,
                outcome: 'done',
                detail: `set ${Object.keys(changes).join(', ')} on ${found.user_id}`,
            };
        }
        case 'rename':
            await patch(api, clock, found, { email: action.email }, connection);
            return { action, outcome: 'done', detail: `${found.user_id}: ${action.from} → ${action.email}` };
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
/** Each action in turn; a cancellation or the deadline leaves the rest not done (and says so). */
async function reconcileUsers(api, actions, edge) {
    const results = [];
    for (const [i, action] of actions.entries()) {
        try {
            const result = await carryOut(api, action, edge);
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
class ManagementTokens {
    /** Scopes of the current token, undefined when Auth0 did not say. */
    scopes;
    #token;
    #current;
    #renewed = false;
    #api;
    #credentials;
    #setSecret;
    constructor(api, credentials, setSecret) {
        this.#api = api;
        this.#credentials = credentials;
        this.#setSecret = setSecret;
        if (credentials.kind === 'token') {
            this.#current = credentials.token;
            this.#token = Promise.resolve(credentials.token);
            this.scopes = scopesOfJwt(credentials.token);
        }
    }
    token() {
        // Concurrent requests share one grant request.
        this.#token ??= this.#fetch().then((token) => (this.#current = token), (error) => {
            this.#token = undefined;
            throw error;
        });
        return this.#token;
    }
    renewAfterRefusal(refused) {
        if (this.#current !== refused)
            return true;
        // A token given as it is cannot be renewed; one renewal a run covers a token that expired or
        // was rotated (tokens last 24 h, a run at most 6): a second refusal is for good.
        if (this.#credentials.kind === 'token' || this.#renewed)
            return false;
        this.#renewed = true;
        this.#token = undefined;
        this.#current = undefined;
        return true;
    }
    async #fetch() {
        if (this.#credentials.kind === 'token')
            return this.#credentials.token;
        const { clientId, clientSecret, audience } = this.#credentials;
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
            return body.access_token;
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
        context: edge.context,
    });
    try {
        const tokens = new ManagementTokens(api, settings.credentials, edge.setSecret);
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
    // After the jobs, and only when the run still has its credentials and its time.
    if (request.reconcile.length === 0 || ('stop' in result && result.stop))
        return imported;
    const reconcile = await edge.phase(`Reconcile ${request.reconcile.length} user${request.reconcile.length === 1 ? '' : 's'}`, async () => {
        let connection = tenant.connectionName;
        try {
            connection ??= await (0,users/* connectionNameOf */.$2)(tenant.api, tenant.connectionId);
        }
        catch (error) {
            const why = `the connection's name is unknown (${import_message(error)})`;
            return {
                results: request.reconcile.map((action) => ({ action, outcome: 'not-done', detail: why })),
                stopped: why,
            };
        }
        return reconcileUsers(tenant.api, request.reconcile, { connection, clock: edge.clock, log: edge.log });
    });
    return { ...imported, reconcile };
}


/***/ })

};
