/**
 * The graphql-sse endpoint (distinct connections mode) on graphql-sse's core handler, with
 * the body read by us and bounded before parsing (the library's node adapter reads any
 * size). A request that is not an event stream learns what to send.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandler, type HandlerOptions } from 'graphql-sse';
import { errorBody, ErrorCode } from '../../kit/errors.ts';
import type { RawRoute } from '../../kit/http-routes.ts';
import { readBody } from '../../kit/read-body.ts';

export const SSE_PATH = '/graphql/stream';
const SSE_ACCEPT_MESSAGE = `${SSE_PATH} streams subscriptions as Server-Sent Events: POST the subscription with Accept: text/event-stream (graphql-sse), or use graphql-ws on /graphql.`;

export function sseRoute<Context extends Record<PropertyKey, unknown>>(options: HandlerOptions<IncomingMessage, { res: ServerResponse }, Context>, maxBodyBytes: number): RawRoute {
  const handler = createHandler(options);
  return {
    path: SSE_PATH,
    async handle(req, res) {
      if (!String(req.headers.accept ?? '').includes('text/event-stream')) return answer(res, 400, errorBody(ErrorCode.BAD_REQUEST, SSE_ACCEPT_MESSAGE));
      const body = await readBody(req, maxBodyBytes);
      if (body === 'too-large') return answer(res, 413, errorBody(ErrorCode.PAYLOAD_TOO_LARGE, `The body is larger than the ${maxBodyBytes} bytes this route takes.`, { maxBytes: maxBodyBytes }));
      const [stream, init] = await handler({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: { get: (key) => [req.headers[key] ?? []].flat().join('\n') || null },
        body,
        raw: req,
        context: { res },
      });
      res.writeHead(init.status, init.statusText, init.headers);
      if (!stream || typeof stream === 'string') {
        res.end(stream ?? undefined);
        return;
      }
      res.once('close', () => void stream.return?.(undefined));
      for await (const chunk of stream) {
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    },
  };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
