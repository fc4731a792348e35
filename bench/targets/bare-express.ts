// The baseline: bare Express 5 answering POST /prompt/template/get with a fixed template, no
// auth, no validation, no database. Whatever the platform adds is measured against this.
import express from 'express';

const template = JSON.parse(process.env.BENCH_TEMPLATE_JSON ?? '{}');
const app = express();
app.use(express.json());
app.post('/prompt/template/get', (_req, res) => void res.json(template));
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'bare express listening', port: (server.address() as { port: number }).port })}\n`);
});
server.keepAliveTimeout = 65_000;
