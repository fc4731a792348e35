// The vector service's names on the kernel: its job kind in the job store and its queue.
export const VECTORISATION_JOB = 'vector-vectorisation';
export const VECTORISATION_QUEUE = 'vector-vectorisation';

/** One queue message: one file of one vectorisation job. */
export interface VectorisationMessage {
  app_id: string;
  job_id: string;
  file_name: string;
}
