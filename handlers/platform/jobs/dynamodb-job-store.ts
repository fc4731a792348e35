// JobStore on DynamoDB, without transactions (dynalite has none): one partition per job — the job
// record (sk "job") and one item per job item (sk "item#<id>").
//
// The job record holds the counters and `pending`, a string set with a short hash of every item
// that is counted in `total` and not yet counted as ended. Every counter change is ONE conditional
// UpdateItem of the job record that also moves hashes in or out of that set:
//   - adding items:  ADD total :n, pending :hashes   IF state = CREATED AND none of them is pending
//   - ending an item: ADD succeeded|failed|cancelled :1 DELETE pending :h   IF pending contains :h
// so an item is counted once however often it is finished (at-least-once delivery, a retry after a
// crash between the item's write and the count), and concurrent workers never lose an update.
// The job is over when `pending` is empty (DynamoDB drops an empty set), which the conditional
// write that sets the terminal state checks.
//
// Items are written before they are counted. One written but never counted (a crash in between,
// or a start() that won the race) is an orphan: QUEUED with its hash not pending. Reads hide
// orphans, workers cannot take them, and adding the same id again adopts them.
import { createHash, randomUUID } from 'node:crypto';
import {
  DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand,
  type QueryCommandInput, type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { batchWrite, conditionFailed, dynamoCall, type Dynamo } from '../store/dynamodb/client.ts';
import {
  JobStoreError, MAX_ITEMS_PER_JOB, TERMINAL_ITEM_STATES,
  type ItemState, type Job, type JobItem, type JobState, type JobStore, type JobStoreOptions, type NewJobItem, type Page,
} from './ports.ts';
import { checkItems, decodeCursor, encodeCursor, finalState, jobOrderKey, pageSize } from './rules.ts';
import { mapLimit } from '../map-limit.ts';

export { JOBS_TABLE, JOBS_TABLE_SPEC } from './dynamodb-jobs-table.ts';

const JOB_SK = 'job';
const ITEM_PREFIX = 'item#';
const PARALLEL = 16;
const BACKSTOP_SECONDS = 7 * 86_400;
const OPEN: JobState[] = ['CREATED', 'QUEUED', 'IN_PROGRESS'];

const pkOf = (appId: string, jobId: string) => `${encodeURIComponent(appId)}#${encodeURIComponent(jobId)}`;
/** 96 bits of SHA-256: the set stays small (16 bytes an item) and collisions are out of reach. */
const hashOf = (itemId: string) => createHash('sha256').update(itemId).digest('base64url').slice(0, 16);
const expiresKeyOf = (expiresAt: number, pk: string) => `${String(expiresAt).padStart(15, '0')}#${pk}`;

interface JobRecord {
  pk: string; sk: string; appId: string; jobId: string; kind: string; state: JobState; input: unknown;
  total: number; succeeded: number; failed: number; cancelled: number; pending?: Set<string>;
  retentionSeconds: number; createdAt: string; updatedAt: string; finishedAt?: string; expiresAt?: number;
}
interface ItemRecord {
  pk: string; sk: string; itemId: string; h: string; state: ItemState; input: unknown; result?: unknown; error?: unknown;
  attempts: number; createdAt: string; updatedAt: string; finishedAt?: string;
}

const toJob = (r: JobRecord): Job => ({
  appId: r.appId, jobId: r.jobId, kind: r.kind, state: r.state, input: r.input ?? null,
  total: r.total, succeeded: r.succeeded, failed: r.failed, cancelled: r.cancelled,
  progress: { done: r.succeeded + r.failed + r.cancelled, total: r.total },
  createdAt: r.createdAt, updatedAt: r.updatedAt,
  ...(r.finishedAt && { finishedAt: r.finishedAt }),
  ...(r.expiresAt !== undefined && { expiresAt: r.expiresAt }),
});
const toItem = (r: ItemRecord): JobItem => ({
  itemId: r.itemId, state: r.state, input: r.input ?? null,
  ...(r.result !== undefined && { result: r.result }),
  ...(r.error !== undefined && { error: r.error }),
  attempts: r.attempts, createdAt: r.createdAt, updatedAt: r.updatedAt,
  ...(r.finishedAt && { finishedAt: r.finishedAt }),
});
const isTerminalItem = (state: ItemState) => TERMINAL_ITEM_STATES.includes(state);
const pendingHas = (job: JobRecord, h: string) => job.pending?.has(h) ?? false;
/** Written but never counted. */
const orphan = (job: JobRecord, item: ItemRecord) => !isTerminalItem(item.state) && !pendingHas(job, item.h);

export function dynamoJobStore(dynamo: Dynamo, TableName: string, options: JobStoreOptions = {}): JobStore {
  const now = options.now ?? Date.now;
  const iso = (ms: number) => new Date(ms).toISOString();
  const what = 'job';

  const send = <T>(call: () => Promise<T>) => dynamoCall(what, call);
  /** A conditional write: undefined when its condition did not hold. */
  async function conditional<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (conditionFailed(error)) return undefined;
      return dynamoCall(what, () => Promise.reject(error));
    }
  }
  const update = (input: Omit<UpdateCommandInput, 'TableName'>) =>
    conditional(async () => (await dynamo.doc.send(new UpdateCommand({ TableName, ReturnValues: 'ALL_NEW', ...input }))).Attributes);

  const readJob = async (appId: string, jobId: string) =>
    (await send(() => dynamo.doc.send(new GetCommand({ TableName, Key: { pk: pkOf(appId, jobId), sk: JOB_SK }, ConsistentRead: true })))).Item as JobRecord | undefined;
  const visibleJob = async (appId: string, jobId: string) => {
    const job = await readJob(appId, jobId);
    return job && (job.expiresAt === undefined || job.expiresAt > now()) ? job : undefined;
  };
  const readItem = async (pk: string, itemId: string) =>
    (await send(() => dynamo.doc.send(new GetCommand({ TableName, Key: { pk, sk: ITEM_PREFIX + itemId }, ConsistentRead: true })))).Item as ItemRecord | undefined;

  /** Pages through a query until `want` records pass `keep` (filters make short pages). */
  async function collect<T>(input: Omit<QueryCommandInput, 'TableName'>, want: number, keep: (record: T) => boolean = () => true): Promise<T[]> {
    const out: T[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await send(() => dynamo.doc.send(new QueryCommand({ TableName, ...input, ExclusiveStartKey, Limit: Math.min(1000, Math.max(want - out.length, 25)) })));
      for (const record of (page.Items ?? []) as T[]) if (out.length < want && keep(record)) out.push(record);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && out.length < want);
    return out;
  }
  const allItems = (pk: string) => collect<ItemRecord>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
    ExpressionAttributeValues: { ':pk': pk, ':item': ITEM_PREFIX },
    ConsistentRead: true,
  }, Number.MAX_SAFE_INTEGER);

  const newItem = (pk: string, item: NewJobItem, at: number): ItemRecord => ({
    pk, sk: ITEM_PREFIX + item.itemId, itemId: item.itemId, h: hashOf(item.itemId), state: 'QUEUED',
    input: item.input ?? null, attempts: 0, createdAt: iso(at), updatedAt: iso(at),
  });

  /** The end of a job: its state, finish time and expiry (and the sparse expiry index keys). */
  const ending = (job: JobRecord, state: JobState, at: number) => {
    const expiresAt = at + job.retentionSeconds * 1000;
    return {
      set: 'SET #state = :end, updatedAt = :at, finishedAt = :at, expiresAt = :exp, expiring = :one, expiresKey = :expKey, #ttl = :ttl',
      names: { '#state': 'state', '#ttl': 'ttl' },
      values: {
        ':end': state, ':at': iso(at), ':exp': expiresAt, ':one': '1',
        ':expKey': expiresKeyOf(expiresAt, job.pk), ':ttl': Math.ceil(expiresAt / 1000) + BACKSTOP_SECONDS,
      },
    };
  };

  /** After a count moved: a sealed job with nothing pending ends; a QUEUED one that started is IN_PROGRESS. */
  async function settle(job: JobRecord): Promise<JobRecord> {
    if (job.state !== 'QUEUED' && job.state !== 'IN_PROGRESS') return job;
    const at = now();
    const key = { pk: job.pk, sk: JOB_SK };
    if (!job.pending?.size) {
      const end = ending(job, finalState(job.total, job.succeeded), at);
      const done = await update({
        Key: key, UpdateExpression: end.set,
        ConditionExpression: '#state IN (:queued, :running) AND attribute_not_exists(pending)',
        ExpressionAttributeNames: end.names,
        ExpressionAttributeValues: { ...end.values, ':queued': 'QUEUED', ':running': 'IN_PROGRESS' },
      });
      return (done as JobRecord | undefined) ?? (await readJob(job.appId, job.jobId))!;
    }
    if (job.state === 'QUEUED' && job.succeeded + job.failed + job.cancelled > 0) return markRunning(job);
    return job;
  }
  async function markRunning(job: JobRecord): Promise<JobRecord> {
    const out = await update({
      Key: { pk: job.pk, sk: JOB_SK }, UpdateExpression: 'SET #state = :running, updatedAt = :at',
      ConditionExpression: '#state = :queued',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':running': 'IN_PROGRESS', ':queued': 'QUEUED', ':at': iso(now()) },
    });
    return (out as JobRecord | undefined) ?? (await readJob(job.appId, job.jobId))!;
  }

  /** Counts an ended item once: moves its hash out of `pending` and adds one to its state's counter. */
  async function count(job: JobRecord, item: ItemRecord): Promise<JobRecord | undefined> {
    const counter = item.state === 'SUCCEEDED' ? 'succeeded' : item.state === 'FAILED' ? 'failed' : 'cancelled';
    return update({
      Key: { pk: job.pk, sk: JOB_SK },
      UpdateExpression: `ADD ${counter} :one DELETE pending :hs SET updatedAt = :at`,
      ConditionExpression: 'contains(pending, :h)',
      ExpressionAttributeValues: { ':one': 1, ':hs': new Set([item.h]), ':h': item.h, ':at': iso(now()) },
    }) as Promise<JobRecord | undefined>;
  }

  /** Ends a non-terminal item (first outcome wins); the item as it now is, and whether this call ended it. */
  async function endItem(item: ItemRecord, state: ItemState, outcome: { result?: unknown; error?: unknown }): Promise<[ItemRecord, boolean]> {
    const at = iso(now());
    const field = 'result' in outcome ? 'result' : 'error' in outcome ? 'error' : undefined;
    const out = await update({
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: `SET #state = :end, updatedAt = :at, finishedAt = :at${field ? `, #out = :out` : ''}`,
      ConditionExpression: '#state IN (:queued, :running)',
      ExpressionAttributeNames: { '#state': 'state', ...(field && { '#out': field }) },
      ExpressionAttributeValues: {
        ':end': state, ':at': at, ':queued': 'QUEUED', ':running': 'IN_PROGRESS',
        ...(field && { ':out': field === 'result' ? outcome.result ?? null : outcome.error ?? null }),
      },
    });
    if (out) return [out as ItemRecord, true];
    return [(await readItem(item.pk, item.itemId))!, false];
  }

  /** Ends a non-terminal item as CANCELLED and counts it if it is still pending (whatever its end). */
  async function cancelItem(job: JobRecord, item: ItemRecord): Promise<JobRecord | undefined> {
    if (orphan(job, item)) return undefined;
    const [ended] = isTerminalItem(item.state) ? [item] : await endItem(item, 'CANCELLED', {});
    return pendingHas(job, ended.h) ? count(job, ended) : undefined;
  }

  /** Cancels every item still counted as pending (the job's set only shrinks once it is cancelled). */
  async function sweep(job: JobRecord): Promise<void> {
    await mapLimit(await allItems(job.pk), PARALLEL, (item) => cancelItem(job, item));
  }

  async function cancelJob(job: JobRecord): Promise<JobRecord> {
    let current = job;
    if (OPEN.includes(current.state)) {
      const end = ending(current, 'CANCELLED', now());
      const out = await update({
        Key: { pk: current.pk, sk: JOB_SK }, UpdateExpression: end.set,
        ConditionExpression: '#state IN (:created, :queued, :running)',
        ExpressionAttributeNames: end.names,
        ExpressionAttributeValues: { ...end.values, ':created': 'CREATED', ':queued': 'QUEUED', ':running': 'IN_PROGRESS' },
      });
      current = (out as JobRecord | undefined) ?? (await readJob(job.appId, job.jobId))!;
    }
    if (current.state !== 'CANCELLED') return current; // it ended on its own meanwhile
    if (current.pending?.size) await sweep(current);
    return (await readJob(job.appId, job.jobId))!;
  }

  async function deleteJob(pk: string): Promise<boolean> {
    const gone = await send(() => dynamo.doc.send(new DeleteCommand({ TableName, Key: { pk, sk: JOB_SK }, ReturnValues: 'ALL_OLD' })));
    const items = await allItems(pk);
    await batchWrite(dynamo, TableName, items.map((i) => ({ DeleteRequest: { Key: { pk, sk: i.sk } } })), what);
    return gone.Attributes !== undefined;
  }

  /** Counts freshly written items into an open job, in one conditional write per batch of 25. */
  async function commit(job: JobRecord, hashes: string[]): Promise<'OK' | 'NOT_OPEN' | 'TOO_MANY' | 'RACED'> {
    const names = hashes.map((_, i) => `:h${i}`);
    const out = await update({
      Key: { pk: job.pk, sk: JOB_SK },
      UpdateExpression: 'ADD #total :n, pending :hs SET updatedAt = :at',
      ConditionExpression: ['#state = :created', '#total <= :room', ...names.map((n) => `NOT contains(pending, ${n})`)].join(' AND '),
      ExpressionAttributeNames: { '#state': 'state', '#total': 'total' },
      ExpressionAttributeValues: {
        ':n': hashes.length, ':hs': new Set(hashes), ':at': iso(now()), ':created': 'CREATED', ':room': MAX_ITEMS_PER_JOB - hashes.length,
        ...Object.fromEntries(names.map((n, i) => [n, hashes[i]])),
      },
    });
    if (out) return 'OK';
    const fresh = (await readJob(job.appId, job.jobId))!;
    if (fresh.state !== 'CREATED') return 'NOT_OPEN';
    if (fresh.total + hashes.length > MAX_ITEMS_PER_JOB) return 'TOO_MANY';
    return 'RACED'; // another call counted one of these ids meanwhile
  }

  return {
    async create(spec) {
      const items = spec.items ?? [];
      checkItems(items, true);
      const at = now();
      const jobId = spec.jobId ?? randomUUID();
      const pk = pkOf(spec.appId, jobId);
      if (spec.jobId !== undefined && (await readJob(spec.appId, jobId))) throw new JobStoreError('DUPLICATE_JOB', `Job ${jobId} exists.`);
      // Items first: until the job record exists they are unreachable.
      await batchWrite(dynamo, TableName, items.map((i) => ({ PutRequest: { Item: { ...newItem(pk, i, at) } } })), what);
      const record: JobRecord & Record<string, unknown> = {
        pk, sk: JOB_SK, appId: spec.appId, jobId, kind: spec.kind, state: spec.start ? 'QUEUED' : 'CREATED', input: spec.input ?? null,
        total: items.length, succeeded: 0, failed: 0, cancelled: 0, retentionSeconds: spec.retentionSeconds,
        createdAt: iso(at), updatedAt: iso(at),
        listApp: spec.appId, listKind: `${spec.appId}#${spec.kind}`, orderKey: jobOrderKey(iso(at), jobId),
        ...(items.length && { pending: new Set(items.map((i) => hashOf(i.itemId))) }),
      };
      const put = await conditional(() => dynamo.doc.send(new PutCommand({ TableName, Item: record, ConditionExpression: 'attribute_not_exists(pk)' })));
      if (!put) throw new JobStoreError('DUPLICATE_JOB', `Job ${jobId} exists.`);
      return toJob(spec.start ? await settle(record) : record);
    },

    async get(appId, jobId) {
      const job = await visibleJob(appId, jobId);
      return job && toJob(job);
    },

    async list(appId, { kind, limit, cursor } = {}) {
      const size = pageSize(limit);
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const [IndexName, attribute, value] = kind === undefined ? ['byApp', 'listApp', appId] : ['byKind', 'listKind', `${appId}#${kind}`];
      const at = now();
      const records = await collect<JobRecord>({
        IndexName,
        KeyConditionExpression: `${attribute} = :k${after === undefined ? '' : ' AND orderKey < :after'}`,
        ExpressionAttributeValues: { ':k': value, ...(after !== undefined && { ':after': after }) },
        ScanIndexForward: false,
      }, size + 1, (r) => r.expiresAt === undefined || r.expiresAt > at);
      const page = records.slice(0, size);
      const last = page.at(-1);
      return { items: page.map(toJob), next: records.length > size && last ? encodeCursor(jobOrderKey(last.createdAt, last.jobId)) : null };
    },

    async addItems(appId, jobId, items) {
      checkItems(items, false);
      let job = await visibleJob(appId, jobId);
      if (!job) return { status: 'NOT_FOUND' };
      if (job.state !== 'CREATED') return { status: 'NOT_OPEN', job: toJob(job) };
      const added: string[] = [];
      const duplicates: string[] = [];
      const seen = new Set<string>();
      const unique = items.filter((i) => (seen.has(i.itemId) ? (duplicates.push(i.itemId), false) : (seen.add(i.itemId), true)));
      for (let start = 0; start < unique.length; start += 25) {
        const batch = unique.slice(start, start + 25);
        const at = now();
        // Write each item unless it exists; an orphan with that id is taken over.
        const written = await mapLimit(batch, PARALLEL, async (item) => {
          const record = newItem(job!.pk, item, at);
          const put = () => dynamo.doc.send(new PutCommand({ TableName, Item: { ...record }, ConditionExpression: 'attribute_not_exists(pk)' }));
          if (await conditional(put)) return record;
          const existing = await readItem(job!.pk, item.itemId);
          if (!existing || !orphan(job!, existing)) return undefined;
          const replaced = await conditional(() => dynamo.doc.send(new PutCommand({
            TableName, Item: { ...record }, ConditionExpression: '#state = :queued', ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: { ':queued': 'QUEUED' },
          })));
          return replaced ? record : undefined;
        });
        let mine = written.filter((r): r is ItemRecord => !!r);
        for (const item of batch) if (!mine.some((r) => r.itemId === item.itemId)) duplicates.push(item.itemId);
        while (mine.length) {
          const outcome = await commit(job!, mine.map((r) => r.h));
          if (outcome === 'OK') break;
          job = (await readJob(appId, jobId))!;
          if (outcome === 'RACED') {
            const taken = mine.filter((r) => pendingHas(job!, r.h));
            duplicates.push(...taken.map((r) => r.itemId));
            mine = mine.filter((r) => !pendingHas(job!, r.h));
            continue;
          }
          // Not counted, so not in the job: remove what this call wrote.
          await batchWrite(dynamo, TableName, mine.map((r) => ({ DeleteRequest: { Key: { pk: r.pk, sk: r.sk } } })), what);
          if (added.length) job = (await readJob(appId, jobId))!;
          return outcome === 'NOT_OPEN' ? { status: 'NOT_OPEN', job: toJob(job!) } : { status: 'TOO_MANY_ITEMS', job: toJob(job!) };
        }
        added.push(...mine.map((r) => r.itemId));
      }
      job = (await readJob(appId, jobId))!;
      return { status: 'ADDED', job: toJob(job), added, duplicates };
    },

    async start(appId, jobId) {
      const job = await visibleJob(appId, jobId);
      if (!job) return undefined;
      const sealed = await update({
        Key: { pk: job.pk, sk: JOB_SK }, UpdateExpression: 'SET #state = :queued, updatedAt = :at',
        ConditionExpression: '#state = :created',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':queued': 'QUEUED', ':created': 'CREATED', ':at': iso(now()) },
      });
      if (!sealed) return { job: toJob((await readJob(appId, jobId))!), started: false };
      return { job: toJob(await settle(sealed as JobRecord)), started: true };
    },

    async getItem(appId, jobId, itemId) {
      const job = await visibleJob(appId, jobId);
      const item = job && (await readItem(job.pk, itemId));
      return item && !orphan(job!, item) ? toItem(item) : undefined;
    },

    async listItems(appId, jobId, { state, limit, cursor } = {}): Promise<Page<JobItem> | undefined> {
      const job = await visibleJob(appId, jobId);
      if (!job) return undefined;
      const size = pageSize(limit);
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const records = await collect<ItemRecord>({
        // "job" sorts after every "item#…" key, so after a cursor the job record is the last one read.
        KeyConditionExpression: after === undefined ? 'pk = :pk AND begins_with(sk, :item)' : 'pk = :pk AND sk > :after',
        ExpressionAttributeValues: {
          ':pk': job.pk,
          ...(after === undefined ? { ':item': ITEM_PREFIX } : { ':after': ITEM_PREFIX + after }),
          ...(state !== undefined && { ':state': state }),
        },
        ...(state !== undefined && { FilterExpression: '#state = :state', ExpressionAttributeNames: { '#state': 'state' } }),
        ConsistentRead: true,
      }, size + 1, (r) => r.sk.startsWith(ITEM_PREFIX) && !orphan(job, r));
      const page = records.slice(0, size);
      const last = page.at(-1);
      return { items: page.map(toItem), next: records.length > size && last ? encodeCursor(last.itemId) : null };
    },

    async startItem(appId, jobId, itemId) {
      const job = await visibleJob(appId, jobId);
      const item = job && (await readItem(job.pk, itemId));
      if (!job || !item || orphan(job, item)) return undefined;
      if (job.state === 'CANCELLED') {
        await cancelItem(job, item);
        return toItem((await readItem(job.pk, itemId))!);
      }
      const out = await update({
        Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET #state = :running, updatedAt = :at ADD attempts :one',
        ConditionExpression: '#state IN (:queued, :running)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':running': 'IN_PROGRESS', ':queued': 'QUEUED', ':at': iso(now()), ':one': 1 },
      });
      if (!out) return toItem((await readItem(job.pk, itemId))!);
      if (job.state === 'QUEUED') await markRunning(job);
      return toItem(out as ItemRecord);
    },

    async completeItem(appId, jobId, itemId, outcome) {
      const job = await visibleJob(appId, jobId);
      const item = job && (await readItem(job.pk, itemId));
      if (!job || !item || orphan(job, item)) return undefined;
      const succeeded = 'result' in outcome;
      const [ended, counted] = isTerminalItem(item.state) ? [item, false] : await endItem(item, succeeded ? 'SUCCEEDED' : 'FAILED', outcome);
      // Counted here, or by an earlier call that ended it (a retry after a crash counts it now).
      const after = pendingHas(job, ended.h) ? await count(job, ended) : undefined;
      const current = after ? await settle(after) : (await readJob(appId, jobId))!;
      return { counted, item: toItem(ended), job: toJob(current) };
    },

    async cancel(appId, jobId) {
      const job = await visibleJob(appId, jobId);
      return job && toJob(await cancelJob(job));
    },

    async cancelApp(appId) {
      const jobs = await collect<JobRecord>({
        IndexName: 'byApp',
        KeyConditionExpression: 'listApp = :app',
        FilterExpression: '#state IN (:created, :queued, :running) OR attribute_exists(pending)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':app': appId, ':created': 'CREATED', ':queued': 'QUEUED', ':running': 'IN_PROGRESS' },
      }, Number.MAX_SAFE_INTEGER);
      let cancelled = 0;
      for (const listed of jobs) {
        const job = await readJob(appId, listed.jobId);
        if (!job) continue;
        if (OPEN.includes(job.state)) cancelled++;
        await cancelJob(job);
      }
      return cancelled;
    },

    async delete(appId, jobId) {
      return deleteJob(pkOf(appId, jobId));
    },

    async deleteExpired() {
      const expired = await collect<JobRecord>({
        IndexName: 'expiring',
        KeyConditionExpression: 'expiring = :one AND expiresKey < :bound',
        ExpressionAttributeValues: { ':one': '1', ':bound': `${String(now()).padStart(15, '0')}$` },
      }, Number.MAX_SAFE_INTEGER);
      let deleted = 0;
      for (const job of expired) if (await deleteJob(job.pk)) deleted++;
      return deleted;
    },
  };
}
