// The extraction thread: reads one file per message and answers with its Extraction or a failure
// code. A stack overflow (a deeply nested PDF object graph) is a resource limit, not a crash.
import { parentPort } from 'node:worker_threads';
import { extractFile } from './extract-file.ts';
import { ExtractionFailure } from './ports.ts';
import { closeOcr } from './ocr.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

function failureOf(error: unknown): { code: ExtractionFailure['code']; message: string } {
  if (error instanceof ExtractionFailure) return { code: error.code, message: error.message };
  if (error instanceof RangeError) return { code: 'RESOURCE_LIMIT', message: 'The file is nested too deeply to read.' };
  return { code: 'EXTRACTION_FAILED', message: 'The file could not be read.' };
}

parentPort!.on('message', async (request: WorkerRequest) => {
  if (request.type === 'close') {
    await closeOcr();
    parentPort!.close();
    return;
  }
  let reply: WorkerReply;
  try {
    reply = { id: request.id, ok: true, extraction: await extractFile(request.path, request.fileName, request.maxPages) };
  } catch (error) {
    reply = { id: request.id, ok: false, ...failureOf(error) };
  }
  parentPort!.postMessage(reply);
});
