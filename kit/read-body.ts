/** Reads a request body up to a limit, refusing more before reading it (Content-Length) or as soon as it passes the limit. */
import type { IncomingMessage } from 'node:http';

/** The body as text, or `too-large` (the rest is not read; answer 413 and close). */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<string | 'too-large'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume(); // drained, never buffered
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        resolve('too-large');
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
