// Handler types derived from the generated `operations` of a service, so that a handler map
// missing an operationId, or returning a body the spec does not allow, fails `tsc`.
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../logger.ts';

type Content<T> = T extends { content: infer C } ? C : never;
type JsonOf<T> = Content<T> extends infer C
  ? C extends { 'application/json': infer B } ? B
  : C extends { 'application/x-www-form-urlencoded': infer B } ? B
  : never
  : never;

type RequestBodyOf<Op> = Op extends { requestBody: infer R } ? JsonOf<R> : Op extends { requestBody?: infer R } ? JsonOf<R> | undefined : undefined;
type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? ([Q] extends [never] ? Record<string, never> : NonNullable<Q>) : Record<string, never>;

/** Statuses whose response is JSON (problem responses are produced by throwing ProblemError). */
type JsonStatus<Op> = Op extends { responses: infer R } ? { [S in keyof R]: JsonOf<R[S]> extends never ? never : S }[keyof R] : never;

export type Reply<Op> = {
  [S in JsonStatus<Op>]: {
    status: S;
    body: Op extends { responses: infer R } ? JsonOf<R[S & keyof R]> : never;
    headers?: Record<string, string | string[]>;
  };
}[JsonStatus<Op>];

export interface RequestContext {
  requestId: string;
  log: Logger;
  /** The Origin-relative URL of this request, e.g. for `Location` headers. */
  path: string;
}

export interface HandlerInput<Op, Principal> {
  body: RequestBodyOf<Op>;
  query: QueryOf<Op>;
  headers: IncomingHttpHeaders;
  cookies: Record<string, string | undefined>;
  principal: Principal;
  context: RequestContext;
}

export type Handler<Op, Principal> = (input: HandlerInput<Op, Principal>) => Promise<Reply<Op>>;

/** One handler per operationId of the service. */
export type Handlers<Ops, Principal = undefined> = { [K in keyof Ops]: Handler<Ops[K], Principal> };
