// The vector API: operationId → function (thin: parse, call, shape). The vectorisation job
// operations come from vectorisation/handlers.ts.
import type { operations } from '../../generated/types/vector.ts';
import type { Handlers } from '../platform/http/handler-types.ts';
import type { AppPrincipal } from '../platform/auth/token-verifier.ts';
import type { VectorStores } from './stores.ts';
import type { VectorIndexes } from './indexes.ts';
import type { VectorSearch } from './search.ts';
import type { VectorisationOperation } from './vectorisation/handlers.ts';

const ok = <T>(body: T) => ({ status: 200 as const, body });

export const vectorHandlers = (stores: VectorStores, indexes: VectorIndexes, search: VectorSearch, ping: () => Promise<void>) =>
  ({
    createVectorStore: async ({ principal, body }) => ok(await stores.create(principal.appId, body)),
    getVectorStoreStatus: async ({ principal, body }) => ok(await stores.status(principal.appId, body.store_id)),
    listAllVectorStores: async ({ principal }) => ok(await stores.newest(principal.appId)),
    listVectorStores: async ({ principal, query }) => ok(await stores.page(principal.appId, query.limit, query.cursor)),
    getVectorStore: async ({ principal, params }) => ok(await stores.get(principal.appId, params.store_id)),
    deleteVectorStore: async ({ principal, params }) => ok(await stores.delete(principal.appId, params.store_id)),

    createVectorIndex: async ({ principal, body, context, signal }) => ok(await indexes.create({ principal, requestId: context.requestId, signal }, body)),
    getVectorIndexStatus: async ({ principal, body }) => ok(await indexes.status(principal.appId, body.index_id)),
    listAllVectorIndexes: async ({ principal, params }) => ok(await indexes.all(principal.appId, params.store_id)),
    listVectorIndexes: async ({ principal, params, query }) => ok(await indexes.page(principal.appId, params.store_id, query.limit, query.cursor)),
    getVectorIndex: async ({ principal, params }) => ok(await indexes.get(principal.appId, params.index_id)),
    deleteVectorIndex: async ({ principal, params }) => ok(await indexes.delete(principal.appId, params.index_id)),

    searchVectorIndex: async ({ principal, body, context, signal }) => ok(await search.search({ principal, requestId: context.requestId, signal }, body)),

    getVectorServiceHealth: async () => {
      await ping();
      return ok({ status: 'UP' as const });
    },
  }) satisfies Omit<Handlers<operations, AppPrincipal>, VectorisationOperation>;
