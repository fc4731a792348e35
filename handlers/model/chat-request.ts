// Turns an invoke body into the providers' chat request (with the deprecated `system` alias) and measures it.
import { ProblemError } from '../platform/problems.ts';
import type { ChatRequest } from './providers/provider.ts';
import type { InvokeBody } from './calls.ts';

export function chatRequest(body: InvokeBody): ChatRequest {
  const messages = typeof body.prompt === 'string'
    ? [{ role: 'user' as const, text: body.prompt }]
    : body.prompt.map((m) => ({ role: m.role, text: typeof m.content === 'string' ? m.content : m.content.map((c) => c.text).join('\n') }));
  return {
    messages,
    system: systemPrompts(body),
    maxTokens: body.max_tokens ?? undefined,
    temperature: body.temperature ?? undefined,
    topP: body.top_p ?? undefined,
    topK: body.top_k ?? undefined,
    stopSequences: body.stop_sequences ?? undefined,
  };
}

/** `system` is the deprecated alias of `system_prompts` (Converse's name): one of them, not both. */
function systemPrompts({ system_prompts, system }: InvokeBody): string[] {
  if (system_prompts != null && system != null) {
    throw new ProblemError('VALIDATION_ERROR', 'Send system_prompts or its deprecated alias system, not both.', {
      errors: [
        { path: 'body.system_prompts', message: 'must not be sent together with system' },
        { path: 'body.system', message: 'must not be sent together with system_prompts' },
      ],
    });
  }
  const given = system_prompts ?? system ?? [];
  return typeof given === 'string' ? [given] : given.map((s) => s.text);
}

export const requestChars = (request: ChatRequest) =>
  request.messages.reduce((n, m) => n + m.text.length, 0) + request.system.reduce((n, s) => n + s.length, 0);
