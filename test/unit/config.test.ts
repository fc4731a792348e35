import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../handlers/platform/config.ts';
import { readModelConfig } from '../../handlers/model/config.ts';

it('has working defaults with an empty environment', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8080);
  assert.equal(config.publicUrl, 'http://localhost:8080');
  assert.equal(config.bodyLimitBytes, 1048576);
  assert.equal(config.secureCookies, false);
  assert.match(config.dataDir, /\.data$/);
});

it('derives the issuer from PORT and the Secure cookie flag from an https PUBLIC_URL', () => {
  assert.equal(loadConfig({ PORT: '9000' }).publicUrl, 'http://localhost:9000');
  const config = loadConfig({ PUBLIC_URL: 'https://genai.example.org/' });
  assert.equal(config.publicUrl, 'https://genai.example.org');
  assert.equal(config.secureCookies, true);
});

it('names the variable in one clear message for each bad value', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^PORT must be an integer/],
    [{ PORT: '70000' }, /^PORT must be an integer from 0 to 65535/],
    [{ PUBLIC_URL: 'ftp://x' }, /^PUBLIC_URL must be an http\(s\) URL/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ BODY_LIMIT_BYTES: '10' }, /^BODY_LIMIT_BYTES must be an integer/],
    [{ ADMIN_PASSWORD: 'short' }, /^ADMIN_PASSWORD must be at least 12 characters/],
  ];
  for (const [env, message] of cases) assert.throws(() => loadConfig(env), (error: Error) => error instanceof ConfigError && message.test(error.message));
});

it('gives streams their own deadlines, never shorter than a plain call', () => {
  const defaults = readModelConfig({});
  assert.deepEqual([defaults.timeoutMs, defaults.streamTimeoutMs, defaults.streamIdleTimeoutMs], [120_000, 600_000, 60_000]);
  assert.equal(readModelConfig({ MODEL_TIMEOUT_MS: '900000' }).streamTimeoutMs, 900_000, 'the default follows a longer call deadline');
  const set = readModelConfig({ MODEL_TIMEOUT_MS: '1000', MODEL_STREAM_TIMEOUT_MS: '5000', MODEL_STREAM_IDLE_TIMEOUT_MS: '200' });
  assert.deepEqual([set.streamTimeoutMs, set.streamIdleTimeoutMs], [5000, 200]);
  const fails = (env: Record<string, string>, message: RegExp) =>
    assert.throws(() => readModelConfig(env), (error: Error) => error instanceof ConfigError && message.test(error.message));
  fails({ MODEL_TIMEOUT_MS: '1000', MODEL_STREAM_TIMEOUT_MS: '500' }, /^MODEL_STREAM_TIMEOUT_MS must be an integer from 1000 to 3600000/);
  fails({ MODEL_STREAM_IDLE_TIMEOUT_MS: 'soon' }, /^MODEL_STREAM_IDLE_TIMEOUT_MS must be an integer/);
});

it('keeps blobs in DATA_DIR unless BLOBS=s3 names a valid bucket', () => {
  assert.deepEqual(loadConfig({}).aws.blobs, { kind: 'local' });
  assert.deepEqual(loadConfig({ BLOBS: 's3', S3_BUCKET: 'genai-foundations-files' }).aws.blobs, { kind: 's3', bucket: 'genai-foundations-files' });
  assert.throws(() => loadConfig({ BLOBS: 's3' }), /^Error: S3_BUCKET is required when BLOBS=s3/);
  assert.throws(() => loadConfig({ BLOBS: 's3', S3_BUCKET: 'Bad_Bucket' }), /S3_BUCKET must match/);
});
