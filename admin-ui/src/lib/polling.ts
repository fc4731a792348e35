// Polls while there is something to watch and someone watching: `tick` answers whether to go on
// (e.g. a job is still open); nothing is asked while the page is hidden, and showing it again asks
// at once. The page (document) is passed in, so the logic is testable without a browser.
export interface PageVisibility {
  hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface Poller {
  /** Ask again soon (after a change that may have opened something to watch). */
  wake(): void;
  stop(): void;
}

export function pollWhileOpen(tick: () => Promise<boolean>, intervalMs: number, page: PageVisibility): Poller {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running = false;

  const schedule = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!stopped && !page.hidden) timer = setTimeout(run, intervalMs);
  };
  async function run() {
    timer = undefined;
    if (stopped || running || page.hidden) return;
    running = true;
    // A failed tick keeps polling: the page shows the error and the next tick may succeed.
    const goOn = await tick().catch(() => true);
    running = false;
    if (goOn) schedule();
  }
  const onVisibility = () => (page.hidden ? clearTimeout(timer) : void run());
  page.addEventListener('visibilitychange', onVisibility);

  return {
    wake: schedule,
    stop() {
      stopped = true;
      clearTimeout(timer);
      page.removeEventListener('visibilitychange', onVisibility);
    },
  };
}

/** How often, and how long at most, untilFinished asks. */
export const FINISH_POLL_MS = 500;
export const FINISH_LIMIT_MS = 120_000;
const FINISHED = new Set(['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED']);

/** Asks `status` until the job has finished (its last answer), or fails after `limitMs`. */
export async function untilFinished<T extends { status: string }>(
  status: () => Promise<T>,
  sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
  limitMs = FINISH_LIMIT_MS,
): Promise<T> {
  for (let waited = 0; ; waited += FINISH_POLL_MS) {
    const answer = await status();
    if (FINISHED.has(answer.status)) return answer;
    if (waited >= limitMs) throw new Error(`The job is still ${answer.status} after ${limitMs / 1000} s; look for it on the Jobs page.`);
    await sleep(FINISH_POLL_MS);
  }
}
