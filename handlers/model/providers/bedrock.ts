// Amazon Bedrock: Converse / ConverseStream for text (one request shape for every family), and
// InvokeModel for embeddings (Titan, Cohere) and raw native bodies. The SDK's own retries are off:
// retries, deadlines and circuit breaking are the platform's (platform/resilience/).
import {
  BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelCommand,
  type ConverseCommandInput, type StopReason,
} from '@aws-sdk/client-bedrock-runtime';
import type { CatalogueModel } from '../catalogue.ts';
import {
  isAbort, ProviderError, UnsupportedOperation, type ChatRequest, type ChatResult, type EmbedOptions, type EmbedResult,
  type FinishReason, type ModelProvider, type RawResult, type StreamEvent,
} from './provider.ts';

const FINISH: Partial<Record<StopReason, FinishReason>> = {
  end_turn: 'stop', max_tokens: 'length', stop_sequence: 'stop_sequence', content_filtered: 'content_filter',
  guardrail_intervened: 'content_filter', tool_use: 'tool_use',
};

/** Which native field carries top_k, per family (the seed's mapping, minus its substring bugs). */
const TOP_K_FIELD: Record<string, string> = { anthropic: 'top_k', mistral: 'top_k', cohere_command: 'k', cohere_command_r: 'k', nova: 'topK' };

/** Families whose Bedrock models take only one user message. */
const SINGLE_TURN = new Set(['ai21', 'cohere_command']);

function converseInput(model: CatalogueModel, request: ChatRequest): ConverseCommandInput {
  const messages = SINGLE_TURN.has(model.family) ? request.messages.slice(-1) : request.messages;
  const topKField = TOP_K_FIELD[model.family];
  return {
    modelId: model.invocation_id,
    messages: messages.map((m) => ({ role: m.role, content: [{ text: m.text }] })),
    ...(request.system.length > 0 && { system: request.system.map((text) => ({ text })) }),
    inferenceConfig: {
      ...(request.maxTokens !== undefined && { maxTokens: request.maxTokens }),
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      ...(request.topP !== undefined && { topP: request.topP }),
      ...(request.stopSequences !== undefined && { stopSequences: request.stopSequences }),
    },
    ...(request.topK !== undefined && topKField && {
      additionalModelRequestFields: model.family === 'nova' ? { inferenceConfig: { topK: request.topK } } : { [topKField]: request.topK },
    }),
  };
}

/** Bedrock's exceptions → what the platform does about them. */
function translate(error: unknown): unknown {
  if (isAbort(error) || error instanceof ProviderError) return error;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  switch (e.name) {
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
      return new ProviderError('throttled', 'Bedrock is throttling requests.');
    case 'ValidationException':
      return new ProviderError('rejected', 'Bedrock rejected the request (check the parameters for this model).');
    case 'AccessDeniedException':
      return new ProviderError('bad_response', 'Bedrock denied access to this model (enable it in the Bedrock console and allow bedrock:InvokeModel).');
    case 'ResourceNotFoundException':
      return new ProviderError('rejected', 'Bedrock does not offer this model in the configured region.');
    case 'ModelTimeoutException':
      return new ProviderError('timeout', 'The model did not answer in time.');
    case 'ModelNotReadyException':
    case 'ServiceUnavailableException':
    case 'InternalServerException':
    case 'ModelStreamErrorException':
    case 'ModelErrorException':
      return new ProviderError('unavailable', 'Bedrock failed to answer.');
    default: {
      const status = e.$metadata?.httpStatusCode ?? 0;
      if (status === 429) return new ProviderError('throttled', 'Bedrock is throttling requests.');
      if (status >= 400 && status < 500) return new ProviderError('rejected', `Bedrock rejected the request (HTTP ${status}).`);
      // No HTTP status: the request never got an answer (a connection or DNS failure).
      return new ProviderError(status ? 'unavailable' : 'unreachable', status ? `Bedrock failed (HTTP ${status}).` : 'Bedrock could not be reached.');
    }
  }
}

const numberAt = (value: unknown, ...path: string[]): number | undefined => {
  let current = value;
  for (const key of path) current = (current as Record<string, unknown> | undefined)?.[key];
  return typeof current === 'number' ? current : undefined;
};

/** Token counts from the native answers of the families that report them. */
function nativeUsage(output: Record<string, unknown>) {
  return {
    inputTokens: numberAt(output, 'usage', 'input_tokens') ?? numberAt(output, 'inputTextTokenCount') ?? numberAt(output, 'prompt_token_count')
      ?? numberAt(output, 'token_count', 'prompt_tokens') ?? numberAt(output, 'usage', 'inputTokens'),
    outputTokens: numberAt(output, 'usage', 'output_tokens') ?? numberAt(output, 'results', '0', 'tokenCount') ?? numberAt(output, 'generation_token_count')
      ?? numberAt(output, 'token_count', 'response_tokens') ?? numberAt(output, 'usage', 'outputTokens'),
  };
}

export class BedrockProvider implements ModelProvider {
  readonly name = 'bedrock' as const;

  constructor(private readonly client: BedrockRuntimeClient) {}

  static create(region: string): BedrockProvider {
    return new BedrockProvider(new BedrockRuntimeClient({ region, maxAttempts: 1 }));
  }

  async chat(model: CatalogueModel, request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
    try {
      const out = await this.client.send(new ConverseCommand(converseInput(model, request)), { abortSignal: signal });
      const blocks = out.output?.message?.content;
      if (!blocks) throw new ProviderError('bad_response', 'Bedrock answered without a message.');
      return {
        text: blocks.map((block) => block.text ?? '').join(''),
        finishReason: (out.stopReason && FINISH[out.stopReason]) ?? 'other',
        inputTokens: out.usage?.inputTokens,
        outputTokens: out.usage?.outputTokens,
      };
    } catch (error) {
      throw translate(error);
    }
  }

  async *chatStream(model: CatalogueModel, request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
    let finish: FinishReason = 'other';
    let usage: { inputTokens?: number; outputTokens?: number } = {};
    try {
      const out = await this.client.send(new ConverseStreamCommand(converseInput(model, request)), { abortSignal: signal });
      for await (const event of out.stream ?? []) {
        if (event.contentBlockDelta?.delta?.text) yield { type: 'delta', text: event.contentBlockDelta.delta.text };
        else if (event.messageStop?.stopReason) finish = FINISH[event.messageStop.stopReason] ?? 'other';
        else if (event.metadata?.usage) usage = { inputTokens: event.metadata.usage.inputTokens, outputTokens: event.metadata.usage.outputTokens };
        else {
          const failure = event.throttlingException ?? event.validationException ?? event.internalServerException
            ?? event.modelStreamErrorException ?? event.serviceUnavailableException;
          if (failure) throw failure;
        }
      }
    } catch (error) {
      throw translate(error);
    }
    yield { type: 'done', finishReason: finish, ...usage };
  }

  /** Titan embeds one text an InvokeModel; Cohere up to 96, but one keeps its usage and failures per text. */
  embedBatchSize(): number {
    return 1;
  }

  async embed(model: CatalogueModel, [text]: string[], options: EmbedOptions, signal: AbortSignal): Promise<EmbedResult> {
    let body: Record<string, unknown>;
    if (model.family === 'titan_embed') {
      // Only V2 takes dimensions and normalize; V1 answers 1,536 dimensions.
      const v2 = model.model_id.includes('v2');
      body = { inputText: text, ...(v2 && options.dimensions !== undefined && { dimensions: options.dimensions }), ...(v2 && options.normalize !== undefined && { normalize: options.normalize }) };
    } else if (model.family === 'cohere_embed') {
      body = { texts: [text], input_type: options.inputType ?? 'search_document', truncate: 'END' };
    } else {
      throw new UnsupportedOperation('embeddings');
    }
    const output = await this.invoke(model, body, signal);
    const embedding = (output.embedding ?? (output.embeddings as unknown[] | undefined)?.[0]) as number[] | undefined;
    if (!Array.isArray(embedding)) throw new ProviderError('bad_response', 'Bedrock answered without an embedding.');
    return { embeddings: [embedding], inputTokens: numberAt(output, 'inputTextTokenCount') };
  }

  async raw(model: CatalogueModel, body: Record<string, unknown>, signal: AbortSignal): Promise<RawResult> {
    const output = await this.invoke(model, body, signal);
    return { output, ...nativeUsage(output) };
  }

  private async invoke(model: CatalogueModel, body: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>> {
    try {
      const out = await this.client.send(
        new InvokeModelCommand({ modelId: model.invocation_id, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body) }),
        { abortSignal: signal },
      );
      try {
        return JSON.parse(new TextDecoder().decode(out.body)) as Record<string, unknown>;
      } catch {
        throw new ProviderError('bad_response', 'Bedrock answered with something that is not JSON.');
      }
    } catch (error) {
      throw translate(error);
    }
  }
}
