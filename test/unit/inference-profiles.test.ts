// Bedrock models that are served on demand only through a cross-region inference profile: the id
// sent, per deployment region, and the ARNs IAM must allow for it.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { bedrockResourceArns, geographyOf, invocationId } from '../../handlers/model/inference-profiles.ts';
import { Catalogue } from '../../handlers/model/catalogue.ts';

const claude37 = { provider: 'bedrock', model_id: 'anthropic.claude-3-7-sonnet-20250219-v1:0', inference_profile: true };
const haiku3 = { provider: 'bedrock', model_id: 'anthropic.claude-3-haiku-20240307-v1:0' };

it('invokes a profiled model through its geography\'s profile, and any other by its own id', () => {
  assert.deepEqual(['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'].map(geographyOf), ['us', 'us', 'eu', 'eu', 'apac']);
  assert.equal(invocationId(claude37, 'eu-west-1'), 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0');
  assert.equal(invocationId(claude37, 'us-east-2'), 'us.anthropic.claude-3-7-sonnet-20250219-v1:0');
  assert.equal(invocationId(claude37, undefined), claude37.model_id);
  assert.equal(invocationId(haiku3, 'eu-west-1'), haiku3.model_id);
});

it('grants the profile and the foundation model in every region the profile routes to', () => {
  const arns = bedrockResourceArns(claude37, 'eu-west-1', '123456789012');
  assert.equal(arns[0], 'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0');
  assert.ok(arns.includes('arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0'));
  assert.ok(arns.includes('arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0'));
  assert.ok(arns.every((arn) => !arn.includes(':us-') && !arn.includes('*')));
  assert.deepEqual(bedrockResourceArns(haiku3, 'eu-west-1', '123456789012'), ['arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0']);
});

it('lists each Bedrock model with the id it is invoked by, and marks legacy ones deprecated', () => {
  const catalogue = new Catalogue({ configured: new Set(['bedrock', 'local']), openAiModels: [], openAiContextWindow: 4096, bedrockRegion: 'ap-northeast-1' });
  const byName = new Map(catalogue.available().map((m) => [m.model_name, m]));
  assert.equal(byName.get('AMAZON_NOVA_PRO_V1')!.invocation_id, 'apac.amazon.nova-pro-v1:0');
  assert.equal(byName.get('ANTHROPIC_CLAUDE_3_HAIKU_V1')!.invocation_id, 'anthropic.claude-3-haiku-20240307-v1:0');
  assert.equal(byName.get('ANTHROPIC_CLAUDE_V2')!.deprecated, true);
  assert.equal(byName.get('ANTHROPIC_CLAUDE_3_7_SONNET_V1')!.deprecated, undefined);
});
