// npm run bench: every benchmark, one after the other (they would only disturb each other).
// `npm run bench -- model` runs only the benchmarks whose name contains "model".
import { benchPromptGet } from './prompt-get.ts';
import { benchModelInvoke } from './model-invoke.ts';
import { benchDocumentChunking } from './document-chunking.ts';
import { benchDocumentExtraction } from './document-extraction.ts';
import { benchVectorRetrieval } from './vector-retrieval.ts';
import { benchVectorSearch } from './vector-search.ts';
import { benchVectorIngest } from './vector-ingest.ts';
import { benchUsageReport } from './usage-report.ts';
import { benchOpenAiChat } from './openai-chat.ts';

const benches: Record<string, () => Promise<string>> = {
  'prompt-get': benchPromptGet,
  'model-invoke': benchModelInvoke,
  'document-chunking': benchDocumentChunking,
  'document-extraction': benchDocumentExtraction,
  'vector-search': benchVectorSearch,
  'vector-retrieval': benchVectorRetrieval,
  'vector-ingest': benchVectorIngest,
  'usage-report': benchUsageReport,
  'openai-chat': benchOpenAiChat,
};
const filter = process.argv[2] ?? '';

process.stdout.write(`GenAI Foundations benchmarks — Node ${process.version}, ${new Date().toISOString()}\n`);
for (const [name, run] of Object.entries(benches)) {
  if (!name.includes(filter)) continue;
  process.stdout.write(`\n## ${name}\n\n`);
  await run();
}
