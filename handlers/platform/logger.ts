// Structured JSON logs (pino). Never log secrets, tokens or prompt text: the redact list is a
// safety net for the fields that could carry them, not a licence to log bodies.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.client_secret'], censor: '[redacted]' },
  });
}
