// The AOSS control plane of vector stores against aws-sdk-client-mock: the policies' exact
// documents, names under the platform prefix, a half-finished create completed by a retry, status
// and delete.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BatchGetCollectionCommand, ConflictException, CreateAccessPolicyCommand, CreateCollectionCommand, CreateSecurityPolicyCommand,
  DeleteAccessPolicyCommand, DeleteCollectionCommand, DeleteSecurityPolicyCommand, OpenSearchServerlessClient, ResourceNotFoundException,
} from '@aws-sdk/client-opensearchserverless';
import { collectionName, StoreCollections } from '../../handlers/vector/index/opensearch/collections.ts';

const aoss = mockClient(OpenSearchServerlessClient);
const settings = { prefix: 'gaf', vpcEndpointId: 'vpce-0123', principals: ['arn:aws:iam::111122223333:role/gaf-vector'] };
const collections = () => new StoreCollections(new OpenSearchServerlessClient({ region: 'eu-west-1' }), settings);
const name = collectionName('gaf', 'store-1');
const conflict = () => new ConflictException({ message: 'exists', $metadata: {} });

describe('AOSS store collections', () => {
  beforeEach(() => aoss.reset());

  it('names every resource under the platform prefix, stably per store and within AOSS limits', () => {
    assert.match(name, /^gaf-[a-z2-7]{16}$/);
    assert.equal(collectionName('gaf', 'store-1'), name);
    assert.notEqual(collectionName('gaf', 'store-2'), name);
    assert.throws(() => collectionName('Bad_Prefix', 'x'));
    assert.ok(`${collectionName('abcdefghij', 'x')}-enc`.length <= 32);
  });

  it('creates encryption, network (VPC endpoint only) and data-access policies, then a VECTORSEARCH collection', async () => {
    aoss.on(CreateSecurityPolicyCommand).resolves({});
    aoss.on(CreateAccessPolicyCommand).resolves({});
    aoss.on(CreateCollectionCommand).resolves({ createCollectionDetail: { id: 'col-1', name, status: 'CREATING' } });
    assert.deepEqual(await collections().create('store-1'), { name, status: 'CREATING', id: 'col-1' });

    const security = aoss.commandCalls(CreateSecurityPolicyCommand).map((call) => call.args[0].input);
    assert.deepEqual(security.map(({ type, name: n }) => [type, n]), [['encryption', `${name}-enc`], ['network', `${name}-net`]]);
    assert.deepEqual(JSON.parse(security[0]!.policy!), { Rules: [{ ResourceType: 'collection', Resource: [`collection/${name}`] }], AWSOwnedKey: true });
    assert.deepEqual(JSON.parse(security[1]!.policy!), [{
      Description: `vector store ${name}: VPC endpoint only`,
      Rules: [{ ResourceType: 'collection', Resource: [`collection/${name}`] }], AllowFromPublic: false, SourceVPCEs: ['vpce-0123'],
    }]);
    const data = aoss.commandCalls(CreateAccessPolicyCommand)[0]!.args[0].input;
    assert.equal(data.type, 'data');
    assert.equal(data.name, `${name}-dat`);
    const [rule] = JSON.parse(data.policy!);
    assert.deepEqual(rule.Principal, settings.principals);
    assert.deepEqual(rule.Rules.map((r: { Resource: string[] }) => r.Resource), [[`collection/${name}`], [`index/${name}/*`]]);
    const collection = aoss.commandCalls(CreateCollectionCommand)[0]!.args[0].input;
    assert.deepEqual(collection, {
      name, type: 'VECTORSEARCH', standbyReplicas: 'DISABLED', description: 'Collection for storing vectorized documents',
      tags: [{ key: 'project', value: 'GenerativeAI' }],
    });
  });

  it('completes a create that failed half-way: what exists already is kept', async () => {
    aoss.on(CreateSecurityPolicyCommand).rejects(conflict());
    aoss.on(CreateAccessPolicyCommand).rejects(conflict());
    aoss.on(CreateCollectionCommand).rejects(conflict());
    aoss.on(BatchGetCollectionCommand).resolves({ collectionDetails: [{ id: 'col-1', name, status: 'ACTIVE', collectionEndpoint: 'https://col-1.eu-west-1.aoss.amazonaws.com' }] });
    assert.deepEqual(await collections().create('store-1'), { name, status: 'ACTIVE', id: 'col-1', endpoint: 'https://col-1.eu-west-1.aoss.amazonaws.com' });
  });

  it('reports NOT_FOUND for a store without a collection, and passes other failures on', async () => {
    aoss.on(BatchGetCollectionCommand).resolves({ collectionDetails: [], collectionErrorDetails: [{ name, errorCode: 'NOT_FOUND' }] });
    assert.deepEqual(await collections().status('store-1'), { name, status: 'NOT_FOUND' });
    aoss.on(CreateSecurityPolicyCommand).rejects(new Error('throttled'));
    await assert.rejects(collections().create('store-1'), /throttled/);
  });

  it('deletes the collection and its three policies, skipping what is already gone', async () => {
    aoss.on(BatchGetCollectionCommand).resolves({ collectionDetails: [{ id: 'col-1', name, status: 'ACTIVE' }] });
    aoss.on(DeleteCollectionCommand).resolves({});
    aoss.on(DeleteAccessPolicyCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    aoss.on(DeleteSecurityPolicyCommand).resolves({});
    await collections().delete('store-1');
    assert.deepEqual(aoss.commandCalls(DeleteCollectionCommand)[0]!.args[0].input, { id: 'col-1' });
    assert.deepEqual(aoss.commandCalls(DeleteSecurityPolicyCommand).map((c) => c.args[0].input), [{ type: 'network', name: `${name}-net` }, { type: 'encryption', name: `${name}-enc` }]);
  });
});
