/** Checkpoint pagination: `from` omitted first, `next` followed until absent (forward only, 24 h). */
import { Auth0Error, type ApiClient } from './http.js';

/** Auth0's largest page (`take` 1–100); a general docs page says 50 on public cloud, and a shorter page is read as well. */
export const PAGE_SIZE = 100;

/** Every item of a checkpoint-paged list at `path` (which has no query yet or ends in one), under `list`. */
export async function readAllPages<T>(
  api: ApiClient,
  path: string,
  list: string,
  what: string,
): Promise<T[]> {
  const items: T[] = [];
  const joiner = path.includes('?') ? '&' : '?';
  let from: string | undefined;
  do {
    const response = await api.send({
      method: 'GET',
      path: `${path}${joiner}take=${PAGE_SIZE}${from ? `&from=${encodeURIComponent(from)}` : ''}`,
      repeatable: true,
    });
    if (response.status !== 200) throw new Auth0Error(response.status, response.body, `Reading ${what}`);
    const body = (response.body ?? {}) as Record<string, unknown>;
    const page = body[list];
    if (!Array.isArray(page)) throw new Error(`Reading ${what}: Auth0's answer has no "${list}" list`);
    items.push(...(page as T[]));
    from = typeof body['next'] === 'string' && page.length > 0 ? body['next'] : undefined;
  } while (from);
  return items;
}

/** Sends a JSON body; any 2xx is success, anything else an Auth0Error naming `what`. */
export async function sendJson(
  api: ApiClient,
  method: 'POST' | 'DELETE',
  path: string,
  body: unknown,
  what: string,
): Promise<void> {
  const response = await api.send({
    method,
    path,
    body: { contentType: 'application/json', data: JSON.stringify(body) },
    // Granting or revoking twice leaves the same state: safe to send again after a lost answer.
    repeatable: true,
  });
  if (response.status < 200 || response.status >= 300)
    throw new Auth0Error(response.status, response.body, what);
}
