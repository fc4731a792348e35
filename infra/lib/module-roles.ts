// One ECS role per module service and per module worker, with exactly the access the module
// declares (handlers/<service>/module.ts): its tables, its queues, and named capabilities.
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { AwsGrants, ModuleDeclaration } from '../../handlers/platform/module.ts';
import type { Data } from './data.ts';
import type { RoleSpec } from './services.ts';

type Capability = NonNullable<AwsGrants['capabilities']>[number];
/** How a capability is granted to a role: its statements (and any cdk-nag acknowledgement they need). */
export type CapabilityGrants = Record<Capability, (role: iam.IRole) => void>;

/** Task sizes by role (`<module>` or `<module>-worker`); others get the smallest. */
const SIZES: Record<string, Pick<RoleSpec, 'cpu' | 'memoryMiB' | 'maxTasks'>> = {
  prompt: { cpu: 256, memoryMiB: 512, maxTasks: 4 },
  model: { cpu: 512, memoryMiB: 1024, maxTasks: 8 },
  admin: { cpu: 256, memoryMiB: 512, maxTasks: 2 },
  'model-worker': { cpu: 512, memoryMiB: 1024, maxTasks: 4 },
  // Extraction runs pdf.js and OCR in worker threads: two cores, a heap per file (DOCUMENT_EXTRACTION_MEMORY_MB).
  'document-worker': { cpu: 2048, memoryMiB: 4096, maxTasks: 4 },
};
const SMALLEST = { cpu: 256, memoryMiB: 512, maxTasks: 2 };

export function moduleRoles(modules: ModuleDeclaration[], data: Data, capabilities: CapabilityGrants): RoleSpec[] {
  const grant = (grants: AwsGrants) => (role: iam.IRole) => {
    for (const [table, access] of Object.entries(grants.tables ?? {})) data.grant(role, table, access);
    for (const name of grants.queues?.send ?? []) queue(data, name).queue.grantSendMessages(role);
    for (const name of grants.queues?.consume ?? []) {
      queue(data, name).queue.grantConsumeMessages(role);
      queue(data, name).deadLetters.grantSendMessages(role); // the worker moves poison messages itself
    }
    for (const capability of grants.capabilities ?? []) capabilities[capability](role);
  };
  return modules.flatMap((module): RoleSpec[] => [
    ...(module.aws?.service
      ? [{ kind: 'service' as const, role: module.name, paths: [`/${module.pathPrefix ?? module.name}/*`, ...(module.edgeRoutes ?? []).flatMap((route) => [route.slice(0, -2), route])], ...(SIZES[module.name] ?? SMALLEST), grant: grant(module.aws.service) }]
      : []),
    ...(module.worker && module.aws?.worker
      ? [{ kind: 'worker' as const, role: module.name, ...(SIZES[`${module.name}-worker`] ?? SMALLEST), grant: grant(module.aws.worker) }]
      : []),
  ]);
}

function queue(data: Data, name: string) {
  const found = data.queues[name];
  if (!found) throw new Error(`no queue "${name}" (declare it in the module's queues)`);
  return found;
}
