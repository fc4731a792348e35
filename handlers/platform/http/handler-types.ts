// Handler types derived from the generated `operations` of a service, so that a handler map
// missing an operationId, or returning a body the spec does not allow, fails `tsc`.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from '../logger.ts';

type Content<T> = T extends { content: infer C } ? C : never;
type JsonOf<T> = Content<T> extends infer C
  ? C extends { 'application/json': infer B } ? B
  : C extends { 'application/x-www-form-urlencoded': infer B } ? B
  : never
  : never;

/** An `application/octet-stream` request body arrives as the raw bytes. */
type BytesOf<T> = Content<T> extends infer C ? (C extends { 'application/octet-stream': unknown } ? Buffer : never) : never;
type BodyOf<T> = JsonOf<T> | BytesOf<T>;

type RequestBodyOf<Op> = Op extends { requestBody: infer R } ? BodyOf<R> : Op extends { requestBody?: infer R } ? BodyOf<R> | undefined : undefined;
type PathOf<Op> = Op extends { parameters: { path: infer P } } ? ([P] extends [never] ? Record<string, never> : NonNullable<P>) : Record<string, never>;
type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? ([Q] extends [never] ? Record<string, never> : NonNullable<Q>) : Record<string, never>;

/** Statuses whose response is JSON (problem responses are produced by throwing ProblemError). */
type JsonStatus<Op> = Op extends { responses: infer R } ? { [S in keyof R]: JsonOf<R[S]> extends never ? never : S }[keyof R] : never;

/** Statuses answered as a Server-Sent Events stream. */
type StreamStatus<Op> = Op extends { responses: infer R }
  ? { [S in keyof R]: R[S] extends { content: { 'text/event-stream': unknown } } ? S : never }[keyof R]
  : never;

/** Statuses answered with bytes: any media type but JSON, problem+json and event streams. */
type BinaryStatus<Op> = Op extends { responses: infer R }
  ? {
      [S in keyof R]: R[S] extends { content: infer C }
        ? [Exclude<keyof C, 'application/json' | 'application/problem+json' | 'text/event-stream'>] extends [never]
          ? never
          : S
        : never;
    }[keyof R]
  : never;

/**
 * One Server-Sent Event: `event: <event>` (none when absent) and `data: <JSON of data>` (a
 * ProblemError is written as its problem body), or `data` as is when `literal` (OpenAI's `[DONE]`).
 */
export interface ServerSentEvent {
  event?: string;
  data: unknown;
  literal?: boolean;
}

export type Reply<Op> =
  | {
      [S in JsonStatus<Op>]: {
        status: S;
        body: Op extends { responses: infer R } ? JsonOf<R[S & keyof R]> : never;
        headers?: Record<string, string | string[]>;
      };
    }[JsonStatus<Op>]
  | {
      [S in StreamStatus<Op>]: {
        status: S;
        /** Written as they come; the stream ends when the iterable does. */
        events: AsyncIterable<ServerSentEvent>;
        headers?: Record<string, string | string[]>;
      };
    }[StreamStatus<Op>]
  | {
      [S in BinaryStatus<Op>]: {
        status: S;
        /** Piped to the client; set `content-type` (default application/octet-stream) and `content-length` if known. */
        stream: Readable;
        headers?: Record<string, string | string[]>;
      };
    }[BinaryStatus<Op>];

export interface RequestContext {
  requestId: string;
  log: Logger;
  /** The Origin-relative URL of this request, e.g. for `Location` headers. */
  path: string;
  /** The client's address: the socket's peer, or what the trusted proxies say (TRUST_PROXY_HOPS). */
  clientAddress: string;
}

export interface HandlerInput<Op, Principal> {
  body: RequestBodyOf<Op>;
  query: QueryOf<Op>;
  params: PathOf<Op>;
  headers: IncomingHttpHeaders;
  cookies: Record<string, string | undefined>;
  principal: Principal;
  context: RequestContext;
  /** Aborted when the client goes away before the answer is complete. */
  signal: AbortSignal;
}

export type Handler<Op, Principal> = (input: HandlerInput<Op, Principal>) => Promise<Reply<Op>>;

/** One handler per operationId of the service. */
export type Handlers<Ops, Principal = undefined> = { [K in keyof Ops]: Handler<Ops[K], Principal> };
