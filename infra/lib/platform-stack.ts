// The whole platform on AWS, one construct per concern. Environment-agnostic: synth needs no
// account, credentials or Docker (the image is built from the repository root at deploy time).
import { CfnOutput, CfnParameter, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import catalogue from '../../handlers/model/catalogue.json' with { type: 'json' };
import { Api, STAGE } from './api.ts';
import { Data } from './data.ts';
import { Identity } from './identity.ts';
import { naming } from './naming.ts';
import { Network } from './network.ts';
import { Routing } from './routing.ts';
import { Services } from './services.ts';
import { acknowledge } from './nag.ts';
import { moduleRoles } from './module-roles.ts';
import { Blobs, textractAnalyze } from './blobs.ts';
import { VectorStores } from './vector-stores.ts';
import { MODULES } from '../../handlers/modules.ts';
import type { AwsGrants, ModuleDeclaration } from '../../handlers/platform/module.ts';
import { platformTables } from '../../handlers/platform/store/dynamodb/tables.ts';
import { bedrockResourceArns } from '../../handlers/model/inference-profiles.ts';

export interface PlatformStackProps extends StackProps {
  /** Prefix of every resource name (stable across synths). */
  prefix: string;
  vpcCidr: string;
  /** 1 or 2: Cognito is reached through NAT (its interface endpoint does not serve pools with a domain). */
  natGateways: number;
  /**
   * For tables, queues, pools, the secret and log groups: RETAIN_ON_UPDATE_OR_DELETE (default) keeps
   * them when the stack is deleted but not when its first create rolls back; DESTROY is for throwaway stacks.
   */
  removalPolicy: RemovalPolicy;
  /** Deletion protection on tables and user pools; off by default, as it would block a failed first create's rollback. */
  deletionProtection: boolean;
  /** The platform's modules (handlers/modules.ts); tests add their own. */
  modules?: ModuleDeclaration[];
}

const REPO_ROOT = new URL('../..', import.meta.url).pathname;
/** A message's default lease; workers set their own on every receive and renew it while they run. */
const JOB_VISIBILITY = Duration.seconds(150);

export class PlatformStack extends Stack {
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const names = naming(props.prefix);
    const adminEmail = new CfnParameter(this, 'AdminEmail', {
      type: 'String',
      description: 'E-mail of the first administrator (Cognito sends a temporary password there).',
      allowedPattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      constraintDescription: 'must be an e-mail address',
    });
    const adminCallbackUrl = new CfnParameter(this, 'AdminCallbackUrl', {
      type: 'String',
      description: 'URL of the admin portal that receives the Cognito authorization code.',
      default: 'https://localhost:5173/callback',
    });
    const rateLimit = new CfnParameter(this, 'ApiRateLimit', { type: 'Number', default: 500, minValue: 1, description: 'Steady requests per second for the whole API stage.' });
    const burstLimit = new CfnParameter(this, 'ApiBurstLimit', { type: 'Number', default: 1000, minValue: 1, description: 'Burst requests for the whole API stage.' });

    const network = new Network(this, 'Network', { naming: names, cidr: props.vpcCidr, natGateways: props.natGateways, removalPolicy: props.removalPolicy });
    const identity = new Identity(this, 'Identity', {
      naming: names,
      removalPolicy: props.removalPolicy,
      deletionProtection: props.deletionProtection,
      adminEmail: adminEmail.valueAsString,
      adminCallbackUrl: adminCallbackUrl.valueAsString,
    });
    const modules = props.modules ?? MODULES;
    const data = new Data(this, 'Data', {
      naming: names,
      tables: platformTables(modules),
      queues: modules.flatMap((module) => module.queues ?? []),
      removalPolicy: props.removalPolicy,
      deletionProtection: props.deletionProtection,
      jobVisibilityTimeout: JOB_VISIBILITY,
      maxReceiveCount: 5,
    });
    const routing = new Routing(this, 'Routing', { naming: names, network, logBucket: data.logBucket });
    // Uploads and results, past the longest a finished job is kept (DOCUMENT_RETENTION_DAYS, 30 by default).
    const blobs = new Blobs(this, 'Blobs', { naming: names, removalPolicy: props.removalPolicy, logBucket: data.logBucket, expiration: Duration.days(45) });
    const api = new Api(this, 'Api', {
      naming: names,
      removalPolicy: props.removalPolicy,
      routing,
      appPool: identity.appPool,
      throttle: { rateLimit: rateLimit.valueAsNumber, burstLimit: burstLimit.valueAsNumber },
    });
    // The portal on the API stage is where the admin pool sends the code back (its redirect_uri),
    // besides AdminCallbackUrl (a portal served elsewhere, e.g. a developer's).
    const portalUrl = api.api.urlForPath('/portal/');
    const adminClient = identity.adminClient.node.defaultChild as cognito.CfnUserPoolClient;
    adminClient.callbackUrLs = [adminCallbackUrl.valueAsString, portalUrl];
    adminClient.logoutUrLs = [adminCallbackUrl.valueAsString, portalUrl];

    // Break-glass local admin login; day-to-day sign-in is through the Cognito admin pool.
    const adminPassword = new secretsmanager.Secret(this, 'AdminPassword', {
      // No fixed name: a deleted secret's name stays reserved for its recovery window, which would
      // block the retry of a failed first create. The AdminPasswordSecret output names it.
      description: 'Password of the platform admin user "admin"',
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      removalPolicy: props.removalPolicy,
    });
    acknowledge(adminPassword, 'SMG4', 'Break-glass password, stored only as a scrypt hash by the admin service; rotating it means setting a new one there, which a generic rotation Lambda cannot do. Rotation is the documented procedure in docs/deploy.md (new secret value, the admin store re-created from it).');

    // Only when a module stores vectors in OpenSearch Serverless: the AOSS endpoint is billed per hour.
    const usesVectorStores = (grants?: AwsGrants) => grants?.capabilities?.includes('aoss:vector-stores') ?? false;
    const vectorRoles = modules.flatMap((m) => [...(usesVectorStores(m.aws?.service) ? [m.name] : []), ...(m.worker && usesVectorStores(m.aws?.worker) ? [`${m.name}-worker`] : [])]);
    const vectorStores = vectorRoles.length > 0 ? new VectorStores(this, 'VectorStores', { naming: names, network }) : undefined;

    const invokeBedrock = new iam.PolicyStatement({
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      // Each catalogue model, in this region; a model that needs an inference profile: the profile,
      // and the foundation model in every region the profile may route to.
      resources: catalogue.models
        .filter((model) => model.provider === 'bedrock')
        .flatMap((model) => bedrockResourceArns(model, this.region, this.account, this.partition)),
    });
    const manageAppClients = new iam.PolicyStatement({
      actions: [
        'cognito-idp:CreateUserPoolClient', 'cognito-idp:UpdateUserPoolClient', 'cognito-idp:DeleteUserPoolClient',
        'cognito-idp:DescribeUserPoolClient', 'cognito-idp:AddUserPoolClientSecret', 'cognito-idp:DeleteUserPoolClientSecret',
        'cognito-idp:ListUserPoolClientSecrets',
      ],
      resources: [identity.appPool.userPoolArn],
    });

    const services = new Services(this, 'Services', {
      naming: names,
      network,
      routing,
      removalPolicy: props.removalPolicy,
      image: ecs.ContainerImage.fromAsset(REPO_ROOT, { platform: Platform.LINUX_AMD64 }),
      environment: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        PUBLIC_URL: `https://${api.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${STAGE}`,
        // API Gateway appends the caller's address to X-Forwarded-For, then the ALB appends its peer's
        // (the NLB behind the VPC link): the client is the second entry from the right.
        TRUST_PROXY_HOPS: '2',
        STORE: 'dynamodb',
        DYNAMODB_TABLE_PREFIX: names.prefix,
        QUEUE: 'sqs',
        SQS_QUEUE_PREFIX: names.prefix,
        BLOBS: 's3',
        S3_BUCKET: blobs.bucket.bucketName,
        IDENTITY: 'cognito',
        COGNITO_USER_POOL_ID: identity.appPool.userPoolId,
        COGNITO_ADMIN_POOL_ID: identity.adminPool.userPoolId,
        COGNITO_ADMIN_CLIENT_ID: identity.adminClient.userPoolClientId,
        // Admin sign-in through the admin pool: its hosted domain's token endpoint.
        COGNITO_ADMIN_DOMAIN: identity.adminDomain.baseUrl(),
        BEDROCK_REGION: this.region,
        ADMIN_USERNAME: 'admin',
        // Every connection comes from the load balancer: a per-address cap would cap it.
        MAX_CONNECTIONS_PER_CLIENT: '0',
        // Every process starts every module, so every task reads the vector settings (the data
        // plane is granted only to the roles with aoss:vector-stores; VECTOR_AOSS_PRINCIPALS below).
        ...(vectorStores && {
          // Fargate sets it too; stated so that the vector settings never depend on the platform version.
          AWS_REGION: this.region,
          VECTOR_BACKEND: 'opensearchserverless',
          VECTOR_AOSS_PREFIX: vectorStores.prefix,
          VECTOR_AOSS_VPC_ENDPOINT_ID: vectorStores.endpointId,
          // An index created without a model: Titan, as the seed's (its v2; v1 is deprecated at AWS).
          VECTOR_EMBEDDING_MODEL: 'TITAN_TEXT_EMBED_V2',
        }),
      },
      secrets: { ADMIN_PASSWORD: ecs.Secret.fromSecretsManager(adminPassword) },
      roles: moduleRoles(modules, data, {
        'bedrock:invoke': (role) => role.addToPrincipalPolicy(invokeBedrock),
        'cognito:manage-app-clients': (role) => role.addToPrincipalPolicy(manageAppClients),
        'blobs:readWrite': (role) => blobs.grantReadWrite(role),
        'textract:analyze': textractAnalyze,
        'aoss:vector-stores': (role) => vectorStores!.grant(role),
      }),
    });
    if (vectorStores) {
      // The roles each store's data-access policy names: those granted aoss:vector-stores.
      const principals = vectorRoles.map((name) => services.services[name]!.taskDefinition.taskRole.roleArn).join(',');
      for (const service of Object.values(services.services)) service.taskDefinition.defaultContainer!.addEnvironment('VECTOR_AOSS_PRINCIPALS', principals);
    }

    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('ApiUrl', api.api.urlForPath('/'), 'Base URL of the platform API (append /model/..., /prompt/..., /admin/...)');
    output('TokenUrl', `${identity.appDomain.baseUrl()}/oauth2/token`, 'OAuth2 token endpoint for applications (client credentials)');
    output('AppUserPoolId', identity.appPool.userPoolId, 'Cognito user pool of the applications');
    output('AdminUserPoolId', identity.adminPool.userPoolId, 'Cognito user pool of the administrators');
    output('AdminClientId', identity.adminClient.userPoolClientId, 'Cognito app client of the admin portal (code + PKCE)');
    output('AdminSignInUrl', identity.adminDomain.baseUrl(), 'Cognito hosted sign-in domain for administrators');
    output('AdminPortalUrl', portalUrl, 'Admin portal, served by the admin service through the same API stage (one origin with the admin API)');
    output('AdminPasswordSecret', adminPassword.secretName, 'Secrets Manager secret holding the break-glass admin password');
    output('ClusterName', services.cluster.clusterName, 'ECS cluster running the services');
    output('LogGroupPrefix', `/${names.prefix}/`, 'CloudWatch log groups of the services (<prefix><service>), API access and VPC flow logs');

  }
}
