// An OpenAI-compatible upstream that answers at once with a fixed completion: the gateway
// benchmark measures what sits in front of it, not the model.
import { createServer } from 'node:http';

const completion = JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', created: 0, model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Paris is the capital of France.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 14, completion_tokens: 8, total_tokens: 22 },
});

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
    res.end(completion);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'fake upstream listening', port: (server.address() as { port: number }).port })}\n`);
});
