// A few extraction threads (at most one per core), reused from file to file. Each file gets a wall
// time limit (the thread is terminated when it runs over) and runs in a thread whose heap is capped
// (V8 stops the thread, not the process, when a file needs more). A thread that died or ran over
// is replaced; one that has read many files is retired, so memory stays flat over a long batch.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ExtractionFailure, type Extraction, type ExtractionLimits, type ExtractorFile } from './ports.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

/** A thread reads this many files, then is replaced (pdf.js and Tesseract keep caches between files). */
const FILES_PER_THREAD = 200;
/** Stack for the thread: deep object graphs end in a RangeError rather than a crash. */
const STACK_MB = 4;

interface Task {
  id: number;
  file: ExtractorFile;
  limits: ExtractionLimits;
  resolve: (extraction: Extraction) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  memoryMb: number;
  files: number;
  task?: Task;
  timer?: NodeJS.Timeout;
}

export class WorkerPool {
  private readonly threads = new Set<Thread>();
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;

  private readonly size: number;

  constructor(threads?: number) {
    this.size = Math.max(1, Math.min(threads ?? availableParallelism(), availableParallelism()));
  }

  run(file: ExtractorFile, limits: ExtractionLimits): Promise<Extraction> {
    if (this.closed) return Promise.reject(new ExtractionFailure('EXTRACTION_FAILED', 'The extractor is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, file, limits, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const task = this.queue[0]!;
      let thread = [...this.threads].find((t) => !t.task && t.memoryMb === task.limits.maxMemoryMb);
      if (!thread) {
        const idle = [...this.threads].find((t) => !t.task);
        if (idle) this.retire(idle);
        if (this.threads.size >= this.size) return;
        thread = this.spawn(task.limits.maxMemoryMb);
      }
      this.queue.shift();
      this.start(thread, task);
    }
  }

  private spawn(memoryMb: number): Thread {
    const worker = new Worker(new URL('./extraction-worker-entry.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, memoryMb / 8)), stackSizeMb: STACK_MB },
    });
    const thread: Thread = { worker, memoryMb, files: 0 };
    worker.on('message', (reply: WorkerReply) => {
      const task = thread.task;
      if (!task || reply.id !== task.id) return;
      this.finish(thread);
      if (reply.ok) task.resolve(reply.extraction);
      else task.reject(new ExtractionFailure(reply.code, reply.message));
      if (thread.files >= FILES_PER_THREAD) this.retire(thread);
      this.dispatch();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(thread, outOfMemory
        ? new ExtractionFailure('RESOURCE_LIMIT', `The file needed more than ${memoryMb} MB of memory to read.`)
        : new ExtractionFailure('EXTRACTION_FAILED', 'The extraction thread failed.'));
    });
    worker.on('exit', () => this.fail(thread, new ExtractionFailure('EXTRACTION_FAILED', 'The extraction thread stopped.')));
    this.threads.add(thread);
    return thread;
  }

  private start(thread: Thread, task: Task): void {
    thread.task = task;
    thread.files++;
    thread.worker.ref();
    thread.timer = setTimeout(() => {
      this.fail(thread, new ExtractionFailure('EXTRACTION_TIMEOUT', `The file took longer than ${task.limits.timeoutMs} ms to read.`));
    }, task.limits.timeoutMs);
    const request: WorkerRequest = { type: 'extract', id: task.id, path: task.file.path, fileName: task.file.fileName, maxPages: task.limits.maxPages };
    thread.worker.postMessage(request);
  }

  private finish(thread: Thread): void {
    clearTimeout(thread.timer);
    thread.task = undefined;
    thread.worker.unref(); // an idle pool must not keep the process alive
  }

  /** The thread's file fails with `error`; the thread is ended and a new one takes the queue. */
  private fail(thread: Thread, error: ExtractionFailure): void {
    if (!this.threads.has(thread)) return;
    const task = thread.task;
    this.finish(thread);
    this.threads.delete(thread);
    void thread.worker.terminate();
    task?.reject(error);
    if (!this.closed) this.dispatch();
  }

  private retire(thread: Thread): void {
    this.threads.delete(thread);
    const request: WorkerRequest = { type: 'close' };
    thread.worker.postMessage(request);
    // Its OCR engine is closed politely; a thread that does not stop soon is ended.
    setTimeout(() => void thread.worker.terminate(), 5_000).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new ExtractionFailure('EXTRACTION_FAILED', 'The extractor was closed.'));
    const threads = [...this.threads];
    for (const thread of threads) this.fail(thread, new ExtractionFailure('EXTRACTION_FAILED', 'The extractor was closed.'));
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
