// The extraction thread's entry: worker threads do not inherit the parent's TypeScript loader, so
// tsx is registered here before the worker's TypeScript is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./extraction-worker.ts');
