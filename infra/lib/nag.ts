// cdk-nag (AwsSolutions) runs on every synth and fails it on any finding not acknowledged here,
// next to the construct it concerns, with the reason it is accepted.
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
}
