// npm run bench: every benchmark, one after the other (they would only disturb each other).
import { benchPromptGet } from './prompt-get.ts';

process.stdout.write(`GenAI Foundations benchmarks — Node ${process.version}, ${new Date().toISOString()}\n\n`);
await benchPromptGet();
