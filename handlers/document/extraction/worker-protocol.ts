// Messages between the extraction pool and its threads.
import type { Extraction, ExtractionFailureCode } from './ports.ts';

export type WorkerRequest =
  | { type: 'extract'; id: number; path: string; fileName: string; maxPages: number }
  | { type: 'close' };

export type WorkerReply =
  | { id: number; ok: true; extraction: Extraction }
  | { id: number; ok: false; code: ExtractionFailureCode; message: string };
