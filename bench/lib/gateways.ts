// What the gateway benchmarks share: a loopback upstream that answers at once, and the Portkey
// gateway in front of it (each in its own process, logs in `dir`).
import { freePort, startChildServer, tsScript } from './child-server.ts';

const root = new URL('../..', import.meta.url).pathname;

/** Alternating rounds per target and seconds per run (BENCH_ROUNDS, BENCH_SECONDS). */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** The upstream's model and the question every target asks it. */
export const MODEL = 'bench-model';
export const QUESTION = 'What is the capital of France?';

export async function startUpstreamAndPortkey(dir: string) {
  const upstream = await startChildServer({ args: tsScript(`${root}bench/targets/fake-upstream.ts`) }, dir, 'upstream');
  const portkeyPort = await freePort();
  const portkey = await startChildServer(
    { args: [`${root}node_modules/@portkey-ai/gateway/build/start-server.js`, `--port=${portkeyPort}`, '--headless'], port: portkeyPort },
    dir,
    'portkey',
  );
  return {
    upstream,
    portkey,
    /** What Portkey needs to forward a chat request to the upstream as an OpenAI-compatible provider. */
    portkeyHeaders: { authorization: 'Bearer unused', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstream.url}/v1` },
    stop() {
      portkey.stop();
      upstream.stop();
    },
  };
}
