// The playground's request/response log (admin-ui/src/lib/exchange-recorder.ts).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { exchangeRecorder, MAX_SHOWN, readable, shortToken, type Exchange } from '../../admin-ui/src/lib/exchange-recorder.ts';

it('records the request, then completes it with the status, the response body and the time taken', async () => {
  const seen: Exchange[] = [];
  let clock = 100;
  const recorder = exchangeRecorder((e) => seen.push(e), () => clock);
  const request = new Request('http://platform.test/model/invoke', {
    method: 'POST', body: '{"model_name":"echo"}', headers: { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.payload.signature' },
  });
  const options = {} as never;
  await recorder.onRequest!({ request, schemaPath: '/model/invoke', params: {}, id: '1', options });
  clock = 142;
  const response = new Response('{"output_text":"hi"}', { status: 200 });
  const returned = await recorder.onResponse!({ request, response, schemaPath: '/model/invoke', params: {}, id: '1', options });
  assert.equal(await (returned as Response).text(), '{"output_text":"hi"}', 'the caller still reads the body');
  assert.deepEqual(seen, [
    { id: 1, method: 'POST', path: '/model/invoke', authorization: 'Bearer eyJhbGciOiJS…', requestBody: '{\n  "model_name": "echo"\n}' },
    { id: 1, method: 'POST', path: '/model/invoke', authorization: 'Bearer eyJhbGciOiJS…', requestBody: '{\n  "model_name": "echo"\n}', status: 200, responseBody: '{\n  "output_text": "hi"\n}', ms: 42 },
  ]);
});

it('shows text that is not JSON as is, and cuts very long bodies', () => {
  assert.equal(readable('plain'), 'plain');
  assert.match(readable('x'.repeat(MAX_SHOWN + 5)), /… \(5 more characters\)$/);
  assert.equal(shortToken(null), undefined);
});
