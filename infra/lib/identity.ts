// Who may call: a Cognito user pool for applications (machine-to-machine: client credentials and
// the genaifoundations/read scope, tokens from its /oauth2/token domain) and a separate pool for
// the people who administer the platform (authorization code + PKCE, MFA required).
import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { APP_SCOPES } from '../../handlers/auth/token-issuer.ts';
import type { Naming } from './naming.ts';
import { acknowledge } from './nag.ts';

// The one scope applications get, as the services check it: "<resource server>/<scope>".
const [RESOURCE_SERVER, APP_SCOPE] = APP_SCOPES[0]!.split('/') as [string, string];

export interface IdentityProps {
  naming: Naming;
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
  /** The first administrator's e-mail: Cognito sends them a temporary password. */
  adminEmail: string;
  /** Where the admin portal receives the authorization code. */
  adminCallbackUrl: string;
}

const strongPasswords: cognito.PasswordPolicy = {
  minLength: 14,
  requireDigits: true,
  requireLowercase: true,
  requireUppercase: true,
  requireSymbols: true,
  tempPasswordValidity: Duration.days(3),
};

export class Identity extends Construct {
  readonly appPool: cognito.UserPool;
  readonly appDomain: cognito.UserPoolDomain;
  readonly adminPool: cognito.UserPool;
  readonly adminClient: cognito.UserPoolClient;
  readonly adminDomain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, { naming, removalPolicy, deletionProtection, adminEmail, adminCallbackUrl }: IdentityProps) {
    super(scope, id);
    const pool = (poolId: string, name: string, mfa: cognito.Mfa) =>
      new cognito.UserPool(this, poolId, {
        userPoolName: naming.name(name),
        selfSignUpEnabled: false,
        signInAliases: { email: true },
        passwordPolicy: strongPasswords,
        mfa,
        mfaSecondFactor: { otp: true, sms: false },
        accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
        featurePlan: cognito.FeaturePlan.ESSENTIALS,
        deletionProtection,
        removalPolicy,
      });
    // Domain prefixes are global per region: the account id keeps ours unique and stable.
    const domainPrefix = (name: string) => Fn.join('-', [naming.name(name), Aws.ACCOUNT_ID]);

    // Application clients are created at onboarding time by the admin service, not here.
    this.appPool = pool('AppPool', 'apps', cognito.Mfa.OFF);
    this.appPool.addResourceServer('Api', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: naming.name('api'),
      scopes: [new cognito.ResourceServerScope({ scopeName: APP_SCOPE, scopeDescription: 'Call the GenAI Foundations API' })],
    });
    acknowledge(this.appPool, 'COG2', 'Machine-to-machine pool: no users sign in, applications use client credentials.');
    acknowledge(this.appPool, 'COG8', 'No users to protect: threat protection (Plus plan) applies to user sign-ins only.');
    this.appDomain = this.appPool.addDomain('Domain', { cognitoDomain: { domainPrefix: domainPrefix('apps') } });

    this.adminPool = pool('AdminPool', 'admins', cognito.Mfa.REQUIRED);
    acknowledge(this.adminPool, 'COG8', 'A handful of administrators with MFA required; the Plus plan is billed per user and can be enabled when wanted.');
    this.adminClient = this.adminPool.addClient('AdminPortal', {
      userPoolClientName: naming.name('admin-portal'),
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [adminCallbackUrl],
        logoutUrls: [adminCallbackUrl],
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.adminDomain = this.adminPool.addDomain('Domain', { cognitoDomain: { domainPrefix: domainPrefix('admin') } });
    new cognito.CfnUserPoolUser(this, 'FirstAdmin', {
      userPoolId: this.adminPool.userPoolId,
      username: adminEmail,
      userAttributes: [{ name: 'email', value: adminEmail }, { name: 'email_verified', value: 'true' }],
      desiredDeliveryMediums: ['EMAIL'],
    });
  }
}
