// Issue 10, row 11: a stream has its own deadlines (an idle timeout between tokens and a longer
// total one), not the whole-call deadline of a plain invocation; and an upstream that drops the
// connection mid-stream is an upstream error, not a timeout.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';

let upstream: FakeOpenAi;
let t: TestPlatform;
let authorization: string;
let appId: string;

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({
    OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'slow-stream,cut-stream,stall-stream,endless-stream',
    MODEL_TIMEOUT_MS: '300', MODEL_STREAM_IDLE_TIMEOUT_MS: '200', MODEL_STREAM_TIMEOUT_MS: '1500',
    MODEL_MAX_RETRIES: '0', MODEL_CIRCUIT_BREAKER_FAILURES: '1000',
  });
  ({ authorization, app_id: appId } = await t.appAuth('stream-app'));
});
after(async () => {
  await t.close();
  await upstream.close();
});

async function stream(model: string, requestId: string) {
  const res = await t.http.post('/model/invoke_stream').set('authorization', authorization).set('x-request-id', requestId)
    .send({ model_name: model, prompt: 'go' }).expect(200);
  return res.text.trim().split('\n\n').map((block) => {
    const [event, data] = block.split('\n');
    return { event: event!.slice('event: '.length), data: JSON.parse(data!.slice('data: '.length)) };
  });
}

async function ledgerRow(requestId: string) {
  await t.platform.ledger.flush();
  return (await t.platform.ledger.list(appId, 100)).find((row) => row.requestId === requestId)!;
}

it('lets a stream that keeps producing run past the whole-call deadline', async () => {
  const events = await stream('slow-stream', 'slow-1');
  assert.equal(events.filter((e) => e.event === 'delta').length, 20, JSON.stringify(events.at(-1)));
  assert.equal(events.at(-1)!.event, 'done');
  assert.equal((await ledgerRow('slow-1')).status, 'SUCCESS');
});

it('ends a stream whose upstream drops the connection with UPSTREAM_ERROR', async () => {
  const events = await stream('cut-stream', 'cut-1');
  assert.deepEqual(events.slice(0, 2).map((e) => e.data.text), ['half ', 'way ']);
  const last = events.at(-1)!;
  assert.equal(last.event, 'error');
  assert.equal(last.data.code, 'UPSTREAM_ERROR', last.data.detail);
  assert.deepEqual([last.data.request_id, last.data.instance, last.data.type], ['cut-1', '/model/invoke_stream', '/problems/upstream-error']);
  const row = await ledgerRow('cut-1');
  assert.deepEqual([row.status, row.errorCode], ['FAILED', 'UPSTREAM_ERROR']);
  await stream('cut-stream', 'cut-2');
  // Upstream faults after the first event count toward the model's breaker like any other.
  const health = (await t.http.get('/model/service/health').set('authorization', authorization).expect(200)).body;
  const breaker = health.circuit_breakers.find((b: { model_name?: string }) => b.model_name === 'cut-stream');
  assert.equal(breaker.consecutive_failures, 2, JSON.stringify(health.circuit_breakers));
});

it('does not hold a stream that ran into its own total deadline against the upstream', async () => {
  await stream('endless-stream', 'endless-0');
  const health = (await t.http.get('/model/service/health').set('authorization', authorization).expect(200)).body;
  const breaker = health.circuit_breakers.find((b: { model_name?: string }) => b.model_name === 'endless-stream');
  assert.equal(breaker.consecutive_failures, 0);
});

it('ends a stream that stops producing after the idle timeout', async () => {
  const events = await stream('stall-stream', 'stall-1');
  assert.equal(events[0]!.data.text, 'first ');
  const last = events.at(-1)!;
  assert.equal(last.event, 'error');
  assert.equal(last.data.code, 'UPSTREAM_TIMEOUT');
  assert.match(last.data.detail, /no token for 0\.2 s/);
});

it('ends a stream that never finishes at the stream deadline', async () => {
  const started = Date.now();
  const events = await stream('endless-stream', 'endless-1');
  const last = events.at(-1)!;
  assert.equal(last.event, 'error');
  assert.equal(last.data.code, 'UPSTREAM_TIMEOUT');
  assert.match(last.data.detail, /within 1\.5 s/);
  assert.ok(Date.now() - started >= 1400, 'not cut at the whole-call deadline');
  assert.ok(events.filter((e) => e.event === 'delta').length > 20);
});
