/**
 * Debt-position use cases for EC administrators. Each reads as load → assert → change → save, and
 * owns its transaction; every change of an existing position holds that position's row lock, the
 * same lock paGetPayment and paSendRT take, so REST changes never interleave with a payment.
 */
import { errors } from "../domain/errors.ts";
import type { NoticeScheme } from "../domain/notice.ts";
import { preparePosition, type NewPosition, type PositionInput } from "../domain/position.ts";
import { EDITABLE_STATUSES, PositionStatus } from "../domain/states.ts";
import type { StoredPosition, StoredReceipt } from "../domain/stored.ts";
import type { Database, Sql } from "../store/db.ts";
import * as store from "../store/positions.ts";
import { getReceipt, listReceiptsOfPosition, listRejectedReceipts } from "../store/receipts.ts";

export type { Page, PositionFilter } from "../store/positions.ts";

/** Published positions become payable at their validity date, or at once without one. */
function publishedStatus(validityDate: Date | null | undefined, now: Date): PositionStatus {
  return validityDate && validityDate > now ? PositionStatus.PUBLISHED : PositionStatus.VALID;
}

function assertEditable(head: store.PositionHead, iupd: string): void {
  if (!EDITABLE_STATUSES.includes(head.status)) throw errors.notEditable(iupd, head.status);
  if (head.lockedNav) throw errors.locked(iupd, head.lockedNav);
}

/** Field paths in a bulk body; a single position's fields have no prefix. */
const BULK: store.FieldPrefix = (i) => `paymentPositions[${i}].`;
const SINGLE: store.FieldPrefix = () => "";

async function lockExisting(tx: Sql, ec: string, iupd: string): Promise<store.PositionHead> {
  const head = await store.lockPosition(tx, ec, iupd);
  if (!head) throw errors.positionNotFound(ec, iupd);
  return head;
}

/** Locks positions in IUPD order, so that concurrent bulk requests never wait for each other in a cycle. */
async function lockInOrder(tx: Sql, ec: string, iupds: readonly string[]): Promise<Map<string, store.PositionHead>> {
  const heads = new Map<string, store.PositionHead>();
  for (const iupd of [...new Set(iupds)].sort()) {
    const head = await store.lockPosition(tx, ec, iupd);
    if (head) heads.set(iupd, head);
  }
  return heads;
}

export function createPositionService(deps: { db: Database; scheme: NoticeScheme; now?: () => Date }) {
  const { db, scheme } = deps;
  const now = deps.now ?? (() => new Date());

  const prepareAll = (ec: string, inputs: readonly PositionInput[], prefixOf: store.FieldPrefix): NewPosition[] => {
    const seen = new Set<string>();
    // IUV -> index of the position that has it: one insert statement cannot hold an IUV twice (a NAV carries its IUV)
    const iuvs = new Map<string, number>();
    return inputs.map((input, i) => {
      const prefix = prefixOf(i);
      if (seen.has(input.iupd)) throw errors.ruleViolation(`${prefix}iupd`, `repeats ${input.iupd} within the request`);
      seen.add(input.iupd);
      const position = preparePosition(input, ec, scheme, prefix);
      for (const [j, o] of position.options.entries()) {
        const other = iuvs.get(o.iuv);
        if (other !== undefined) throw errors.ruleViolation(`${prefix}paymentOption[${j}].iuv`, `repeats the IUV ${o.iuv} of paymentPositions[${other}]`);
        iuvs.set(o.iuv, i);
      }
      return position;
    });
  };

  /** New positions start as DRAFT, or published when asked to. */
  const asNew = (position: NewPosition, toPublish: boolean, at: Date): store.PositionToInsert =>
    toPublish
      ? { position, status: publishedStatus(position.validityDate, at), publishDate: at }
      : { position, status: PositionStatus.DRAFT, publishDate: undefined };

  async function createMany(ec: string, inputs: readonly PositionInput[], toPublish: boolean, prefix = BULK): Promise<void> {
    const at = now();
    const entries = prepareAll(ec, inputs, prefix).map((p) => asNew(p, toPublish, at));
    await db.transaction((tx) => store.insertPositions(tx, entries, prefix));
  }

  async function mustGet(sql: Sql, ec: string, iupd: string): Promise<StoredPosition> {
    const position = await store.getPosition(sql, ec, iupd);
    if (!position) throw errors.positionNotFound(ec, iupd);
    return position;
  }

  /** Full replace of existing positions: same IUPDs, new content; publication is kept. */
  async function replaceAll(tx: Sql, ec: string, positions: readonly NewPosition[], toPublish: boolean, prefix: store.FieldPrefix): Promise<void> {
    const at = now();
    const entries: store.PositionToInsert[] = [];
    const heads = await lockInOrder(tx, ec, positions.map((p) => p.iupd));
    for (const position of positions) {
      const head = heads.get(position.iupd);
      if (!head) throw errors.positionNotFound(ec, position.iupd);
      assertEditable(head, position.iupd);
      await store.deletePosition(tx, head.id);
      // Unlike GPD, a replace never silently unpublishes: a published position stays published.
      const publish = toPublish || head.status !== PositionStatus.DRAFT;
      const entry = asNew(position, publish, at);
      entries.push({ ...entry, publishDate: publish ? (head.publishDate ?? at) : undefined, insertedDate: head.insertedDate });
    }
    // Inserted once every old content is gone, so a batch may move an IUV from one of its positions to another.
    await store.insertPositions(tx, entries, prefix);
  }

  return {
    async create(ec: string, input: PositionInput, toPublish: boolean): Promise<StoredPosition> {
      await createMany(ec, [input], toPublish, SINGLE);
      return mustGet(db, ec, input.iupd);
    },

    createMany,

    get: (ec: string, iupd: string) => mustGet(db, ec, iupd),

    list: (ec: string, filter: store.PositionFilter, page: store.Page) => store.listPositions(db, ec, filter, page),

    async update(ec: string, iupd: string, input: PositionInput, toPublish: boolean): Promise<StoredPosition> {
      if (input.iupd !== iupd) throw errors.ruleViolation("iupd", `is ${input.iupd} but the path names ${iupd}`);
      const [position] = prepareAll(ec, [input], SINGLE);
      return db.transaction(async (tx) => {
        await replaceAll(tx, ec, [position!], toPublish, SINGLE);
        return mustGet(tx, ec, iupd);
      });
    },

    async updateMany(ec: string, inputs: readonly PositionInput[], toPublish: boolean): Promise<void> {
      const positions = prepareAll(ec, inputs, BULK);
      await db.transaction((tx) => replaceAll(tx, ec, positions, toPublish, BULK));
    },

    async remove(ec: string, iupd: string): Promise<void> {
      await db.transaction(async (tx) => {
        const head = await lockExisting(tx, ec, iupd);
        assertEditable(head, iupd);
        await store.deletePosition(tx, head.id);
      });
    },

    async removeMany(ec: string, iupds: readonly string[]): Promise<void> {
      await db.transaction(async (tx) => {
        const heads = await lockInOrder(tx, ec, iupds);
        for (const iupd of iupds) {
          const head = heads.get(iupd);
          if (!head) throw errors.positionNotFound(ec, iupd);
          assertEditable(head, iupd);
          await store.deletePosition(tx, head.id);
        }
      });
    },

    async publish(ec: string, iupd: string): Promise<StoredPosition> {
      return db.transaction(async (tx) => {
        const head = await lockExisting(tx, ec, iupd);
        if (head.status !== PositionStatus.DRAFT) throw errors.invalidTransition(iupd, head.status, "published");
        const at = now();
        await store.setPositionStatus(tx, head.id, publishedStatus(head.validityDate, at), at);
        return mustGet(tx, ec, iupd);
      });
    },

    async invalidate(ec: string, iupd: string): Promise<StoredPosition> {
      return db.transaction(async (tx) => {
        const head = await lockExisting(tx, ec, iupd);
        if (!EDITABLE_STATUSES.includes(head.status)) throw errors.invalidTransition(iupd, head.status, "invalidated");
        if (head.lockedNav) throw errors.locked(iupd, head.lockedNav);
        await store.setPositionStatus(tx, head.id, PositionStatus.INVALID);
        return mustGet(tx, ec, iupd);
      });
    },

    async getOption(ec: string, nav: string) {
      const option = await store.getOptionByNav(db, ec, nav);
      if (!option) throw errors.optionNotFound(ec, nav);
      return option;
    },

    async receipts(ec: string, iupd: string): Promise<StoredReceipt[]> {
      await mustGet(db, ec, iupd);
      return listReceiptsOfPosition(db, ec, iupd);
    },

    /** Receipts refused for breaking the schema, most recent first. */
    rejectedReceipts: (ec: string, limit: number) => listRejectedReceipts(db, ec, limit),

    async receipt(ec: string, receiptId: string): Promise<StoredReceipt> {
      const receipt = await getReceipt(db, ec, receiptId);
      if (!receipt) throw errors.receiptNotFound(ec, receiptId);
      return receipt;
    },
  };
}

export type PositionService = ReturnType<typeof createPositionService>;
