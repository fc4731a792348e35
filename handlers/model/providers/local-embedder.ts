// The local embedding provider: no configuration, no network. The model loads lazily in a worker
// thread on the first request, so start-up stays fast and the event loop never runs inference.
import { Worker } from 'node:worker_threads';
import type { CatalogueModel } from '../catalogue.ts';
import { ProviderError, UnsupportedOperation, type EmbedOptions, type EmbedResult, type ModelProvider } from './provider.ts';

type Pending = { resolve: (vectors: number[][]) => void; reject: (error: Error) => void };

export class LocalEmbedder implements ModelProvider {
  readonly name = 'local' as const;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  private start(): Worker {
    const worker = new Worker(new URL('./local-embedder-worker.mjs', import.meta.url));
    worker.unref(); // an idle model must not keep the process alive
    worker.on('message', ({ id, vectors, error }: { id: number; vectors?: number[][]; error?: string }) => {
      const pending = this.pending.get(id);
      this.pending.delete(id);
      if (error !== undefined || !vectors) pending?.reject(new ProviderError('unavailable', 'The local embedding model failed.'));
      else pending?.resolve(vectors);
    });
    worker.on('error', () => this.fail());
    worker.on('exit', () => this.fail());
    return worker;
  }

  /** A dead worker fails what it had and is replaced on the next call. */
  private fail(): void {
    this.worker = undefined;
    for (const pending of this.pending.values()) pending.reject(new ProviderError('unavailable', 'The local embedding model stopped.'));
    this.pending.clear();
  }

  private run(texts: string[], signal: AbortSignal): Promise<number[][]> {
    this.worker ??= this.start();
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
        reject: (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
      });
      worker.postMessage({ id, texts });
    });
  }

  /** One batch is one run of the model in its worker thread. */
  embedBatchSize(): number {
    return 64;
  }

  async embed(_model: CatalogueModel, texts: string[], options: EmbedOptions, signal: AbortSignal): Promise<EmbedResult> {
    if (options.dimensions !== undefined && options.dimensions !== 512) {
      throw new ProviderError('rejected', 'LOCAL_USE_LITE_512 has 512 dimensions only.');
    }
    // The model's vectors are unit length already, so `normalize` changes nothing.
    return { embeddings: await this.run(texts, signal) };
  }

  async chat(): Promise<never> {
    throw new UnsupportedOperation('text generation');
  }

  async *chatStream(): AsyncIterable<never> {
    throw new UnsupportedOperation('text generation');
  }

  async raw(): Promise<never> {
    throw new UnsupportedOperation('raw input');
  }

  close(): Promise<number> | undefined {
    return this.worker?.terminate();
  }
}
