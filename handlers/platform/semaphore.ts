// A counting semaphore with a bounded queue. When both the slots and the queue are taken, callers
// are refused at once instead of waiting: a flood then costs the attacker a fast 429, not the
// platform an ever-growing backlog.

export class QueueFullError extends Error {
  constructor() {
    super('semaphore queue full');
  }
}

export class Semaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly slots: number, private readonly maxQueue: number) {}

  /** Runs fn when a slot is free; throws QueueFullError without running it when the queue is full. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.maxQueue) throw new QueueFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter, so a newcomer cannot overtake the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
