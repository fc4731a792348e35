// The compute: one ECS cluster, one container image, and one Fargate service per API service and
// per worker (the same image; SERVICE or WORKER picks the role). Each service gets its own task
// role with only the permissions it uses (see `permissions` in platform-stack.ts).
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Naming } from './naming.ts';
import type { Network } from './network.ts';
import { SERVICE_PORT, type Routing } from './routing.ts';
import { acknowledge } from './nag.ts';

export interface RoleSpec {
  /** `service` runs one API service behind the ALB; `worker` runs one queue worker. */
  kind: 'service' | 'worker';
  /** The SERVICE / WORKER value. */
  role: string;
  /** ALB path patterns served (services only). */
  paths?: string[];
  cpu: number;
  memoryMiB: number;
  maxTasks: number;
  grant(taskRole: iam.IRole): void;
}

export interface ServicesProps {
  naming: Naming;
  network: Network;
  routing: Routing;
  image: ecs.ContainerImage;
  /** Environment shared by every container. */
  environment: Record<string, string>;
  secrets: Record<string, ecs.Secret>;
  roles: RoleSpec[];
  /** Of the log groups: named, so they follow the stack's policy (a leftover would block a retry). */
  removalPolicy: RemovalPolicy;
}

const HEALTH_COMMAND = `node -e "fetch('http://127.0.0.1:${SERVICE_PORT}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`;

export class Services extends Construct {
  readonly cluster: ecs.Cluster;
  readonly services: Record<string, ecs.FargateService> = {};

  constructor(scope: Construct, id: string, props: ServicesProps) {
    super(scope, id);
    const { naming, network, routing } = props;
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: naming.name('cluster'),
      vpc: network.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const taskSecurityGroup = new ec2.SecurityGroup(this, 'TaskSg', { vpc: network.vpc, description: 'Platform tasks: HTTP only from the ALB' });
    taskSecurityGroup.addIngressRule(routing.albSecurityGroup, ec2.Port.tcp(SERVICE_PORT), 'from the ALB');
    routing.albSecurityGroup.addEgressRule(taskSecurityGroup, ec2.Port.tcp(SERVICE_PORT), 'to the tasks');

    props.roles.forEach((spec, index) => {
      const name = spec.kind === 'worker' ? `${spec.role}-worker` : spec.role;
      const logGroup = new logs.LogGroup(this, `Logs-${name}`, {
        logGroupName: `/${naming.prefix}/${name}`,
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: props.removalPolicy,
      });
      const task = new ecs.FargateTaskDefinition(this, `Task-${name}`, {
        family: naming.name(name),
        cpu: spec.cpu,
        memoryLimitMiB: spec.memoryMiB,
        runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      });
      task.addContainer('app', {
        containerName: 'app',
        image: props.image,
        environment: { ...props.environment, [spec.kind === 'worker' ? 'WORKER' : 'SERVICE']: spec.role },
        secrets: props.secrets,
        logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: name }),
        portMappings: [{ containerPort: SERVICE_PORT }],
        healthCheck: { command: ['CMD-SHELL', HEALTH_COMMAND], interval: Duration.seconds(15), timeout: Duration.seconds(5), retries: 3, startPeriod: Duration.seconds(20) },
        stopTimeout: Duration.seconds(30),
      });
      spec.grant(task.taskRole);
      acknowledge(task, 'ECS2', 'Only non-secret settings (names, ids, region) are environment variables; the admin password comes from Secrets Manager.');
      acknowledge(task.obtainExecutionRole(), 'IAM5[Resource::*]', 'ecr:GetAuthorizationToken has no resource-level permissions.');

      const service = new ecs.FargateService(this, `Service-${name}`, {
        serviceName: naming.name(name),
        cluster: this.cluster,
        taskDefinition: task,
        desiredCount: 1,
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        circuitBreaker: { rollback: true },
        vpcSubnets: network.appSubnets,
        securityGroups: [taskSecurityGroup],
        assignPublicIp: false,
      });
      service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: spec.maxTasks }).scaleOnCpuUtilization('Cpu', {
        targetUtilizationPercent: 60,
        scaleInCooldown: Duration.minutes(5),
        scaleOutCooldown: Duration.minutes(1),
      });
      if (spec.kind === 'service') {
        routing.listener.addTargets(`Target-${name}`, {
          priority: 10 * (index + 1),
          conditions: [elbv2.ListenerCondition.pathPatterns(spec.paths!)],
          port: SERVICE_PORT,
          protocol: elbv2.ApplicationProtocol.HTTP,
          targets: [service],
          healthCheck: { path: '/healthz', interval: Duration.seconds(15), healthyThresholdCount: 2 },
          deregistrationDelay: Duration.seconds(30),
        });
      }
      this.services[name] = service;
    });
  }
}
