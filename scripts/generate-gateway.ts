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
  responses?: Record<string, { content?: Record<string, unknown> }>;
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
/** API Gateway's cap on a buffered integration (REST, without a quota increase). */
export const BUFFERED_TIMEOUT_MS = 29_000;
/** API Gateway's cap on a streamed integration (15 minutes); the service's own stream deadline is shorter. */
export const STREAM_TIMEOUT_MS = 900_000;

/** An operation that answers server-sent events is streamed through the gateway, not buffered. */
const streams = (op: Operation) =>
  Object.entries(op.responses ?? {}).some(([status, r]) => status.startsWith('2') && 'text/event-stream' in (r.content ?? {}));

// API Gateway's own errors (before a request reaches a service), each answered as the catalogue's
// problem for that code: status, title and type come from openapi/_shared/problems.yaml. Every
// response type AWS documents has its own entry, so each keeps a status of its own: DEFAULT_4XX and
// DEFAULT_5XX set the status of every type without an entry, and here only catch types AWS adds later.
export const GATEWAY_RESPONSES: Record<string, { code: string; detail: string }> = {
  ACCESS_DENIED: { code: 'INSUFFICIENT_SCOPE', detail: 'The token lacks the scope this operation needs.' },
  API_CONFIGURATION_ERROR: { code: 'INTERNAL_ERROR', detail: 'The gateway is misconfigured.' },
  AUTHORIZER_CONFIGURATION_ERROR: { code: 'INTERNAL_ERROR', detail: 'The gateway could not check the token.' },
  AUTHORIZER_FAILURE: { code: 'INTERNAL_ERROR', detail: 'The gateway could not check the token.' },
  BAD_REQUEST_BODY: { code: 'VALIDATION_ERROR', detail: 'The gateway rejected the request body.' },
  BAD_REQUEST_PARAMETERS: { code: 'VALIDATION_ERROR', detail: 'The gateway rejected the request parameters.' },
  EXPIRED_TOKEN: { code: 'INVALID_TOKEN', detail: 'The token has expired.' },
  INTEGRATION_FAILURE: { code: 'SERVICE_UNREACHABLE', detail: 'The service could not be reached; retry shortly.' },
  INTEGRATION_TIMEOUT: { code: 'UPSTREAM_TIMEOUT', detail: 'The service did not answer in time.' },
  INVALID_API_KEY: { code: 'INVALID_TOKEN', detail: 'The API key is not valid.' },
  INVALID_SIGNATURE: { code: 'INVALID_TOKEN', detail: 'The request signature is not valid.' },
  MISSING_AUTHENTICATION_TOKEN: { code: 'ROUTE_NOT_FOUND', detail: 'No such route.' },
  QUOTA_EXCEEDED: { code: 'RATE_LIMITED', detail: 'The usage quota is exhausted; retry later.' },
  REQUEST_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is too large.' },
  RESOURCE_NOT_FOUND: { code: 'ROUTE_NOT_FOUND', detail: 'No such route.' },
  THROTTLED: { code: 'RATE_LIMITED', detail: 'Slow down and retry later.' },
  UNAUTHORIZED: { code: 'UNAUTHENTICATED', detail: 'Send a valid bearer access token.' },
  UNSUPPORTED_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'The gateway does not accept this content type.' },
  WAF_FILTERED: { code: 'REQUEST_BLOCKED', detail: 'The request was blocked by the firewall.' },
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

/** GET `/x` and `/x/{proxy+}` for each edge route `/x/*` (modules' `edgeRoutes`), unauthenticated. */
export function edgePaths(edgeRoutes: string[]): Record<string, Record<string, unknown>> {
  const get = (operationId: string, backendPath: string, proxied: boolean) => ({
    get: {
      operationId,
      summary: `Proxies ${backendPath} (served by the platform, outside the specs).`,
      ...(proxied ? { parameters: [{ name: 'proxy', in: 'path', required: true, schema: { type: 'string' } }] } : {}),
      security: [],
      responses: { default: { description: 'Proxied from the service.' } },
      'x-amazon-apigateway-integration': {
        type: 'http_proxy',
        httpMethod: 'GET',
        uri: `http://\${stageVariables.backendHost}${backendPath}`,
        connectionType: 'VPC_LINK',
        connectionId: '${stageVariables.vpcLinkId}',
        passthroughBehavior: 'when_no_match',
        timeoutInMillis: BUFFERED_TIMEOUT_MS,
        requestParameters: proxied ? { 'integration.request.path.proxy': 'method.request.path.proxy' } : {},
      },
    },
  });
  return Object.fromEntries(edgeRoutes.flatMap((route) => {
    const base = route.replace(/\/\*$/, '');
    const name = base.slice(1).replace(/\W/g, '_');
    // The bare path answers the folder's index (a trailing slash, so the portal's relative URLs resolve).
    return [[base, get(`edge_${name}`, `${base}/`, false)], [`${base}/{proxy+}`, get(`edge_${name}_proxy`, `${base}/{proxy}`, true)]];
  }));
}

export function buildGateway(services: string[], problems: ProblemEntry[], edgeRoutes: string[] = []) {
  const paths: Record<string, Record<string, unknown>> = edgePaths(edgeRoutes);
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
            ...(streams(op)
              ? { responseTransferMode: 'STREAM', timeoutInMillis: STREAM_TIMEOUT_MS }
              : { timeoutInMillis: BUFFERED_TIMEOUT_MS }),
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
