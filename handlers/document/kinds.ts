// The document service's names on the kernel: its job kinds in the job store and its queues.
export const EXTRACTION_JOB = 'document-extraction';
export const CHUNKING_JOB = 'document-chunking';
export const EXTRACTION_QUEUE = 'document-extraction';
export const CHUNKING_QUEUE = 'document-chunking';
