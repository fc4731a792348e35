// npm run bench: every benchmark, one after the other (they would only disturb each other).
// `npm run bench -- model` runs only the benchmarks whose name contains "model".
import { benchPromptGet } from './prompt-get.ts';
import { benchModelInvoke } from './model-invoke.ts';
import { benchDocumentExtraction } from './document-extraction.ts';
import { benchDocumentChunking } from './document-chunking.ts';

const benches: Record<string, () => Promise<string>> = {
  'prompt-get': benchPromptGet, 'model-invoke': benchModelInvoke,
  'document-extraction': benchDocumentExtraction, 'document-chunking': benchDocumentChunking,
};
const filter = process.argv[2] ?? '';

process.stdout.write(`GenAI Foundations benchmarks — Node ${process.version}, ${new Date().toISOString()}\n`);
for (const [name, run] of Object.entries(benches)) {
  if (!name.includes(filter)) continue;
  process.stdout.write(`\n## ${name}\n\n`);
  await run();
}
