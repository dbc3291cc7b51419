/**
 * A reverse proxy in front of the emulator that sees what the action sends: each request's bearer
 * token, each token the tenant hands out, and how much of the action's stdout had been printed when
 * the request arrived — enough to prove a credential was masked before it went on the wire.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The bearer token it carried, if any. */
  token?: string;
  /** The action's stdout as it stood when the request arrived. */
  stdoutBefore: string;
}

export interface RecordingProxy {
  url: string;
  requests: ProxiedRequest[];
  /** Every `access_token` the tenant answered with, in order. */
  issuedTokens: string[];
  close(): Promise<void>;
}

/**
 * How long a request waits before stdout is read: what the action printed before sending it is in
 * the pipe by then, and this process has had the time to read it.
 */
const SETTLE_MS = 50;

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Forwards everything to `target` (an emulator URL); `stdout()` reads the action's output so far. */
export async function startRecordingProxy(target: string, stdout: () => string): Promise<RecordingProxy> {
  const requests: ProxiedRequest[] = [];
  const issuedTokens: string[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      await sleep(SETTLE_MS);
      const authorization = req.headers.authorization;
      requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        ...(authorization?.startsWith('Bearer ') ? { token: authorization.slice('Bearer '.length) } : {}),
        stdoutBefore: stdout(),
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
          headers[name] = value;
      }
      const body = await bodyOf(req);
      const answer = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      const text = await answer.text();
      if (req.url === '/oauth/token' && answer.ok) {
        issuedTokens.push((JSON.parse(text) as { access_token: string }).access_token);
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (
          !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(
            name,
          )
        )
          out[name] = value;
      });
      res.writeHead(answer.status, out);
      res.end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    issuedTokens,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
