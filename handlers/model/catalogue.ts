// The model catalogue: the checked-in models (catalogue.json) plus the OpenAI-compatible models
// named in OPENAI_MODELS. Only models whose provider is configured are offered.
import { readFileSync } from 'node:fs';
import { ProblemError } from '../platform/problems.ts';
import { invocationId } from './inference-profiles.ts';

export type ProviderName = 'bedrock' | 'openai' | 'local';

export interface CatalogueModel {
  model_name: string;
  provider: ProviderName;
  model_id: string;
  /** What the provider is sent: model_id, or on Bedrock the inference profile's id where the model needs one. */
  invocation_id: string;
  /** Served on demand only through a cross-region inference profile (catalogue.json's inference_profiles). */
  inference_profile?: boolean;
  /** Legacy or end-of-life at the provider: still callable where it is served, not for new work. */
  deprecated?: boolean;
  /** The native request shape on Bedrock (anthropic, titan_embed, …); `openai` for HTTP models. */
  family: string;
  kind: 'text' | 'embed';
  context_window: number;
  input_price_per_1k: number;
  output_price_per_1k: number;
  dimensions?: number;
}

export interface CatalogueOptions {
  /** Providers that are configured (local always is). */
  configured: Set<ProviderName>;
  /** From OPENAI_MODELS: `name` (text) or `name:embed`. */
  openAiModels: { name: string; kind: 'text' | 'embed' }[];
  openAiContextWindow: number;
  /** The region Bedrock is called in: it picks the inference profile of models that need one. */
  bedrockRegion?: string;
}

const checkedIn = (JSON.parse(readFileSync(new URL('./catalogue.json', import.meta.url), 'utf8')) as { models: Omit<CatalogueModel, 'invocation_id'>[] }).models;

const PROVIDER_SETUP: Record<ProviderName, string> = {
  bedrock: 'Set AWS_REGION (or BEDROCK_REGION) and give the platform AWS credentials with bedrock:InvokeModel.',
  openai: 'Set OPENAI_BASE_URL (and OPENAI_API_KEY if the server needs one) and list the model in OPENAI_MODELS.',
  local: '',
};

export class Catalogue {
  private readonly byName = new Map<string, CatalogueModel>();

  constructor(private readonly options: CatalogueOptions) {
    for (const model of checkedIn) {
      this.byName.set(model.model_name, { ...model, invocation_id: model.provider === 'bedrock' ? invocationId(model, options.bedrockRegion) : model.model_id });
    }
    for (const { name, kind } of options.openAiModels) {
      this.byName.set(name, {
        model_name: name, provider: 'openai', model_id: name, invocation_id: name, family: 'openai', kind,
        context_window: options.openAiContextWindow, input_price_per_1k: 0, output_price_per_1k: 0,
      });
    }
  }

  /** Every model whose provider is configured. */
  available(): CatalogueModel[] {
    return [...this.byName.values()].filter((m) => this.options.configured.has(m.provider));
  }

  /** The model, if it exists and can be called; throws the problem a client should see otherwise. */
  resolve(name: string, { kind, field = 'body.model_name' }: { kind?: 'text' | 'embed'; field?: string } = {}): CatalogueModel {
    const model = this.byName.get(name) ?? [...this.byName.values()].find((m) => m.model_id === name);
    if (!model) {
      throw new ProblemError('UNKNOWN_MODEL', `Unknown model ${name}. GET /model/list_models lists the models this platform can call.`, {
        errors: [{ path: field, message: 'is not a known model' }],
      });
    }
    if (!this.options.configured.has(model.provider)) {
      throw new ProblemError('PROVIDER_NOT_CONFIGURED', `${name} runs on ${model.provider}, which is not configured. ${PROVIDER_SETUP[model.provider]}`);
    }
    if (kind && model.kind !== kind) {
      const route = model.kind === 'embed' ? '/model/embed' : '/model/invoke';
      throw new ProblemError('WRONG_MODEL_KIND', `${name} is ${model.kind === 'embed' ? 'an embedding' : 'a text'} model; use ${route}.`, {
        errors: [{ path: field, message: `is not a ${kind} model` }],
      });
    }
    return model;
  }
}

/** `llama3.2,nomic-embed-text:embed` → the OpenAI-compatible models it names. */
export function parseOpenAiModels(value: string | undefined): CatalogueOptions['openAiModels'] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((entry) => {
    const embed = entry.endsWith(':embed');
    return { name: embed ? entry.slice(0, -':embed'.length) : entry, kind: embed ? 'embed' : 'text' };
  });
}
