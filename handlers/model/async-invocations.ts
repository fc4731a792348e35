// Background invocations on the kernel's job store: submitting one, reading its output, and the worker running it.
import { randomUUID } from 'node:crypto';
import { ProblemError } from '../platform/problems.ts';
import type { AppPrincipal } from '../platform/auth/token-verifier.ts';
import type { Job } from '../platform/queue/ports.ts';
import { TERMINAL_ITEM_STATES } from '../platform/jobs/ports.ts';
import { ASYNC_QUEUE, INVOCATION_JOB_KIND } from './module.ts';
import type { Caller, InvokeBody, ModelCalls, Schemas } from './calls.ts';
import { callChat } from './invoke.ts';

/** A background invocation's job input. */
interface InvocationInput {
  request: InvokeBody;
  requestId: string;
}
/** The one item of an invocation's job: its state, result or problem. */
const INVOCATION_ITEM = 'invocation';
type InvocationResult = Pick<Schemas['AsyncOutput'], 'output_text' | 'input_tokens' | 'output_tokens' | 'model_name' | 'finish_reason'>;
/** How a failed invocation is kept in its item: the domain error, not its HTTP rendering. */
interface StoredFailure {
  code: ProblemError['code'];
  detail: string;
  errors?: ProblemError['options']['errors'];
}
const stored = ({ code, detail, options: { errors } }: ProblemError): StoredFailure => ({ code, detail, ...(errors && { errors }) });
// Items written before this kept the whole problem body, which has these same three fields.
const restored = ({ code, detail, errors }: StoredFailure) => new ProblemError(code, detail, errors ? { errors } : {});

/** Only the deletion of its app cancels an invocation's job (the worker fails the rest itself). */
const appGone = () => new ProblemError('APP_INACTIVE', 'The application was deactivated or deleted, so its background invocation was cancelled.');

export async function submit(calls: ModelCalls, caller: Caller, body: InvokeBody): Promise<Schemas['AsyncInvocation']> {
  // Checked like a direct call, but the reservation is given back at once: the call runs later,
  // maybe in another task, which admits it again (runInvocation).
  (await calls.prepareChat(caller, body)).reservation.release();
  const id = randomUUID();
  const input: InvocationInput = { request: body, requestId: caller.requestId };
  await calls.options.jobStore.create({
    appId: caller.principal.appId, kind: INVOCATION_JOB_KIND, jobId: id, input,
    items: [{ itemId: INVOCATION_ITEM }], start: true, retentionSeconds: calls.options.asyncResultTtlSeconds,
  });
  await calls.options.jobs.enqueue(ASYNC_QUEUE, { invocation_id: id, app_id: caller.principal.appId, limits: caller.principal.limits });
  calls.options.onQueued?.();
  return { invocation_id: id, status: 'QUEUED' };
}

/** An invocation's output; `failure`: why it failed, and the request that submitted it. */
export interface InvocationOutput {
  finished: boolean;
  body: Omit<Schemas['AsyncOutput'], 'error'>;
  failure?: { error: ProblemError; requestId: string };
}

export async function output(calls: ModelCalls, caller: Caller, invocationId: string): Promise<InvocationOutput> {
  const { appId } = caller.principal;
  const job = await calls.options.jobStore.get(appId, invocationId);
  const item = job?.kind === INVOCATION_JOB_KIND ? await calls.options.jobStore.getItem(appId, invocationId, INVOCATION_ITEM) : undefined;
  if (!job || !item) throw new ProblemError('INVOCATION_NOT_FOUND', `No invocation ${invocationId} for this application (or its result has expired).`);
  const finished = TERMINAL_ITEM_STATES.includes(item.state);
  // A cancelled job (its app was deleted) reads as the worker would have ended it.
  const error = item.state === 'CANCELLED' ? appGone() : item.error ? restored(item.error as StoredFailure) : undefined;
  const body: InvocationOutput['body'] = {
    invocation_id: job.jobId,
    status: item.state === 'CANCELLED' ? 'FAILED' : item.state,
    ...(item.result as InvocationResult | undefined),
    created_at: job.createdAt,
    ...(item.finishedAt && { completed_at: item.finishedAt }),
    // When the result stops being readable: ASYNC_RESULT_TTL_SECONDS after the invocation ended;
    // while it runs, the earliest that can be.
    expires_at: new Date(job.expiresAt ?? Date.now() + calls.options.asyncResultTtlSeconds * 1000).toISOString(),
  };
  return { finished, body, ...(error && { failure: { error, requestId: (job.input as InvocationInput).requestId } }) };
}

/**
 * The worker's handler for one background invocation. Idempotent: an invocation that already
 * ended is left alone, so a job delivered twice (after a crash) does no harm.
 */
export async function runInvocation(calls: ModelCalls, job: Job, lastAttempt: boolean, signal: AbortSignal): Promise<void> {
  const { invocation_id: id, app_id: appId, limits } = job.payload as { invocation_id: string; app_id: string; limits: AppPrincipal['limits'] };
  const store = calls.options.jobStore;
  const invocation = await store.get(appId, id);
  const item = invocation && (await store.getItem(appId, id, INVOCATION_ITEM));
  if (!invocation || !item || TERMINAL_ITEM_STATES.includes(item.state)) return;
  const { request: body, requestId } = invocation.input as InvocationInput;
  const fail = async (problem: ProblemError) => {
    await store.completeItem(appId, id, INVOCATION_ITEM, { error: stored(problem) });
  };
  // Cancelled (its app is gone) before it started: end it without calling the provider.
  if (signal.reason instanceof ProblemError) return fail(signal.reason);
  // Run only what this worker now holds (a job cancelled meanwhile comes back CANCELLED).
  if ((await store.startItem(appId, id, INVOCATION_ITEM))?.state !== 'IN_PROGRESS') return;
  const caller: Caller = { principal: { appId, clientId: '', scopes: [], limits }, requestId, signal };
  try {
    // Admitted again now, against the limits as they are: the submission's reservation was given
    // back (the call may run much later, in another task). Over a limit, it ends with that problem.
    const result: InvocationResult = await callChat(calls, caller, await calls.prepareChat(caller, body), 'async');
    await store.completeItem(appId, id, INVOCATION_ITEM, { result });
  } catch (error) {
    if (signal.reason instanceof ProblemError) return fail(signal.reason); // cancelled mid-call
    if (!(error instanceof ProblemError) && !lastAttempt) throw error; // let the queue try again
    await fail(error instanceof ProblemError ? error : new ProblemError('INTERNAL_ERROR', 'The invocation failed unexpectedly.'));
  }
}
