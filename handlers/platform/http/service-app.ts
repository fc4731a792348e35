// createServiceApp: one Express app per service, built from its bundled spec. Requests and
// responses are validated against the spec (express-openapi-validator); handlers are bound by
// operationId; every error leaves through the problem+json handler.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { parse as parseCookies } from 'cookie';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contextOf } from './request-context.ts';
import { problemErrorHandler, type AuthFailure, type ErrorBody } from './error-handler.ts';
import { assertJsonDepth } from './json-depth.ts';
import type { HandlerInput, ServerSentEvent } from './handler-types.ts';
import { ProblemError, type ProblemCode } from '../problems.ts';
import { problemStatus, toProblem } from './problem.ts';

/** Checks the credentials of one security scheme; returns the caller or throws a ProblemError. */
export type Authenticator<Principal> = (req: Request, scopes: string[]) => Promise<Principal>;

export interface ServiceAppOptions<Principal> {
  /** The bundled spec (generated/openapi/<service>.json). */
  specPath: string;
  /** The service's map operationId → handler (typed by Handlers<operations> where it is built). */
  handlers: Record<string, (input: HandlerInput<any, Principal>) => Promise<AnyReply>>;
  /** One authenticator per security scheme the spec uses. */
  authenticators?: Record<string, Authenticator<Principal>>;
  /** The problem for a request with no credentials at all. */
  unauthenticatedCode?: ProblemCode;
  bodyLimitBytes: number;
  /** Largest `application/octet-stream` request body (default: bodyLimitBytes); 413 beyond it. */
  binaryBodyLimitBytes?: number;
  /**
   * Read a body sent without a Content-Type as JSON (the AWS sample's clients send typeless JSON).
   * Only for bearer-token services: a cross-site page cannot attach a bearer token, while a typeless
   * fetch with a cookie needs no CORS preflight, so cookie-authenticated services keep it off.
   */
  typelessBodyIsJson?: boolean;
  /** Writes error bodies in another shape than problem+json (the OpenAI surface's envelope). */
  errorBody?: ErrorBody;
  /** Middleware that runs before validation (e.g. the admin API's same-origin check). */
  before?: RequestHandler[];
}

type AnyReply = { status: number | string; headers?: Record<string, string | string[]> } & (
  | { body: unknown }
  | { events: AsyncIterable<ServerSentEvent> }
  | { stream: Readable }
);
type OpenApiRequest = Request & { openapi?: { schema: { operationId?: string }; pathParams?: Record<string, string> } };

export function loadSpec(specPath: string): { paths: Record<string, Record<string, { operationId?: string }>> } {
  return JSON.parse(readFileSync(specPath, 'utf8'));
}

export function operationIds(specPath: string): string[] {
  return Object.values(loadSpec(specPath).paths).flatMap((item) =>
    Object.values(item).flatMap((op) => (op.operationId ? [op.operationId] : [])),
  );
}

export function createServiceApp<Principal>(options: ServiceAppOptions<Principal>): express.Express {
  const missing = operationIds(options.specPath).filter((id) => !options.handlers[id]);
  if (missing.length) throw new Error(`no handler for operation(s): ${missing.join(', ')}`);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // API answers, mostly to POSTs: hashing every body buys nothing
  app.set('query parser', 'simple');
  if (options.typelessBodyIsJson) app.use(treatTypelessBodyAsJson);
  app.use(express.json({ limit: options.bodyLimitBytes, strict: true, verify: (_req, _res, body, encoding) => assertJsonDepth(body, encoding) }));
  app.use(express.urlencoded({ limit: options.bodyLimitBytes, extended: false, parameterLimit: 100 }));
  // Operations that take raw bytes get them as a Buffer (the validator does not look into binary bodies).
  app.use(express.raw({ type: 'application/octet-stream', limit: options.binaryBodyLimitBytes ?? options.bodyLimitBytes }));
  app.use((req, _res, next) => {
    (req as Request & { cookies: Record<string, string | undefined> }).cookies = req.headers.cookie ? parseCookies(req.headers.cookie) : {};
    next();
  });
  for (const middleware of options.before ?? []) app.use(middleware);
  app.use(
    OpenApiValidator.middleware({
      apiSpec: options.specPath,
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
      validateResponses: true,
      validateApiSpec: false, // linted by `npm run generate`; skipping it keeps start-up fast
      validateFormats: true,
      ignoreUndocumented: false,
      validateSecurity: options.authenticators && {
        handlers: Object.fromEntries(
          Object.entries(options.authenticators).map(([scheme, authenticate]) => [
            scheme,
            async (req: Request, scopes: string[]) => {
              const res = req.res!;
              try {
                res.locals.principal = await authenticate(req, scopes);
                return true;
              } catch (error) {
                if (!(error instanceof ProblemError)) throw error;
                // The validator keeps only a status and a message; the error handler needs the rest.
                res.locals.authFailure = { problem: error, requiredScopes: scopes } satisfies AuthFailure;
                throw Object.assign(new Error(error.message), { status: problemStatus(error.code) });
              }
            },
          ]),
        ),
      },
    }),
  );
  app.use(async (req: OpenApiRequest, res: Response, next: NextFunction) => {
    const handler = options.handlers[req.openapi?.schema.operationId ?? ''];
    if (!handler) return next();
    rejectNonFiniteQuery(req.query);
    let client: AbortController | undefined;
    const input: HandlerInput<unknown, Principal> = {
      body: req.body,
      query: req.query as never,
      // Express resets req.params in every middleware layer; the validator keeps its own copy.
      params: (req.openapi?.pathParams ?? {}) as never,
      headers: req.headers,
      cookies: (req as Request & { cookies: Record<string, string | undefined> }).cookies,
      principal: res.locals.principal as Principal,
      context: contextOf(res),
      // Made on first use: most handlers never look, and every signal costs.
      get signal() {
        if (!client) {
          const controller = (client = new AbortController());
          res.on('close', () => {
            if (!res.writableFinished) controller.abort();
          });
        }
        return client.signal;
      },
    };
    const reply = await handler(input);
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    res.status(Number(reply.status));
    if ('events' in reply) await writeEventStream(res, reply.events, input.signal);
    else if ('stream' in reply) await writeBinary(res, reply.stream);
    else res.json(reply.body);
  });
  app.use(problemErrorHandler(options.unauthenticatedCode ?? 'UNAUTHENTICATED', options.errorBody));
  return app;
}

/** The validator turns "Infinity" or "1e400" into a number its integer check lets through. */
function rejectNonFiniteQuery(query: Request['query']): void {
  const errors = Object.entries(query)
    .filter(([, value]) => typeof value === 'number' && !Number.isFinite(value))
    .map(([name]) => ({ path: `query.${name}`, message: 'must be a finite number' }));
  if (errors.length) throw new ProblemError('VALIDATION_ERROR', errors.map((e) => `${e.path} ${e.message}`).join('; '), { errors });
}

function treatTypelessBodyAsJson(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && req.headers['content-type'] === undefined) req.headers['content-type'] = 'application/json';
  next();
}

/**
 * Streams a binary answer (application/octet-stream unless the handler set a type). Responses are
 * validated by the validator's res.json hook, so a binary body is not: its status and headers are
 * the handler's word. Open the source before replying (a missing object is a problem thrown by the
 * handler); a stream that fails once piped cuts the connection, so the client sees a truncated
 * body, never a wrong one.
 */
async function writeBinary(res: Response, stream: Readable): Promise<void> {
  if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/octet-stream');
  try {
    await pipeline(stream, res);
  } catch (error) {
    // pipeline has destroyed both ends; a client that left is no failure of ours.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') contextOf(res).log.warn({ err: error }, 'binary response cut short');
  }
}

/** Writes Server-Sent Events as they come; stops early when the client has gone. */
async function writeEventStream(res: Response, events: AsyncIterable<ServerSentEvent>, signal: AbortSignal): Promise<void> {
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('x-accel-buffering', 'no'); // proxies must not hold events back
  res.flushHeaders();
  // An event whose data is a ProblemError goes out as its problem body, like a problem response.
  const { requestId, path } = contextOf(res);
  const encode = (data: unknown) => JSON.stringify(data instanceof ProblemError ? toProblem(data, requestId, path) : data);
  try {
    for await (const { event, data, literal } of events) {
      if (signal.aborted) break;
      res.write(`${event === undefined ? '' : `event: ${event}\n`}data: ${literal ? data : encode(data)}\n\n`);
    }
  } catch (error) {
    // The iterable reports its own failures as `error` events; this is the last resort.
    contextOf(res).log.error({ err: error }, 'event stream failed');
    res.write(`event: error\ndata: ${encode(new ProblemError('INTERNAL_ERROR', 'An unexpected error occurred.'))}\n\n`);
  }
  res.end();
}
