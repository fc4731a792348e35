// An extraction job with files registered and uploaded (not started), as the seed SDK makes one.
import { upload } from '../document/helpers.ts';
import type { TestPlatform } from './platform.ts';

export async function extractionJob(t: TestPlatform, authorization: string, files: Record<string, Uint8Array | string>): Promise<string> {
  const created = await t.http.get('/document/extraction/create_job').set('authorization', authorization).expect(200);
  const jobId = created.body.extraction_job_id as string;
  for (const [name, bytes] of Object.entries(files)) {
    const registered = await t.http.post('/document/extraction/register_file').set('authorization', authorization)
      .send({ extraction_job_id: jobId, file_name: name }).expect(200);
    await upload(t, registered.body.upload_url, bytes).expect(200);
  }
  return jobId;
}
