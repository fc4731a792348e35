// The API Gateway (REST) definition: every operation of every service deployed behind the gateway,
// proxied over the VPC link, with the Cognito authorizer on application routes and problem+json
// gateway responses (from the problem catalogue). Schemas are left out on purpose: the services
// validate requests and responses themselves, and API Gateway's model import rejects parts of JSON Schema.
//
// Placeholders the CDK app fills in: ${CognitoUserPoolArn}; stage variables vpcLinkId and backendHost.
import { readFileSync } from 'node:fs';
import type { ProblemEntry } from './generate-problems.ts';
import { bundledSpecPath, DO_NOT_EDIT } from './specs.ts';

type Operation = {
  operationId: string;
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  security?: Record<string, string[]>[];
};
type Spec = {
  info: { title: string };
  'x-aws-gateway'?: boolean;
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
};

const APP_SCHEME = 'AppToken';
const AUTHORIZER = 'CognitoAppAuthorizer';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

// API Gateway's own errors (before a request reaches a service), each answered as the catalogue's
// problem for that code: status, title and type come from openapi/_shared/problems.yaml.
// DEFAULT_4XX/5XX cover every gateway error without an entry of its own.
const GATEWAY_RESPONSES: Record<string, { code: string; detail: string }> = {
  UNAUTHORIZED: { code: 'UNAUTHENTICATED', detail: 'Send a valid bearer access token.' },
  ACCESS_DENIED: { code: 'INSUFFICIENT_SCOPE', detail: 'The token lacks the scope this operation needs.' },
  MISSING_AUTHENTICATION_TOKEN: { code: 'ROUTE_NOT_FOUND', detail: 'No such route.' },
  REQUEST_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is too large.' },
  THROTTLED: { code: 'RATE_LIMITED', detail: 'Slow down and retry later.' },
  INTEGRATION_TIMEOUT: { code: 'UPSTREAM_TIMEOUT', detail: 'The service did not answer in time.' },
  DEFAULT_4XX: { code: 'VALIDATION_ERROR', detail: 'The gateway rejected the request.' },
  DEFAULT_5XX: { code: 'INTERNAL_ERROR', detail: 'An unexpected error occurred.' },
};

export function gatewayResponses(problems: ProblemEntry[]) {
  const byCode = new Map(problems.map((p) => [p.code, p]));
  return Object.fromEntries(
    Object.entries(GATEWAY_RESPONSES).map(([response, { code, detail }]) => {
      const problem = byCode.get(code);
      if (!problem) throw new Error(`gateway response ${response}: ${code} is not in the problem catalogue`);
      const { type, title, status } = problem;
      return [response, {
        statusCode: String(status),
        responseParameters: {
          'gatewayresponse.header.Content-Type': "'application/problem+json'",
          ...(status === 401 ? { 'gatewayresponse.header.WWW-Authenticate': `'Bearer realm="genai-foundations"'` } : {}),
        },
        responseTemplates: {
          'application/json': JSON.stringify({ type, title, status, detail, code, request_id: '$context.requestId' }),
        },
      }];
    }),
  );
}

export function buildGateway(services: string[], problems: ProblemEntry[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const service of services) {
    const spec = JSON.parse(readFileSync(bundledSpecPath(service), 'utf8')) as Spec;
    if (spec['x-aws-gateway'] === false) continue;
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of METHODS.filter((m) => item[m])) {
        const op = item[method]!;
        const security = op.security ?? spec.security ?? [];
        const scopes = security.find((req) => APP_SCHEME in req)?.[APP_SCHEME];
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
        (paths[path] ??= {})[method] = {
          operationId: op.operationId,
          summary: op.summary,
          ...(pathParams.length ? { parameters: pathParams.map((p) => ({ name: p.name, in: 'path', required: true, schema: { type: 'string' } })) } : {}),
          security: scopes ? [{ [AUTHORIZER]: scopes }] : [],
          responses: { default: { description: 'Proxied from the service.' } },
          'x-amazon-apigateway-integration': {
            type: 'http_proxy',
            httpMethod: method.toUpperCase(),
            uri: `http://\${stageVariables.backendHost}${path}`,
            connectionType: 'VPC_LINK',
            connectionId: '${stageVariables.vpcLinkId}',
            passthroughBehavior: 'when_no_match',
            timeoutInMillis: 29000,
            requestParameters: Object.fromEntries(
              pathParams.map((p) => [`integration.request.path.${p.name}`, `method.request.path.${p.name}`]),
            ),
          },
        };
      }
    }
  }
  return {
    openapi: '3.0.3',
    info: { title: 'GenAI Foundations API', version: '1.0.0', description: DO_NOT_EDIT },
    paths,
    components: {
      securitySchemes: {
        [AUTHORIZER]: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'cognito_user_pools',
          'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['${CognitoUserPoolArn}'] },
        },
      },
    },
    'x-amazon-apigateway-gateway-responses': gatewayResponses(problems),
  };
}
