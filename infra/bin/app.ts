// The CDK app: `npx cdk synth` / `npx cdk deploy` from the repository root (see cdk.json).
// Context (-c key=value): region, prefix, vpcCidr, natGateways, removalPolicy (retain|destroy).
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
  if (!Number.isInteger(natGateways) || natGateways < 0 || natGateways > 2) throw new Error(`natGateways must be 0, 1 or 2, got "${natGateways}"`);
  const stack = new PlatformStack(app, 'GenAIFoundations', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: context('region', process.env.CDK_DEFAULT_REGION ?? 'us-east-1') },
    stackName: prefix === 'genai-foundations' ? 'GenAIFoundations' : `GenAIFoundations-${prefix}`,
    description: 'GenAI Foundations: one authenticated API for model invocation and prompt management',
    prefix,
    vpcCidr: context('vpcCidr', '10.40.0.0/16'),
    natGateways,
    removalPolicy: removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    modules,
  });
  // Every AwsSolutions finding fails the synth unless acknowledged in code with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (process.argv[1] === new URL(import.meta.url).pathname) buildApp().app.synth();
