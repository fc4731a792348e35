// One usage event per file a worker finished: what it read or produced, in the ledger's units.
export interface FileUsage {
  appId: string;
  operation: 'extract' | 'chunk';
  jobId: string;
  provider: 'local' | 'textract' | null;
  units: { pages?: number; ocr_pages?: number; textract_pages?: number; chunks?: number };
  latencyMs: number;
  status: 'SUCCESS' | 'FAILED' | 'CANCELLED';
  errorCode: string | null;
  /** The queue message that carried the work. */
  requestId: string;
}

export type Meter = (usage: FileUsage) => void;
