// Keeps apps in memory by client id: the token verifier looks one up on every request.
// Writes through this store drop the entry at once, so deactivation still bites on the next
// request. Correct only while this process is the store's one writer — true of the embedded
// SQLite default; a shared store (DynamoDB on AWS) is used without it.
import type { AppRecord, AppStore } from './ports.ts';

export function cachedAppStore(inner: AppStore): AppStore {
  const byClientId = new Map<string, AppRecord | undefined>();
  const forget = (app: AppRecord | undefined) => app && byClientId.delete(app.clientId);
  return {
    ...inner,
    async findByClientId(clientId) {
      if (byClientId.has(clientId)) return byClientId.get(clientId);
      const app = await inner.findByClientId(clientId);
      // Unknown ids are not cached: anyone can send them, and the map must stay bounded by real apps.
      if (app) byClientId.set(clientId, app);
      return app;
    },
    async update(appId, change) {
      forget(await inner.findById(appId));
      const updated = await inner.update(appId, change);
      forget(updated);
      return updated;
    },
    async delete(appId) {
      forget(await inner.findById(appId));
      return inner.delete(appId);
    },
  };
}
