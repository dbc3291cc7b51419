/**
 * A gateway in front of the emulator, as Cloudflare stands in front of Auth0: it forwards every
 * request, and can answer chosen creates with a 5xx page after the tenant has already carried
 * them out — the case where a client cannot tell whether its job exists.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Gateway {
  url: string;
  /** The next `count` creates are forwarded, then answered `status` with an HTML page. */
  failCreatesAfterForwarding(status: 502 | 503 | 504, count?: number): void;
  /** Creates the gateway forwarded and then answered with a 5xx. */
  swallowed: number;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);

export async function startGateway(target: string): Promise<Gateway> {
  let failing: { status: 502 | 503 | 504; count: number } | undefined;
  const gateway = {
    url: '',
    swallowed: 0,
    failCreatesAfterForwarding(status: 502 | 503 | 504, count = 1) {
      failing = { status, count };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    void (async () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      const method = req.method ?? 'GET';
      const body = await bodyOf(req);
      const answer = await fetch(`${target}${req.url ?? '/'}`, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
      });
      const bytes = Buffer.from(await answer.arrayBuffer());
      const isCreate = method === 'POST' && (req.url ?? '').startsWith('/api/v2/jobs/users-imports');
      if (isCreate && failing && failing.count > 0) {
        failing.count--;
        gateway.swallowed++;
        res
          .writeHead(failing.status, { 'content-type': 'text/html; charset=UTF-8', server: 'cloudflare' })
          .end(
            `<!DOCTYPE html><html><head><title>${failing.status}: Bad gateway</title></head><body>cloudflare</body></html>`,
          );
        return;
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') out[name] = value;
      });
      res.writeHead(answer.status, out).end(bytes);
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gateway;
}
