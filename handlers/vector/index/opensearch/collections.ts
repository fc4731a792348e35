// The OpenSearch Serverless control plane for vector stores: one VECTORSEARCH collection per store,
// as the seed did, with the three policies AOSS needs before it serves it — encryption (AWS-owned
// key), network (reachable only through the platform's VPC endpoint, no public access, no
// dashboards) and data access (the platform's roles only, on this collection and its indexes).
// Every name starts with the platform's prefix, so IAM can grant aoss:* on `<prefix>-*` alone.
// Each step tolerates "already exists", so a create that failed half-way is completed by running
// it again instead of leaving orphaned policies (the seed's bug).
import { createHash } from 'node:crypto';
import {
  BatchGetCollectionCommand, ConflictException, CreateAccessPolicyCommand, CreateCollectionCommand, CreateSecurityPolicyCommand,
  DeleteAccessPolicyCommand, DeleteCollectionCommand, DeleteSecurityPolicyCommand, ResourceNotFoundException, type OpenSearchServerlessClient,
} from '@aws-sdk/client-opensearchserverless';

export interface CollectionSettings {
  /** The platform's name prefix: a lower-case letter, then up to 9 lower-case letters, digits or '-'. */
  prefix: string;
  /** The only network path to the collections. */
  vpcEndpointId: string;
  /** IAM role ARNs granted data access (the vector service and its worker). */
  principals: string[];
}

export type CollectionStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'NOT_FOUND';

export interface StoreCollection {
  name: string;
  status: CollectionStatus;
  /** The data-plane endpoint, once AOSS reports it. */
  endpoint?: string;
  id?: string;
}

export const PREFIX_PATTERN = /^[a-z][a-z0-9-]{0,9}$/;
const DATA_PERMISSIONS = {
  collection: ['aoss:DescribeCollectionItems', 'aoss:UpdateCollectionItems'],
  index: ['aoss:CreateIndex', 'aoss:DeleteIndex', 'aoss:UpdateIndex', 'aoss:DescribeIndex', 'aoss:ReadDocument', 'aoss:WriteDocument'],
};

/**
 * `<prefix>-<16 base-32 characters of sha256(store id)>`: at most 27 characters, so the policy
 * names (+ "-enc", "-net", "-dat") stay within AOSS's 32, and the same store always maps to the
 * same name (a retried create finds what the first attempt made).
 */
export function collectionName(prefix: string, storeId: string): string {
  if (!PREFIX_PATTERN.test(prefix)) throw new Error(`collection prefix "${prefix}" must match ${PREFIX_PATTERN}`);
  const digest = createHash('sha256').update(storeId).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const suffix = Array.from({ length: 16 }, (_, i) => alphabet[digest[i]! % 32]).join('');
  return `${prefix}-${suffix}`;
}

async function ignoring<T>(kind: typeof ConflictException | typeof ResourceNotFoundException, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof kind) return undefined;
    throw error;
  }
}

export class StoreCollections {
  constructor(private readonly aoss: OpenSearchServerlessClient, private readonly settings: CollectionSettings) {
    collectionName(settings.prefix, 'check'); // fails at start on a bad prefix
  }

  policies(name: string) {
    const collection = `collection/${name}`;
    return {
      encryption: { Rules: [{ ResourceType: 'collection', Resource: [collection] }], AWSOwnedKey: true },
      network: [{ Description: `vector store ${name}: VPC endpoint only`, Rules: [{ ResourceType: 'collection', Resource: [collection] }], AllowFromPublic: false, SourceVPCEs: [this.settings.vpcEndpointId] }],
      data: [{
        Description: `vector store ${name}: platform roles only`,
        Rules: [
          { ResourceType: 'collection', Resource: [collection], Permission: DATA_PERMISSIONS.collection },
          { ResourceType: 'index', Resource: [`index/${name}/*`], Permission: DATA_PERMISSIONS.index },
        ],
        Principal: this.settings.principals,
      }],
    };
  }

  /** Creates (or completes) the store's policies and collection; the collection starts CREATING. */
  async create(storeId: string, options: { description?: string; tags?: { key: string; value: string }[] } = {}): Promise<StoreCollection> {
    const name = collectionName(this.settings.prefix, storeId);
    const policies = this.policies(name);
    await ignoring(ConflictException, () => this.aoss.send(new CreateSecurityPolicyCommand({ type: 'encryption', name: `${name}-enc`, policy: JSON.stringify(policies.encryption) })));
    await ignoring(ConflictException, () => this.aoss.send(new CreateSecurityPolicyCommand({ type: 'network', name: `${name}-net`, policy: JSON.stringify(policies.network) })));
    await ignoring(ConflictException, () => this.aoss.send(new CreateAccessPolicyCommand({ type: 'data', name: `${name}-dat`, policy: JSON.stringify(policies.data) })));
    const created = await ignoring(ConflictException, () => this.aoss.send(new CreateCollectionCommand({
      name, type: 'VECTORSEARCH', standbyReplicas: 'DISABLED',
      description: options.description ?? 'Collection for storing vectorized documents',
      tags: options.tags ?? [{ key: 'project', value: 'GenerativeAI' }],
    })));
    const detail = created?.createCollectionDetail;
    return detail ? { name, status: (detail.status ?? 'CREATING') as CollectionStatus, ...(detail.id ? { id: detail.id } : {}) } : this.status(storeId);
  }

  async status(storeId: string): Promise<StoreCollection> {
    const name = collectionName(this.settings.prefix, storeId);
    const { collectionDetails } = await this.aoss.send(new BatchGetCollectionCommand({ names: [name] }));
    const detail = collectionDetails?.[0];
    if (!detail) return { name, status: 'NOT_FOUND' };
    return {
      name, status: (detail.status ?? 'NOT_FOUND') as CollectionStatus,
      ...(detail.id ? { id: detail.id } : {}), ...(detail.collectionEndpoint ? { endpoint: detail.collectionEndpoint } : {}),
    };
  }

  /** Deletes the collection (with all its indexes) and its policies; what is already gone is skipped. */
  async delete(storeId: string): Promise<void> {
    const { name, id } = await this.status(storeId);
    if (id) await ignoring(ResourceNotFoundException, () => this.aoss.send(new DeleteCollectionCommand({ id })));
    await ignoring(ResourceNotFoundException, () => this.aoss.send(new DeleteAccessPolicyCommand({ type: 'data', name: `${name}-dat` })));
    await ignoring(ResourceNotFoundException, () => this.aoss.send(new DeleteSecurityPolicyCommand({ type: 'network', name: `${name}-net` })));
    await ignoring(ResourceNotFoundException, () => this.aoss.send(new DeleteSecurityPolicyCommand({ type: 'encryption', name: `${name}-enc` })));
  }
}
