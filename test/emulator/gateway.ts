import { randomHex } from './ids.js';
import type { Reply } from './reply.js';

/** The 5xx answers Cloudflare, in front of Auth0, gives instead of Auth0's own. */
export type GatewayStatus = 502 | 503 | 504 | 524;

const TITLES: Record<GatewayStatus, string> = {
  502: '502 Bad Gateway',
  503: '503 Service Temporarily Unavailable',
  504: '504 Gateway Time-out',
  524: 'A timeout occurred',
};

/**
 * Cloudflare's answer: `Server: cloudflare`, a `cf-ray` id and an HTML page, never the API's JSON.
 * 502/503/504 come as nginx-style pages, 524 (the origin took too long) as Cloudflare's own error page.
 */
export function gatewayError(status: GatewayStatus): Reply {
  const title = TITLES[status];
  const raw =
    status === 524
      ? `<!DOCTYPE html>\n<html lang="en-US">\n<head><title>auth0.com | 524: ${title}</title></head>\n` +
        `<body><h1>${title}</h1><span>Error code 524</span>\n<p>The origin web server timed out responding to this request.</p>\n</body>\n</html>\n`
      : `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
        `<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;
  return {
    status,
    raw,
    headers: { server: 'cloudflare', 'content-type': 'text/html', 'cf-ray': `${randomHex(16)}-SJC` },
  };
}
