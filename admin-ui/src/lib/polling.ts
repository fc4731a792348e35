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
