// The CDK app: `npx cdk synth` / `npx cdk deploy` from the repository root (see cdk.json).
// Context (-c key=value): region, prefix, vpcCidr, natGateways (1|2), removalPolicy (retain|destroy),
// deletionProtection (true|false: turn it on once the first deploy has succeeded, see docs/deploy.md).
// The region is fixed at synth (load-balancer log delivery and Bedrock ARNs depend on it): from
// -c region=…, else the CLI's default region (AWS_REGION / profile), else us-east-1.
import { App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PlatformStack } from '../lib/platform-stack.ts';
import type { ModuleDeclaration } from '../../handlers/platform/module.ts';

export function buildApp(app = new App(), modules?: ModuleDeclaration[]): { app: App; stack: PlatformStack } {
  const context = (key: string, fallback: string) => String(app.node.tryGetContext(key) ?? fallback);
  const prefix = context('prefix', 'genai-foundations');
  const removal = context('removalPolicy', 'retain');
  if (removal !== 'retain' && removal !== 'destroy') throw new Error(`removalPolicy must be retain or destroy, got "${removal}"`);
  const natGateways = Number(context('natGateways', '1'));
  // Cognito (token keys, app clients) has no usable interface endpoint for pools with a domain: NAT it is.
  if (!Number.isInteger(natGateways) || natGateways < 1 || natGateways > 2) throw new Error(`natGateways must be 1 or 2, got "${natGateways}"`);
  const deletionProtection = context('deletionProtection', 'false');
  if (deletionProtection !== 'true' && deletionProtection !== 'false') throw new Error(`deletionProtection must be true or false, got "${deletionProtection}"`);
  const stack = new PlatformStack(app, 'GenAIFoundations', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: context('region', process.env.CDK_DEFAULT_REGION ?? 'us-east-1') },
    stackName: prefix === 'genai-foundations' ? 'GenAIFoundations' : `GenAIFoundations-${prefix}`,
    description: 'GenAI Foundations: one authenticated API for model invocation and prompt management',
    prefix,
    vpcCidr: context('vpcCidr', '10.40.0.0/16'),
    natGateways,
    // Retained on delete and replacement, but removed when the first create rolls back, so a retry
    // does not meet the leftovers of the failed attempt ("already exists").
    removalPolicy: removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    deletionProtection: deletionProtection === 'true',
    modules,
  });
  // Every AwsSolutions finding fails the synth unless acknowledged in code with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (process.argv[1] === new URL(import.meta.url).pathname) buildApp().app.synth();
