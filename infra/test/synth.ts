// Synthesises the CDK app offline (no account, no Docker) for the infra tests. cdk-nag's
// AwsSolutions pack runs inside the synth: any finding not acknowledged in code fails it, and the
// failure lists each finding.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../bin/app.ts';
import type { ModuleDeclaration } from '../../handlers/platform/module.ts';

export function synth(context: Record<string, string> = {}, modules?: ModuleDeclaration[]): { template: Template; stack: Stack } {
  const outdir = mkdtempSync(join(tmpdir(), 'gaf-cdk-'));
  try {
    const { app, stack } = buildApp(new App({ outdir, context }), modules);
    try {
      app.synth();
    } catch (error) {
      const report = join(outdir, 'validation-report.json');
      const violations = existsSync(report)
        ? JSON.parse(readFileSync(report, 'utf8')).pluginReports.flatMap((r: any) => r.violations.map((v: any) => `${v.ruleName} ${v.violatingResources?.[0]?.resourceLogicalId ?? ''} ${v.violatingConstructs?.map((c: any) => c.constructPath).join(', ') ?? ''}`))
        : [];
      assert.fail(`synth failed: ${(error as Error).message}\n${violations.join('\n')}`);
    }
    return { template: Template.fromStack(stack), stack };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
