/**
 * Everything that can be known before a request is sent: the users files read and validated, the
 * users to send (all, or with only-changed those a change added or modified), and the chunks.
 */
import { largestEnvelopeBytes } from '../auth0/import-form.js';
import { changedUsers } from '../github/changed-users.js';
import type { Settings } from '../inputs.js';
import { removedWarning } from '../report/changes.js';
import { plural } from '../report/markdown.js';
import type { ValidationReport } from '../report/validation.js';
import { buildChunks, planChunks } from '../users/chunks.js';
import type { Problem } from '../users/problem.js';
import { readUsersFile, resolveUsersFiles, type UsersFileText } from '../users/read.js';
import { validateRun } from '../users/validate.js';

export interface PlanEdge {
  workspace: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  externalIdPrefix: string;
  log: (message: string) => void;
  warn: (message: string) => void;
}

export class CancelledBeforeSending extends Error {
  constructor() {
    super('The run was cancelled before anything was sent.');
  }
}

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledBeforeSending();
}

export async function planRun(settings: Settings, edge: PlanEdge): Promise<ValidationReport> {
  const { workspace, signal, log } = edge;
  const paths = await resolveUsersFiles(settings.usersFiles, workspace);
  const texts: UsersFileText[] = [];
  const unreadable: Problem[] = [];
  for (const file of paths) {
    checkCancelled(signal);
    const read = await readUsersFile(workspace, file);
    if ('text' in read) texts.push(read);
    else unreadable.push(read);
  }
  checkCancelled(signal);
  const validation = validateRun(texts);
  checkCancelled(signal);
  const selected = settings.onlyChanged
    ? await changedUsers({
        onlyChanged: settings.onlyChanged,
        upsert: settings.upsert,
        workspace,
        env: edge.env,
        files: texts.map((text) => text.file),
        users: validation.users,
        log,
        signal,
      })
    : undefined;
  checkCancelled(signal);
  const removed = selected && removedWarning(selected.changes, selected.commit);
  if (removed) edge.warn(removed);
  const users = selected?.users ?? validation.users;
  const budget = settings.maxChunkBytes - largestEnvelopeBytes(edge.externalIdPrefix, users.length);
  const spans = planChunks(
    users.map((user) => user.bytes),
    budget,
  );
  const oversized = spans.oversized.map((index): Problem => {
    const user = users[index]!;
    return {
      file: user.file,
      line: user.line,
      column: user.column,
      path: `[${user.index}]`,
      message: `The user is ${user.bytes} bytes of JSON: with the request's multipart envelope it exceeds max-chunk-bytes (${settings.maxChunkBytes})`,
      hint: 'Shrink its metadata, or raise max-chunk-bytes (at most 512000).',
    };
  });
  const problems = [...unreadable, ...validation.problems, ...(selected?.problems ?? []), ...oversized];
  const files = [...unreadable.map((problem) => ({ file: problem.file, users: 0 })), ...validation.files];
  for (const { file, users: count } of files) log(`${file}: ${plural(count, 'user')}`);
  log(
    `Read ${plural(paths.length, 'file')}: ${validation.users.length} valid users, ${problems.length} problems.`,
  );
  return {
    files,
    chunks: buildChunks(users, spans.chunks, edge.externalIdPrefix),
    problems,
    ...(selected ? { changes: selected } : {}),
  };
}
