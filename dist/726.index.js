export const id = 726;
export const ids = [726];
export const modules = {

/***/ 1345:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  applyAccess: () => (/* reexport */ applyAccess),
  digestEntries: () => (/* binding */ digestEntries),
  heldBackBy: () => (/* binding */ heldBackBy),
  notApplied: () => (/* binding */ notApplied),
  planTenantAccess: () => (/* binding */ planTenantAccess),
  readAccessFile: () => (/* binding */ readAccessFile),
  readAdopted: () => (/* reexport */ readAdopted),
  renderAccess: () => (/* reexport */ renderAccess),
  withAccess: () => (/* binding */ withAccess),
  writeAdopted: () => (/* reexport */ writeAdopted)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/auth0/users.ts
var auth0_users = __webpack_require__(7514);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/access/file.ts
/**
 * The access file: tenant roles and who holds them, organizations and their members with each member's
 * organization roles, by name. JSON or YAML (JSON is YAML 1.2), parsed with every value's place so each
 * problem is shown at file:line:col. No HTTP here: what the tenant has is compared in plan.ts.
 */

/** Auth0's limits: 50 roles per user, 50 roles per organization member. */
const MAX_USER_ROLES = 50;
const MAX_MEMBER_ROLES = 50;
const TOP_KEYS = ['$schema', 'roles', 'organizations'];
/** A person is a user_id when it has Auth0's `provider|id` shape, else an email. */
function personName(value, at) {
    return { kind: value.includes('|') ? 'user_id' : 'email', value, at };
}
/** Reads the access file's text; a file with problems gives no AccessFile. */
function parseAccessFile(text, file) {
    const lines = new dist/* LineCounter */.HN();
    const document = (0,dist/* parseDocument */.Tp)(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const problems = [];
    const placeOf = (node) => {
        const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
        return { line, column: col };
    };
    const report = (at, path, message, hint) => problems.push({ file, ...at, path, message, ...(hint ? { hint } : {}) });
    for (const error of document.errors) {
        const { line, col } = lines.linePos(error.pos[0]);
        const duplicate = error.code === 'DUPLICATE_KEY';
        report({ line, column: col }, '', duplicate
            ? 'a duplicate key: each role, organization and person is named once'
            : error.message.split('\n')[0], duplicate ? 'merge the two entries into one' : 'fix the syntax (JSON or YAML)');
    }
    if (problems.length > 0)
        return { problems };
    const root = document.contents;
    const access = { file, roles: [], organizations: [] };
    if (root === null)
        return { access, problems };
    if (!(0,dist/* isMap */.jh)(root)) {
        report(placeOf(root), '', 'the access file must be an object with roles and/or organizations');
        return { problems };
    }
    for (const pair of root.items) {
        const key = scalarText(pair.key);
        if (key === undefined || !TOP_KEYS.includes(key)) {
            report(placeOf(pair.key), String(key ?? ''), `unknown key; expected ${TOP_KEYS.slice(1).join(' or ')}`);
            continue;
        }
        if (key === 'roles')
            access.roles = readRoles(pair.value);
        if (key === 'organizations')
            access.organizations = readOrganizations(pair.value);
    }
    checkLimits(access, report);
    return problems.length > 0 ? { problems } : { access, problems };
    function named(node, path, what) {
        const name = scalarText(node);
        if (name === undefined || name === '') {
            report(placeOf(node), path, `${what} must be a non-empty name`);
            return undefined;
        }
        return { name, at: placeOf(node) };
    }
    function person(node, path) {
        const value = scalarText(node);
        const at = placeOf(node);
        if (value === undefined || value.trim() === '') {
            report(at, path, 'a person must be an email or a user_id such as google-oauth2|123');
            return undefined;
        }
        if (!value.includes('|') && !value.includes('@')) {
            report(at, path, `"${value}" is neither an email nor a user_id`, 'name a users-file user by email, anyone else by user_id (provider|id)');
            return undefined;
        }
        return personName(value, at);
    }
    function list(node, path, what) {
        if (!(0,dist/* isSeq */.oP)(node)) {
            report(placeOf(node), path, `${what} must be a list`, 'use [] for "nobody"; leave the key out for "not managed"');
            return [];
        }
        return node.items;
    }
    function readRoles(node) {
        if (!(0,dist/* isMap */.jh)(node)) {
            report(placeOf(node), 'roles', 'roles must map each role name to the list of its holders');
            return [];
        }
        return node.items.flatMap((pair) => {
            const role = named(pair.key, 'roles', 'a role');
            if (!role)
                return [];
            const path = `roles.${role.name}`;
            const holders = list(pair.value, path, `role ${role.name}`).flatMap((item, i) => person(item, `${path}[${i}]`) ?? []);
            unique(holders.map((holder) => ({ key: keyOf(holder), at: holder.at, label: holder.value })), path, `role ${role.name}`);
            return [{ ...role, holders }];
        });
    }
    function readOrganizations(node) {
        if (!(0,dist/* isMap */.jh)(node)) {
            report(placeOf(node), 'organizations', 'organizations must map each organization name to its members');
            return [];
        }
        return node.items.flatMap((pair) => {
            const organization = named(pair.key, 'organizations', 'an organization');
            if (!organization)
                return [];
            const path = `organizations.${organization.name}`;
            if (!(0,dist/* isMap */.jh)(pair.value) ||
                pair.value.items.length !== 1 ||
                scalarText(pair.value.items[0].key) !== 'members') {
                report(placeOf(pair.value ?? pair.key), path, `organization ${organization.name} must have members (and nothing else)`);
                return [];
            }
            const members = list(pair.value.items[0].value, `${path}.members`, 'members').flatMap((item, i) => member(item, `${path}.members[${i}]`) ?? []);
            unique(members.map(({ person: p }) => ({ key: keyOf(p), at: p.at, label: p.value })), path, `organization ${organization.name}`);
            return [{ ...organization, members }];
        });
    }
    function member(node, path) {
        if (!(0,dist/* isMap */.jh)(node)) {
            const who = person(node, path);
            return who && { person: who };
        }
        let who;
        let roles;
        for (const pair of node.items) {
            const key = scalarText(pair.key);
            if (key === 'user')
                who = person(pair.value, `${path}.user`);
            else if (key === 'roles') {
                roles = list(pair.value, `${path}.roles`, 'roles').flatMap((item, i) => named(item, `${path}.roles[${i}]`, 'a role') ?? []);
                unique(roles.map((role) => ({ key: role.name, at: role.at, label: role.name })), `${path}.roles`, 'this member');
            }
            else
                report(placeOf(pair.key), path, `unknown key ${String(key)}; a member has user and roles`);
        }
        if (!who) {
            if (!node.items.some((pair) => scalarText(pair.key) === 'user'))
                report(placeOf(node), path, 'a member needs user (an email or a user_id)');
            return undefined;
        }
        return roles ? { person: who, roles } : { person: who };
    }
    function unique(entries, path, where) {
        const seen = new Set();
        for (const entry of entries) {
            if (seen.has(entry.key))
                report(entry.at, path, `${entry.label} is named twice in ${where}`, 'name each person once');
            seen.add(entry.key);
        }
    }
}
/** How two names of a person compare: emails in any case, user_ids exactly. */
function keyOf(person) {
    return person.kind === 'email' ? person.value.toLowerCase() : person.value;
}
function checkLimits(access, report) {
    const rolesOf = new Map();
    for (const role of access.roles) {
        for (const holder of role.holders) {
            const entry = rolesOf.get(keyOf(holder)) ?? { person: holder, count: 0 };
            entry.count++;
            rolesOf.set(keyOf(holder), entry);
        }
    }
    for (const { person, count } of rolesOf.values()) {
        if (count > MAX_USER_ROLES)
            report(person.at, 'roles', `${person.value} would hold ${count} roles; Auth0 allows ${MAX_USER_ROLES} per user`, 'grant fewer roles');
    }
    for (const organization of access.organizations) {
        for (const member of organization.members) {
            if ((member.roles?.length ?? 0) > MAX_MEMBER_ROLES)
                report(member.person.at, `organizations.${organization.name}.members`, `${member.person.value} would hold ${member.roles.length} roles in ${organization.name}; Auth0 allows ${MAX_MEMBER_ROLES} per organization member`, 'grant fewer organization roles');
        }
    }
}
function scalarText(node) {
    if (!(0,dist/* isScalar */.jn)(node))
        return undefined;
    const value = node.value;
    return typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
            ? String(value)
            : undefined;
}

// EXTERNAL MODULE: ./src/plan/removals.ts
var removals = __webpack_require__(3250);
;// CONCATENATED MODULE: ./src/access/plan.ts


/** Revocations and departures first, in the plan, the report and the order they are sent. */
const ORDER = [
    'revoke-role',
    'leave',
    'revoke-member-role',
    'grant-role',
    'join',
    'grant-member-role',
];
function isRevocation(action) {
    return action.kind === 'revoke-role' || action.kind === 'leave' || action.kind === 'revoke-member-role';
}
/** The managed people: each users-file user, and each user_id the file names that is not one of them. */
class People {
    all = [];
    #byEmail = new Map();
    #byId = new Map();
    constructor(users) {
        for (const user of users) {
            const email = user.email?.toLowerCase();
            const userId = user.userId === undefined ? undefined : `auth0|${user.userId}`;
            const person = {
                label: email ?? userId ?? `user ${user.ordinal}`,
                ...(email ? { email } : {}),
                ...(userId ? { userId } : {}),
                user: { ordinal: user.ordinal, file: user.file, line: user.line, column: user.column },
            };
            this.all.push(person);
            if (email)
                this.#byEmail.set(email, person);
            if (userId)
                this.#byId.set(userId, person);
        }
    }
    /** The person a file name means, adding one for a user_id outside the users files. */
    named(name) {
        if (name.kind === 'email')
            return this.#byEmail.get(keyOf(name));
        const known = this.#byId.get(name.value);
        if (known)
            return known;
        const person = { label: name.value, userId: name.value, named: name.at };
        this.all.push(person);
        this.#byId.set(name.value, person);
        return person;
    }
    /**
     * The managed person a holder or member is, or undefined (they are left alone). By user_id; a
     * users-file user without one is matched by email among database users, and their id learnt.
     */
    holder(entry) {
        const byId = this.#byId.get(entry.user_id);
        if (byId)
            return byId;
        if (!entry.user_id.startsWith('auth0|') || !entry.email)
            return undefined;
        const byEmail = this.#byEmail.get(entry.email.toLowerCase());
        if (!byEmail || byEmail.userId !== undefined)
            return undefined;
        byEmail.userId = entry.user_id;
        this.#byId.set(entry.user_id, byEmail);
        return byEmail;
    }
}
function problemAt(file, at, path, message, hint) {
    return { file, line: at.line, column: at.column, path, message, hint };
}
/** Compares the file with the tenant: the actions, in sending order, and what stops the run. */
function planAccess(access, users, tenant, policy) {
    const { file } = access;
    const people = new People(users);
    const problems = [];
    const actions = [];
    const roleIds = new Map();
    const organizationIds = new Map();
    let current = 0;
    const resolve = (name, path) => {
        const person = people.named(name);
        if (!person)
            problems.push(problemAt(file, name.at, path, `person not found: ${name.value} is not a user of the users files`, 'add them to a users file, or name them by user_id (e.g. google-oauth2|123)'));
        return person;
    };
    const known = (found, named, path, what) => {
        if (found)
            return true;
        problems.push(problemAt(file, named.at, path, `unknown ${what}: the tenant has no ${what} named "${named.name}"`, `create it in the Auth0 dashboard first, or fix the name (names are exact, case included)`));
        return false;
    };
    // Declared holders first, so that every user_id the file names is a managed person before holders are matched.
    const wanted = access.roles.map((role) => ({
        role,
        holders: new Set(role.holders.flatMap((name) => resolve(name, `roles.${role.name}`) ?? [])),
    }));
    const wantedMembers = access.organizations.map((organization) => ({
        organization,
        members: new Map(organization.members.flatMap((member) => {
            const person = resolve(member.person, `organizations.${organization.name}.members`);
            return person ? [[person, member.roles]] : [];
        })),
    }));
    for (const { role, holders } of wanted) {
        const found = tenant.roles.get(role.name);
        if (!known(found, role, `roles.${role.name}`, 'role'))
            continue;
        roleIds.set(role.name, found.id);
        const holding = new Set(found.holders.flatMap((holder) => people.holder(holder) ?? []));
        current += holding.size;
        for (const person of people.all) {
            if (holders.has(person) && !holding.has(person))
                actions.push({ kind: 'grant-role', person, role: role.name });
            if (!holders.has(person) && holding.has(person))
                actions.push({ kind: 'revoke-role', person, role: role.name });
        }
    }
    for (const { organization, members } of wantedMembers) {
        const found = tenant.organizations.get(organization.name);
        if (!known(found, organization, `organizations.${organization.name}`, 'organization'))
            continue;
        organizationIds.set(organization.name, found.id);
        const memberRoleId = (role) => tenant.roles.get(role.name)?.id ?? tenant.memberRoles.get(role.name);
        const now = new Map(found.members.flatMap((member) => {
            const person = people.holder(member);
            return person ? [[person, new Set((member.roles ?? []).map((role) => role.id))]] : [];
        }));
        for (const roles of now.values())
            current += 1 + roles.size;
        for (const person of people.all) {
            const declared = members.has(person);
            const held = now.get(person);
            const name = organization.name;
            if (!declared) {
                if (held)
                    actions.push({ kind: 'leave', person, organization: name });
                continue;
            }
            if (!held)
                actions.push({ kind: 'join', person, organization: name });
            const roles = members.get(person);
            if (!roles)
                continue;
            const wantedIds = new Map();
            for (const role of roles) {
                const id = memberRoleId(role);
                if (!known(id, role, `organizations.${name}.members`, 'role'))
                    continue;
                wantedIds.set(id, role.name);
                roleIds.set(role.name, id);
            }
            for (const [id, role] of wantedIds)
                if (!held?.has(id))
                    actions.push({ kind: 'grant-member-role', person, organization: name, role });
            for (const id of held ?? []) {
                if (wantedIds.has(id))
                    continue;
                const role = found.members
                    .find((member) => people.holder(member) === person)
                    ?.roles?.find((r) => r.id === id);
                const roleName = role?.name ?? id;
                roleIds.set(roleName, id);
                actions.push({ kind: 'revoke-member-role', person, organization: name, role: roleName });
            }
        }
    }
    const kept = actions.filter((action) => isRevocation(action) && policy.isProtected(action.person.email));
    const planned = actions
        .filter((action) => !kept.includes(action))
        .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
    const revocations = planned.filter(isRevocation).length;
    const limit = (0,removals/* limitOf */.LF)(policy.maxRevocations, current);
    if (revocations > limit) {
        const as = 'count' in policy.maxRevocations
            ? `${limit}`
            : `${limit} (${policy.maxRevocations.percent}% of ${current})`;
        problems.push(problemAt(file, { line: 1, column: 1 }, '', `the access file would revoke ${revocations} roles or memberships, more than max-revocations allows: ${as}; nothing was sent`, 'check the file and the users files (a truncated file revokes everyone it lost), then raise max-revocations for this run if it is meant'));
    }
    return { file, actions: planned, kept, current, roleIds, organizationIds, problems };
}
/** Whether a protected-users pattern list (emails, `*` any run of characters) holds an email: the removals' rule. */
function protectedMatcher(patterns) {
    return (email) => email !== undefined && (0,removals/* isProtected */.bz)(email, patterns) !== undefined;
}

// EXTERNAL MODULE: ./src/report/markdown.ts
var markdown = __webpack_require__(4285);
;// CONCATENATED MODULE: ./src/access/report.ts
/**
 * How access reads in the summary and the plan comment: one model (the plan, with outcomes once
 * applied), per person, revocations and departures first; and the outputs it sets.
 */


const SUMMARY_ACCESS_ROWS = 200;
function change(action) {
    switch (action.kind) {
        case 'revoke-role':
        case 'grant-role':
            return `role ${action.role}`;
        case 'leave':
        case 'join':
            return `organization ${action.organization}`;
        case 'revoke-member-role':
        case 'grant-member-role':
            return `${action.organization} role ${action.role}`;
    }
}
function mark(result) {
    if (!result)
        return '';
    switch (result.outcome) {
        case 'done':
            return ' ✓';
        case 'failed':
            return ` ✗ (${result.detail ?? 'failed'})`;
        case 'held':
            return ` held back (${result.detail ?? 'import failed'})`;
        case 'not-done':
            return ` not done (${result.detail ?? 'stopped'})`;
    }
}
/** One line of counts: what the plan will do, or what it did. */
function accessLine(plan, results) {
    const revocations = plan.actions.filter(isRevocation).length;
    const grants = plan.actions.length - revocations;
    const kept = plan.kept.length > 0 ? `; ${(0,markdown/* plural */.LS)(plan.kept.length, 'revocation')} kept back for protected-users` : '';
    if (!results)
        return `Access (${plan.file}): will revoke ${revocations}, will grant ${grants}${kept}.`;
    const count = (outcome) => results.filter((result) => result.outcome === outcome).length;
    const others = [
        [count('held'), 'held back (import failed)'],
        [count('failed'), 'failed'],
        [count('not-done'), 'not done'],
    ];
    const done = accessCounts(results);
    const rest = others.flatMap(([n, what]) => (n > 0 ? [`, ${n} ${what}`] : [])).join('');
    return `Access (${plan.file}): ${done['access-revoked']} revoked, ${done['access-granted']} granted${rest}${kept}.`;
}
/** Per person: what they lose (first) and what they gain, with outcomes once applied. */
function renderAccess(plan, results, stopped) {
    const outcome = new Map(results?.map((result) => [result.action, result]));
    const byPerson = new Map();
    for (const action of plan.actions) {
        const entry = byPerson.get(action.person) ?? { lose: [], gain: [] };
        (isRevocation(action) ? entry.lose : entry.gain).push(`${change(action)}${mark(outcome.get(action))}`);
        byPerson.set(action.person, entry);
    }
    const rows = [...byPerson].sort(([, a], [, b]) => Number(b.lose.length > 0) - Number(a.lose.length > 0));
    const parts = [`### Access (${plan.actions.length})`, (0,markdown/* cell */.Hn)(accessLine(plan, results))];
    if (rows.length > 0)
        parts.push((0,markdown/* cappedTable */.Uz)(['Person', 'Revoked and left', 'Granted and joined'], rows, ([person, { lose, gain }]) => [person.label, lose.join('; ') || '—', gain.join('; ') || '—'], SUMMARY_ACCESS_ROWS));
    if (plan.kept.length > 0)
        parts.push((0,markdown/* cell */.Hn)(`Kept (protected-users): ${plan.kept.map((action) => `${action.person.label}: ${change(action)}`).join('; ')}.`));
    if (stopped)
        parts.push(`Access stopped: ${stopped}.`);
    return parts.join('\n\n');
}
function accessCounts(results) {
    const done = results.filter((result) => result.outcome === 'done');
    const revoked = done.filter((result) => isRevocation(result.action)).length;
    return { 'access-granted': done.length - revoked, 'access-revoked': revoked };
}
/** Failed changes of users-file users, on their lines. */
function accessProblems(results) {
    return results.flatMap((result) => {
        const user = result.action.person.user;
        if (result.outcome !== 'failed' || !user)
            return [];
        return [
            {
                file: user.file,
                line: user.line,
                column: user.column,
                path: '',
                message: `Access for ${result.action.person.label} (${change(result.action)}) failed: ${result.detail ?? ''}`,
                hint: 'the other changes went on; run again once the cause is fixed (a second run sends only what is still missing)',
            },
        ];
    });
}

// EXTERNAL MODULE: ./src/auth0/http.ts + 3 modules
var http = __webpack_require__(8552);
;// CONCATENATED MODULE: ./src/auth0/pages.ts
/** Checkpoint pagination: `from` omitted first, `next` followed until absent (forward only, 24 h). */

/** Auth0's largest page (`take` 1–100); a general docs page says 50 on public cloud, and a shorter page is read as well. */
const PAGE_SIZE = 100;
/** Every item of a checkpoint-paged list at `path` (which has no query yet or ends in one), under `list`. */
async function readAllPages(api, path, list, what) {
    const items = [];
    const joiner = path.includes('?') ? '&' : '?';
    let from;
    do {
        const response = await api.send({
            method: 'GET',
            path: `${path}${joiner}take=${PAGE_SIZE}${from ? `&from=${encodeURIComponent(from)}` : ''}`,
            repeatable: true,
        });
        if (response.status !== 200)
            throw new http/* Auth0Error */.pk(response.status, response.body, `Reading ${what}`);
        const body = (response.body ?? {});
        const page = body[list];
        if (!Array.isArray(page))
            throw new Error(`Reading ${what}: Auth0's answer has no "${list}" list`);
        items.push(...page);
        from = typeof body['next'] === 'string' && page.length > 0 ? body['next'] : undefined;
    } while (from);
    return items;
}
/** Sends a JSON body; any 2xx is success, anything else an Auth0Error naming `what`. */
async function sendJson(api, method, path, body, what) {
    const response = await api.send({
        method,
        path,
        body: { contentType: 'application/json', data: JSON.stringify(body) },
        // Granting or revoking twice leaves the same state: safe to send again after a lost answer.
        repeatable: true,
    });
    if (response.status < 200 || response.status >= 300)
        throw new http/* Auth0Error */.pk(response.status, response.body, what);
}

;// CONCATENATED MODULE: ./src/auth0/organizations.ts
/** Organizations: find one by name, read its members with their roles, add and remove members, change member roles. */


/** Auth0 takes at most 10 members per request to add or remove. */
const MEMBERS_PER_REQUEST = 10;
/** The organization's id, or undefined when there is none of that name (`read:organizations`). */
async function findOrganization(api, name) {
    const response = await api.send({
        method: 'GET',
        path: `/api/v2/organizations/name/${encodeURIComponent(name)}`,
        repeatable: true,
    });
    if (response.status === 404)
        return undefined;
    const id = response.body?.id;
    if (response.status !== 200 || typeof id !== 'string')
        throw new http/* Auth0Error */.pk(response.status, response.body, `Finding organization ${name}`);
    return id;
}
/** Every member with their organization roles (`read:organization_members`, `read:organization_member_roles`). */
function organizationMembers(api, organizationId, name) {
    return readAllPages(api, `/api/v2/organizations/${encodeURIComponent(organizationId)}/members?fields=user_id,email,roles`, 'members', `the members of organization ${name}`);
}
/** Adds or removes at most 10 members (`create:` / `delete:organization_members`). */
function changeMembers(api, organizationId, name, change, userIds) {
    return sendJson(api, change === 'add' ? 'POST' : 'DELETE', `/api/v2/organizations/${encodeURIComponent(organizationId)}/members`, { members: userIds }, `${change === 'add' ? 'Adding members to' : 'Removing members from'} organization ${name}`);
}
/** Grants or revokes one member's organization roles (`create:` / `delete:organization_member_roles`). */
function changeMemberRoles(api, organizationId, name, userId, change, roleIds) {
    return sendJson(api, change === 'add' ? 'POST' : 'DELETE', `/api/v2/organizations/${encodeURIComponent(organizationId)}/members/${encodeURIComponent(userId)}/roles`, { roles: roleIds }, `${change === 'add' ? 'Granting' : 'Revoking'} organization ${name} roles of ${userId}`);
}
/** Every organization of the tenant (`read:organizations`), by checkpoint. */
function listOrganizations(api) {
    return readAllPages(api, '/api/v2/organizations', 'organizations', 'the organizations');
}

;// CONCATENATED MODULE: ./src/auth0/roles.ts
/** Tenant roles: find one by name, read its holders, grant it to many users, revoke roles from one user. */


/**
 * The id of the role named exactly `name`, or undefined (`read:roles`). `name_filter` is a
 * case-insensitive filter, not a match: the exact name is checked here, on every page.
 */
async function findRole(api, name) {
    const perPage = 100;
    for (let page = 0;; page++) {
        const response = await api.send({
            method: 'GET',
            path: `/api/v2/roles?name_filter=${encodeURIComponent(name)}&per_page=${perPage}&page=${page}`,
            repeatable: true,
        });
        if (response.status !== 200)
            throw new http/* Auth0Error */.pk(response.status, response.body, `Finding role ${name}`);
        const roles = Array.isArray(response.body) ? response.body : [];
        const found = roles.find((role) => role.name === name && typeof role.id === 'string');
        if (found)
            return found.id;
        if (roles.length < perPage)
            return undefined;
    }
}
/** Everyone holding the role (`read:roles`, `read:role_members`), by checkpoint. */
function roleHolders(api, roleId, name) {
    return readAllPages(api, `/api/v2/roles/${encodeURIComponent(roleId)}/users`, 'users', `the holders of role ${name}`);
}
/** Auth0 documents no maximum for `POST /roles/{id}/users`; this keeps each body modest. */
const GRANT_BATCH = 1_000;
/** Grants one role to many users in one request (`create:role_members`). */
function grantRole(api, roleId, name, userIds) {
    return sendJson(api, 'POST', `/api/v2/roles/${encodeURIComponent(roleId)}/users`, { users: userIds }, `Granting role ${name}`);
}
/** Revokes roles from one user (`delete:role_members`): the API has no bulk removal from a role. */
function revokeRoles(api, userId, roleIds) {
    return sendJson(api, 'DELETE', `/api/v2/users/${encodeURIComponent(userId)}/roles`, { roles: roleIds }, `Revoking roles of ${userId}`);
}
/** Every role of the tenant (`read:roles`): at most 1,000, so offset paging reaches them all. */
async function listRoles(api) {
    const roles = [];
    const perPage = 100;
    for (let page = 0; page * perPage < 1_000; page++) {
        const response = await api.send({
            method: 'GET',
            path: `/api/v2/roles?per_page=${perPage}&page=${page}`,
            repeatable: true,
        });
        if (response.status !== 200)
            throw new http/* Auth0Error */.pk(response.status, response.body, 'Listing roles');
        const batch = Array.isArray(response.body) ? response.body : [];
        roles.push(...batch);
        if (batch.length < perPage)
            break;
    }
    return roles;
}

;// CONCATENATED MODULE: ./src/access/tenant.ts


async function readTenantAccess(api, access) {
    const tenant = { roles: new Map(), organizations: new Map(), memberRoles: new Map() };
    for (const role of access.roles) {
        const id = await findRole(api, role.name);
        tenant.roles.set(role.name, id === undefined ? undefined : { id, holders: await roleHolders(api, id, role.name) });
    }
    for (const organization of access.organizations) {
        const id = await findOrganization(api, organization.name);
        tenant.organizations.set(organization.name, id === undefined ? undefined : { id, members: await organizationMembers(api, id, organization.name) });
        for (const member of organization.members) {
            for (const role of member.roles ?? []) {
                if (tenant.roles.has(role.name) || tenant.memberRoles.has(role.name))
                    continue;
                tenant.memberRoles.set(role.name, await findRole(api, role.name));
            }
        }
    }
    return tenant;
}

;// CONCATENATED MODULE: ./src/access/apply.ts
/**
 * Carries out the access plan after the import, following each user's import outcome: nothing for a
 * user whose import failed. Revocations and departures first; grants in bulk (one request per role,
 * organization members ten at a time); per user only where the API has no bulk form.
 */




/** Why nothing more can be sent (cancelled, out of time, credentials refused), or undefined. */
function stopReason(error) {
    if (error instanceof http/* CancelledError */.cc)
        return 'the run was cancelled first';
    if (error instanceof http/* DeadlineError */.j3)
        return 'wait-timeout-seconds ran out first';
    if ((0,http/* isPermanentRefusal */.Lm)(error))
        return `Auth0 refused the credentials (${describe(error)})`;
    return undefined;
}
function describe(error) {
    return error instanceof Error ? error.message : String(error);
}
function batches(items, size) {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}
function groupBy(items, key) {
    const groups = new Map();
    for (const item of items)
        groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
    return groups;
}
async function applyAccess(api, plan, edge) {
    const results = new Map();
    const settle = (actions, outcome, detail) => {
        for (const action of actions)
            results.set(action, { action, outcome, ...(detail ? { detail } : {}) });
    };
    const ready = [];
    for (const action of plan.actions) {
        const why = action.person.user && edge.heldBack(action.person.user.ordinal);
        if (why)
            settle([action], 'held', why);
        else
            ready.push(action);
    }
    let stopped;
    /** Sends one request for `actions`; a refusal fails them; a cancellation or the deadline stops the rest. */
    const send = async (actions, request) => {
        try {
            await request();
            settle(actions, 'done');
        }
        catch (error) {
            if (stopReason(error))
                throw error;
            edge.log(`Access: ${describe(error)}`);
            settle(actions, 'failed', describe(error));
        }
    };
    try {
        await resolveIds(api, ready, edge, settle);
        const go = ready.filter((action) => !results.has(action));
        const idOf = (person) => person.userId;
        const of = (kind) => go.filter((action) => action.kind === kind);
        for (const actions of groupBy(of('revoke-role'), (a) => idOf(a.person)).values()) {
            const roleIds = actions.map((action) => plan.roleIds.get(action.role));
            await send(actions, () => revokeRoles(api, idOf(actions[0].person), roleIds));
        }
        await memberships(of('leave'), 'remove');
        await memberRoles(of('revoke-member-role'), 'remove');
        for (const [role, actions] of groupBy(of('grant-role'), (a) => a.role)) {
            for (const batch of batches(actions, GRANT_BATCH)) {
                const id = plan.roleIds.get(role);
                await send(batch, () => grantRole(api, id, role, batch.map((a) => idOf(a.person))));
            }
        }
        await memberships(of('join'), 'add');
        await memberRoles(of('grant-member-role'), 'add');
        /** Organization members, at most MEMBERS_PER_REQUEST a request, as Auth0 documents. */
        async function memberships(actions, change) {
            for (const [organization, group] of groupBy(actions, (a) => a.organization)) {
                const id = plan.organizationIds.get(organization);
                for (const batch of batches(group, MEMBERS_PER_REQUEST)) {
                    const members = batch.map((a) => idOf(a.person));
                    await send(batch, () => changeMembers(api, id, organization, change, members));
                }
            }
        }
        async function memberRoles(actions, change) {
            for (const group of groupBy(actions, (a) => `${a.organization}\n${idOf(a.person)}`).values()) {
                const { organization, person } = group[0];
                // A member whose joining failed cannot be given roles in the organization.
                const joining = results.get(plan.actions.find((a) => a.kind === 'join' && a.person === person && a.organization === organization));
                if (joining && joining.outcome !== 'done') {
                    settle(group, 'failed', `not a member of ${organization}: ${joining.detail ?? joining.outcome}`);
                    continue;
                }
                const id = plan.organizationIds.get(organization);
                const roleIds = group.map((a) => plan.roleIds.get(a.role));
                await send(group, () => changeMemberRoles(api, id, organization, idOf(person), change, roleIds));
            }
        }
    }
    catch (error) {
        stopped = stopReason(error);
        if (!stopped)
            throw error;
    }
    for (const action of plan.actions)
        if (!results.has(action))
            settle([action], 'not-done', stopped);
    return { results: plan.actions.map((action) => results.get(action)), ...(stopped ? { stopped } : {}) };
}
/** Users new to the tenant are found by email once their import has made them (one request each). */
async function resolveIds(api, actions, edge, settle) {
    for (const [, group] of groupBy(actions.filter((action) => !action.person.userId), (action) => action.person.label)) {
        const person = group[0].person;
        if (!person.email) {
            settle(group, 'failed', 'no email or user_id to find the user by');
            continue;
        }
        try {
            // Database connections keep emails lower-cased, and Auth0 matches them case-sensitively.
            const found = await (0,auth0_users/* usersByEmail */.Kh)(api, person.email.toLowerCase());
            const connection = edge.connection;
            const ours = connection
                ? found.filter((user) => (0,auth0_users/* isPrimaryIn */.SJ)(user, connection))
                : found.filter((user) => user.user_id.startsWith('auth0|'));
            if (ours.length === 1)
                person.userId = ours[0].user_id;
            else
                settle(group, 'failed', ours.length === 0 ? 'not in the tenant after the import' : `${ours.length} users have this email`);
        }
        catch (error) {
            if (stopReason(error))
                throw error;
            settle(group, 'failed', describe(error));
        }
    }
}

;// CONCATENATED MODULE: ./src/access/adopt.ts
/**
 * Adopting what exists: the access file written from what the tenant has now, for the managed people
 * (the users files' users), so a team starts from the tenant rather than from an empty file. Only roles
 * and organizations that one of them holds are written: naming another would make it managed for nothing.
 */






/** The users-file user a holder is (by user_id, else by email among database users), by email. */
function managedEmails(users) {
    const byId = new Map();
    const byEmail = new Set();
    for (const user of users) {
        if (!user.email)
            continue;
        const email = user.email.toLowerCase();
        if (user.userId !== undefined)
            byId.set(`auth0|${user.userId}`, email);
        else
            byEmail.add(email);
    }
    return (holder) => {
        const known = byId.get(holder.user_id);
        if (known)
            return known;
        const email = holder.email?.toLowerCase();
        return holder.user_id.startsWith('auth0|') && email && byEmail.has(email) ? email : undefined;
    };
}
async function readAdopted(api, users) {
    const managed = managedEmails(users);
    const adopted = { roles: {}, organizations: {} };
    const byName = (a, b) => (a.name < b.name ? -1 : 1);
    for (const role of (await listRoles(api)).sort(byName)) {
        const holders = (await roleHolders(api, role.id, role.name)).flatMap((holder) => managed(holder) ?? []);
        if (holders.length > 0)
            adopted.roles[role.name] = holders.sort();
    }
    for (const organization of (await listOrganizations(api)).sort(byName)) {
        const members = (await organizationMembers(api, organization.id, organization.name)).flatMap((member) => {
            const email = managed(member);
            if (!email)
                return [];
            const roles = (member.roles ?? []).flatMap((role) => role.name ?? []);
            return [roles.length > 0 ? { user: email, roles: roles.sort() } : email];
        });
        if (members.length > 0)
            adopted.organizations[organization.name] = { members };
    }
    return adopted;
}
/** Writes the adopted access file (YAML, with the schema named for editors) and says what it holds. */
async function writeAdopted(workspace, file, adopted) {
    const full = external_node_path_default().resolve(workspace, file);
    const header = '# Written by auth0-user-import (write-access-file) from what the tenant has.\n# Only the roles and organizations named here are managed; see docs/access-as-code.md of the action.\n';
    await (0,promises_.mkdir)(external_node_path_default().dirname(full), { recursive: true });
    await (0,promises_.writeFile)(full, header + (0,dist/* stringify */.As)(adopted), { flag: 'wx' });
    const roles = Object.keys(adopted.roles).length;
    const organizations = Object.keys(adopted.organizations).length;
    const line = `Wrote ${file} from the tenant: ${(0,markdown/* plural */.LS)(roles, 'role')} and ${(0,markdown/* plural */.LS)(organizations, 'organization')} the users files' users hold. Nothing else was sent; commit it in a pull request to manage them.`;
    return {
        outcome: { ok: true, verdict: `✅ ${line}`, failures: [], nextSteps: [] },
        sections: [],
        outputs: { 'access-file-written': file },
    };
}

;// CONCATENATED MODULE: ./src/access/index.ts
/**
 * Access as code in a run: read the access file, plan it against the tenant before anything is sent,
 * apply it after the import following each user's outcome, and add it to what the run publishes.
 */










/** The access plan as the reviewed plan's digest holds it: per person, each change named. */
function digestEntries(plan) {
    const byPerson = new Map();
    for (const action of plan.actions) {
        const label = action.person.label.toLowerCase();
        const place = 'organization' in action
            ? `${action.organization}${'role' in action ? `/${action.role}` : ''}`
            : action.role;
        byPerson.set(label, [...(byPerson.get(label) ?? []), `${action.kind}:${place}`]);
    }
    return [...byPerson].map(([label, changes]) => [label, 'access', changes.sort()]);
}
/** The access file read and checked, or its problems; `missing` when it does not exist. */
async function readAccessFile(workspace, file) {
    const full = external_node_path_default().resolve(workspace, file);
    const relative = external_node_path_default().relative(workspace, full);
    const place = { file: relative, line: 1, column: 1, path: '' };
    if (relative.startsWith('..') || external_node_path_default().isAbsolute(relative))
        return { problems: [{ ...place, file, message: 'access-file must be inside the workspace' }] };
    let text;
    try {
        text = await (0,promises_.readFile)(full, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return {
                missing: true,
                problems: [
                    {
                        ...place,
                        message: `access-file ${file} does not exist`,
                        hint: 'create it, or run the workflow once with write-access-file: true to adopt what the tenant has',
                    },
                ],
            };
        return { problems: [{ ...place, message: `access-file ${file} cannot be read: ${String(error)}` }] };
    }
    return parseAccessFile(text, relative);
}
/**
 * Reads the named roles and organizations once each and compares them with the file. A user_id the
 * file names that no listing showed is looked up before anything is sent: an unknown one would fail
 * the whole bulk grant it is part of.
 */
async function planTenantAccess(api, access, users, settings) {
    const tenant = await readTenantAccess(api, access);
    const plan = planAccess(access, users, tenant, {
        maxRevocations: settings.maxRevocations,
        isProtected: protectedMatcher(settings.protectedUsers),
    });
    const listed = new Set([...tenant.roles.values(), ...tenant.organizations.values()].flatMap((found) => found ? ('holders' in found ? found.holders : found.members).map((entry) => entry.user_id) : []));
    const named = new Set(plan.actions.map((action) => action.person).filter((person) => person.named));
    for (const person of named) {
        if (listed.has(person.userId) || (await (0,auth0_users/* userExists */.sI)(api, person.userId)))
            continue;
        plan.problems.push({
            file: plan.file,
            ...person.named,
            path: '',
            message: `person not found: the tenant has no user ${person.label}`,
            hint: 'check the user_id in the dashboard (User Management > Users), e.g. google-oauth2|123',
        });
    }
    return plan;
}
/**
 * Why a users-file user's access changes are held back: their import did not complete or Auth0
 * rejected them (issue 18's rule). Users not sent (unchanged) go on.
 */
function heldBackBy(results) {
    const held = new Map();
    for (const result of results) {
        const rejected = new Set(result.failedUsers.map((user) => `${user.file}:${user.line}`));
        for (const user of result.chunk.users) {
            if (result.status !== 'completed')
                held.set(user.ordinal, `import ${result.status}`);
            else if (rejected.has(`${user.file}:${user.line}`))
                held.set(user.ordinal, 'import rejected the user');
        }
    }
    return (ordinal) => held.get(ordinal);
}
/** Access left alone because the import did not finish (cancelled, out of time, could not begin). */
function notApplied(plan) {
    const stopped = 'the import did not finish, so no access change was sent';
    return { results: plan.actions.map((action) => ({ action, outcome: 'not-done' })), stopped };
}
/** The run's publication with access added: the plan (or what was applied), its outputs, its failures. */
function withAccess(publication, plan, applied) {
    if (!plan)
        return publication;
    const section = renderAccess(plan, applied?.results, applied?.stopped);
    if (!applied)
        return { ...publication, sections: [...publication.sections, section] };
    const failed = applied.results.filter((result) => result.outcome === 'failed' || result.outcome === 'not-done');
    const { outcome } = publication;
    const failure = failed.length > 0 ? [accessLine(plan, applied.results)] : [];
    return {
        ...publication,
        outcome: failed.length > 0
            ? {
                ...outcome,
                ok: false,
                verdict: outcome.ok ? `❌ ${accessLine(plan, applied.results)}` : outcome.verdict,
                failures: [...outcome.failures, ...failure],
            }
            : outcome,
        sections: [...publication.sections, section],
        outputs: { ...publication.outputs, ...accessCounts(applied.results) },
        problems: [...(publication.problems ?? []), ...accessProblems(applied.results)],
    };
}


/***/ })

};
