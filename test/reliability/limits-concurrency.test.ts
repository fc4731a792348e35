// Issue 10, row 4: with tokens_per_minute=1000 and monthly_token_budget=2000, 30 concurrent
// invokes all succeeded (tokens were counted only after calls finished). Admission now reserves
// each call's worst case at once, so concurrent calls overshoot a limit by at most one call's
// reservation — in one process (embedded) and across tasks sharing DynamoDB.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';
import { startLocalAws, type LocalAws } from '../helpers/aws-local.ts';
import type { ProblemCode } from '../../handlers/platform/http/problem.ts';

const SLOW = 'delay-1500'; // every call is still in flight when the last one is admitted
const PROMPT = 'hello'; // estimated at 2 tokens; the fake upstream reports 11 in + 7 out
const RESERVATION = 2 + 100; // with max_tokens 100
const ENV = { OPENAI_MODELS: `echo,fail-500,${SLOW}`, MODEL_MAX_RETRIES: '0' };

type Limits = { requests_per_minute?: number; tokens_per_minute?: number; monthly_token_budget?: number };

/** The same checks against one or more platforms that share their stores (tasks behind a balancer). */
function limitsHold(name: string, start: (upstream: FakeOpenAi) => Promise<{ tasks: TestPlatform[]; close(): Promise<void> }>) {
  describe(name, () => {
    let upstream: FakeOpenAi;
    let tasks: TestPlatform[];
    let close: () => Promise<void>;
    before(async () => {
      upstream = await startFakeOpenAi();
      ({ tasks, close } = await start(upstream));
    });
    after(async () => {
      await close();
      await upstream.close();
    });

    async function limitedApp(limits: Limits) {
      const t = tasks[0]!;
      const app = await t.appAuth(`limited-${Math.random()}`);
      await t.http.post('/admin/platform/set_app_limits').set('cookie', await t.adminCookie()).send({
        app_id: app.app_id, requests_per_minute: null, tokens_per_minute: null, monthly_token_budget: null, ...limits,
      }).expect(200);
      return app;
    }
    /** 30 invokes at once, spread over the tasks; the statuses and problem codes. */
    async function burst(authorization: string, body: Record<string, unknown>) {
      // DynamoDB's windows are fixed UTC minutes: a burst across a boundary meets two of them.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
      const responses = await Promise.all(Array.from({ length: 30 }, (_, i) =>
        tasks[i % tasks.length]!.http.post('/model/invoke').set('authorization', authorization).send({ model_name: SLOW, prompt: PROMPT, ...body })));
      const ok = responses.filter((r) => r.status === 200);
      const refused = responses.filter((r) => r.status !== 200);
      return { ok, refused, codes: new Set(refused.map((r) => r.body.code as ProblemCode)) };
    }

    it('tokens_per_minute=1000: admits calls until their reservations reach the limit, then 429', async () => {
      const app = await limitedApp({ tokens_per_minute: 1000 });
      const { ok, refused, codes } = await burst(app.authorization, { max_tokens: 100 });
      assert.ok(ok.length * RESERVATION <= 1000 + RESERVATION, `${ok.length} admitted`);
      assert.ok(ok.length >= Math.floor(1000 / RESERVATION), `${ok.length} admitted`);
      assert.deepEqual([...codes], ['TOKEN_LIMIT_EXCEEDED']);
      expectProblem(refused[0]!, 429, 'TOKEN_LIMIT_EXCEEDED');
      // Settled with the real 18 tokens each: the minute has room again.
      await tasks.at(-1)!.http.post('/model/invoke').set('authorization', app.authorization).send({ model_name: 'echo', prompt: PROMPT, max_tokens: 100 }).expect(200);
    });

    it('monthly_token_budget=2000: overshoots by at most one reservation, and settles with the real usage', async () => {
      const app = await limitedApp({ monthly_token_budget: 2000 });
      const { ok, codes } = await burst(app.authorization, { max_tokens: 100 });
      assert.ok(ok.length * RESERVATION <= 2000 + RESERVATION && ok.length >= Math.floor(2000 / RESERVATION), `${ok.length} admitted`);
      assert.deepEqual([...codes], ['TOKEN_BUDGET_EXHAUSTED']);
      await Promise.all(tasks.map((t) => t.platform.ledger.flush())); // DynamoDB: the ledger settles the month
      await tasks.at(-1)!.http.post('/model/invoke').set('authorization', app.authorization).send({ model_name: 'echo', prompt: PROMPT }).expect(200);
    });

    it('a call without max_tokens reserves 4,096 output tokens: one such call at a time under 1,000 tokens a minute', async () => {
      const app = await limitedApp({ tokens_per_minute: 1000, monthly_token_budget: 2000 });
      const { ok, codes } = await burst(app.authorization, {});
      assert.equal(ok.length, 1);
      assert.ok(codes.has('TOKEN_LIMIT_EXCEEDED') || codes.has('TOKEN_BUDGET_EXHAUSTED'), [...codes].join());
    });

    it('requests_per_minute=5 with a monthly budget: exactly 5 of 30 concurrent calls', async () => {
      const app = await limitedApp({ requests_per_minute: 5, monthly_token_budget: 1_000_000 });
      const { ok, codes } = await burst(app.authorization, { max_tokens: 10 });
      assert.equal(ok.length, 5);
      assert.deepEqual([...codes], ['RATE_LIMITED']);
    });

    it('releases the reservation of a failed call', async () => {
      const app = await limitedApp({ tokens_per_minute: 1000 });
      const call = (model: string) => tasks[0]!.http.post('/model/invoke').set('authorization', app.authorization).send({ model_name: model, prompt: PROMPT, max_tokens: 1000 });
      expectProblem(await call('fail-500'), 502, 'UPSTREAM_ERROR');
      await new Promise((resolve) => setTimeout(resolve, 50)); // DynamoDB: the release is written after the answer
      await call('echo').expect(200); // a reservation of 1,000 kept would refuse it
    });
  });
}

limitsHold('embedded (in-process reservations)', async (upstream) => {
  const t = await startTestPlatform({ ...ENV, OPENAI_BASE_URL: upstream.url });
  return { tasks: [t], close: () => t.close() };
});

limitsHold('two tasks sharing DynamoDB (dynalite)', async (upstream) => {
  const aws: LocalAws = await startLocalAws();
  await aws.createTables('limits');
  // Same data directory: the tasks share the local token issuer's key, as tasks share Cognito.
  const dir = mkdtempSync(join(tmpdir(), 'gaf-limits-'));
  const env = { ...ENV, OPENAI_BASE_URL: upstream.url, STORE: 'dynamodb', DYNAMODB_TABLE_PREFIX: 'limits' };
  const tasks = [await startTestPlatform(env, dir), await startTestPlatform(env, dir)];
  return {
    tasks,
    async close() {
      for (const t of tasks) await t.close();
      await aws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
