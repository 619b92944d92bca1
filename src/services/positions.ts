/**
 * Debt-position use cases for EC administrators. Each reads as load → assert → change → save, and
 * owns its transaction; every change of an existing position holds that position's row lock, the
 * same lock paGetPayment and paSendRT take, so REST changes never interleave with a payment.
 */
import { errors } from "../domain/errors.ts";
import { isoTimestamp } from "../domain/time.ts";
import type { NoticeScheme } from "../domain/noticeNumber.ts";
import { assertWithinSegregationCodes, preparePosition, type NewPosition, type PositionInput } from "../domain/position.ts";
import { preparePositionV3, type PositionInputV3 } from "../domain/positionV3.ts";
import { EDITABLE_STATUSES, PositionStatus } from "../domain/states.ts";
import type { StoredPosition, StoredTransfer } from "../domain/stored.ts";
import type { Database, Sql } from "../store/db.ts";
import { emitPositionEvents } from "../store/events.ts";
import { batchWrites, coalesce } from "../store/coalesce.ts";
import { feesOfPositions } from "../store/notificationFees.ts";
import { carryFees } from "./notificationFees.ts";
import * as store from "../store/positions.ts";

export type { Page, PositionFilter } from "../store/positions.ts";

/** Published positions become payable at their validity date, or at once without one. */
function publishedStatus(validityDate: Date | null | undefined, now: Date): PositionStatus {
  return validityDate && validityDate > now ? PositionStatus.PUBLISHED : PositionStatus.VALID;
}

function assertEditable(head: store.PositionHead, iupd: string): void {
  if (!EDITABLE_STATUSES.includes(head.status)) throw errors.notEditable(iupd, head.status);
  if (head.lockedNav) throw errors.locked(iupd, head.lockedNav);
}

/** Where a request field sits: the prefix of position i in the body ("" or "paymentPositions[i]."). */
type FieldPrefix = (positionIndex: number) => string;
/** Field paths in a bulk body; a single position's fields have no prefix. */
const BULK: FieldPrefix = (i) => `paymentPositions[${i}].`;
const SINGLE: FieldPrefix = () => "";

/** What each uniqueness constraint is about: the request field that holds its key. */
const UNIQUE_KEYS: Record<string, { what: string; column: "iupd" | "iuv" | "nav" }> = {
  payment_position_ec_iupd_key: { what: "A debt position with this iupd", column: "iupd" },
  payment_option_ec_iuv_key: { what: "A payment option with this iuv", column: "iuv" },
  payment_option_ec_nav_key: { what: "A payment option with this nav", column: "nav" },
};

/** The duplicate error naming the request field that holds the clashing key. */
function duplicateError(violation: store.UniqueViolation, positions: readonly NewPosition[], prefix: FieldPrefix): Error {
  const known = UNIQUE_KEYS[violation.constraint];
  if (!known) return violation;
  const { key } = violation;
  for (const [i, p] of positions.entries()) {
    if (known.column === "iupd" && p.iupd === key) return errors.duplicate(`${known.what} (${key})`, `${prefix(i)}iupd`);
    const clash = p.options.find((o) => o[known.column as "iuv" | "nav"] === key);
    if (clash) return errors.duplicate(`${known.what} (${key})`, `${prefix(i)}${clash.field}.${known.column}`);
  }
  return errors.duplicate(key ? `${known.what} (${key})` : known.what, `paymentOption.${known.column}`);
}

/** Inserts positions (writing `event` for each), a clash reported on the request field that holds the key. */
async function insertNamingClashes(sql: Sql, entries: readonly store.PositionToInsert[], prefix: FieldPrefix, event: "CREATED" | undefined): Promise<void> {
  await store.insertPositions(sql, entries, event).catch((error: unknown) => {
    throw error instanceof store.UniqueViolation ? duplicateError(error, entries.map((e) => e.position), prefix) : error;
  });
}

/** Segregation codes the caller may act on (GPD's segregationCodes); undefined: every IUV. */
export type SegregationCodes = readonly string[] | undefined;

async function lockExisting(tx: Sql, ec: string, iupd: string, codes: SegregationCodes): Promise<store.PositionHead> {
  const head = await store.lockPosition(tx, ec, iupd);
  if (!head) throw errors.positionNotFound(ec, iupd);
  assertWithinSegregationCodes(ec, `Debt position ${iupd}`, head.iuvs, codes);
  return head;
}

/** Locks positions in IUPD order, so that concurrent bulk requests never wait for each other in a cycle. */
async function lockInOrder(tx: Sql, ec: string, iupds: readonly string[], codes: SegregationCodes): Promise<Map<string, store.PositionHead>> {
  const heads = new Map<string, store.PositionHead>();
  for (const iupd of [...new Set(iupds)].sort()) {
    const head = await store.lockPosition(tx, ec, iupd);
    if (!head) continue;
    assertWithinSegregationCodes(ec, `Debt position ${iupd}`, head.iuvs, codes);
    heads.set(iupd, head);
  }
  return heads;
}

/** A request shape (GPD v1/v2 or v3) and how it becomes a position to store. */
type Prepare<I> = (input: I, ec: string, scheme: NoticeScheme, prefix: string) => NewPosition;

/** Where marking an option paid outside pagoPA stops, as GPD answers it (409 paid or in progress, 422 not payable). */
function assertPayableOutsidePagoPA(target: store.OptionToPay, ec: string): void {
  switch (target.state) {
    case "OK":
      if (target.locked) throw errors.locked(target.iupd, target.nav);
      return;
    case "PAID":
      throw errors.noticePaid(target.nav);
    case "IN_PROGRESS":
      throw errors.noticeInProgress(target.nav, target.blocker ?? target.nav);
    case "UNKNOWN":
    case "CANCELLED":
    case "EXPIRED":
    case "NEEDS_V2":
      throw errors.semantic(`Payment option ${target.nav} of organization ${ec} is not payable (${target.state === "UNKNOWN" ? "not published" : target.state.toLowerCase()})`);
  }
}

export function createPositionService(deps: { db: Database; scheme: NoticeScheme; now?: () => Date }) {
  const { db, scheme } = deps;
  const now = deps.now ?? (() => new Date());

  function prepareAll<I extends { iupd: string }>(ec: string, inputs: readonly I[], prefixOf: FieldPrefix, codes: SegregationCodes, prepare: Prepare<I>): NewPosition[] {
    const seen = new Set<string>();
    // IUV -> index of the position that has it: one insert statement cannot hold an IUV twice (a NAV carries its IUV)
    const iuvs = new Map<string, number>();
    return inputs.map((input, i) => {
      const prefix = prefixOf(i);
      if (seen.has(input.iupd)) throw errors.ruleViolation(`${prefix}iupd`, `repeats ${input.iupd} within the request`);
      seen.add(input.iupd);
      const position = prepare(input, ec, scheme, prefix);
      assertWithinSegregationCodes(ec, `Debt position ${input.iupd}`, position.options.map((o) => o.iuv), codes);
      for (const o of position.options) {
        const other = iuvs.get(o.iuv);
        if (other !== undefined) throw errors.ruleViolation(`${prefix}${o.field}.iuv`, `repeats the IUV ${o.iuv} of paymentPositions[${other}]`);
        iuvs.set(o.iuv, i);
      }
      return position;
    });
  }

  /** New positions start as DRAFT, or published when asked to. */
  const asNew = (position: NewPosition, toPublish: boolean, at: Date): store.PositionToInsert =>
    toPublish
      ? { position, status: publishedStatus(position.validityDate, at), publishDate: at }
      : { position, status: PositionStatus.DRAFT, publishDate: undefined };

  /**
   * Inserts new positions in the caller's transaction, each with its CREATED event (the insert and the receipts
   * waiting for these notices apply together). `spontaneous`: made on demand (kept off the ACA feed).
   */
  async function insertNew<I extends { iupd: string }>(tx: Sql, ec: string, inputs: readonly I[], toPublish: boolean, codes: SegregationCodes, prefix: FieldPrefix, prepare: Prepare<I>, spontaneous = false): Promise<void> {
    const at = now();
    const entries = prepareAll(ec, inputs, prefix, codes, prepare).map((p) => ({ ...asNew(p, toPublish, at), spontaneous }));
    await insertNamingClashes(tx, entries, prefix, "CREATED");
  }

  /** The insert is one statement, atomic without a transaction around it: one round trip, one commit. */
  async function createAll<I extends { iupd: string }>(ec: string, inputs: readonly I[], toPublish: boolean, codes: SegregationCodes, prefix: FieldPrefix, prepare: Prepare<I>): Promise<void> {
    await insertNew(db, ec, inputs, toPublish, codes, prefix, prepare);
  }

  async function mustGet(sql: Sql, ec: string, iupd: string, codes?: SegregationCodes): Promise<StoredPosition> {
    return found(await store.getPosition(sql, ec, iupd), ec, iupd, codes);
  }

  function found(position: StoredPosition | undefined, ec: string, iupd: string, codes: SegregationCodes): StoredPosition {
    if (!position) throw errors.positionNotFound(ec, iupd);
    assertWithinSegregationCodes(ec, `Debt position ${iupd}`, position.options.map((o) => o.iuv), codes);
    return position;
  }

  /** Full replace of existing positions: same IUPDs, new content, one UPDATED event each; publication is kept. */
  async function replaceAll(tx: Sql, ec: string, positions: readonly NewPosition[], toPublish: boolean, prefix: FieldPrefix, codes: SegregationCodes): Promise<void> {
    const at = now();
    const heads = await lockInOrder(tx, ec, positions.map((p) => p.iupd), codes);
    const entries = positions.map((position): store.PositionToInsert => {
      const head = heads.get(position.iupd);
      if (!head) throw errors.positionNotFound(ec, position.iupd);
      assertEditable(head, position.iupd);
      // Unlike GPD, a replace never silently unpublishes: a published position stays published.
      const publish = toPublish || head.status !== PositionStatus.DRAFT;
      const kept = { insertedDate: head.insertedDate, id: head.id, eventSequence: head.eventSequence, spontaneous: head.spontaneous };
      return { ...asNew(position, publish, at), publishDate: publish ? (head.publishDate ?? at) : undefined, ...kept };
    });
    const ids = entries.map((e) => e.id!);
    // GPD keeps an option's notification fee across an update
    const fees = await feesOfPositions(tx, ids);
    await store.deletePositions(tx, ids);
    // Inserted once every old content is gone, so a batch may move an IUV from one of its positions to another.
    await insertNamingClashes(tx, entries, prefix, undefined);
    await carryFees(tx, ec, fees);
    // once the fees are back, so the event tells the amounts the notices now have
    await emitPositionEvents(tx, [...heads.values()].map((h) => h.id), "UPDATED");
  }

  /** Single creates of one EC that arrive together share one insert and one commit (batchWrites). */
  const insertersByEc = new Map<string, (entry: store.PositionToInsert) => Promise<void>>();
  function insertTogether(ec: string, entry: store.PositionToInsert): Promise<void> {
    let insert = insertersByEc.get(ec);
    if (!insert) {
      insert = batchWrites((entries: readonly store.PositionToInsert[]) => insertNamingClashes(db, entries, SINGLE, "CREATED"));
      insertersByEc.set(ec, insert);
    }
    return insert(entry);
  }

  /** ...and the reads that answer them, and GETs of a position, share one statement (coalesce). */
  const readTogether = coalesce(async (keys: readonly { ec: string; iupd: string }[]) => {
    const byKey = new Map<string, StoredPosition>();
    for (const ec of new Set(keys.map((k) => k.ec))) {
      const iupds = keys.filter((k) => k.ec === ec).map((k) => k.iupd);
      for (const position of await store.getPositions(db, ec, iupds)) byKey.set(`${ec}/${position.iupd}`, position);
    }
    return keys.map((k) => byKey.get(`${k.ec}/${k.iupd}`));
  });

  const readOptionTogether = coalesce((keys: readonly store.OptionKey[]) => store.getOptionsWithPosition(db, keys));

  async function createOne<I extends { iupd: string }>(ec: string, input: I, toPublish: boolean, codes: SegregationCodes, prepare: Prepare<I>): Promise<StoredPosition> {
    const [position] = prepareAll(ec, [input], SINGLE, codes, prepare);
    await insertTogether(ec, asNew(position!, toPublish, now()));
    const created = await readTogether({ ec, iupd: input.iupd });
    if (!created) throw errors.positionNotFound(ec, input.iupd);
    return created;
  }

  async function updateOne<I extends { iupd: string }>(ec: string, iupd: string, input: I, toPublish: boolean, codes: SegregationCodes, prepare: Prepare<I>): Promise<StoredPosition> {
    if (input.iupd !== iupd) throw errors.ruleViolation("iupd", `is ${input.iupd} but the path names ${iupd}`);
    const [position] = prepareAll(ec, [input], SINGLE, codes, prepare);
    return db.transaction(async (tx) => {
      await replaceAll(tx, ec, [position!], toPublish, SINGLE, codes);
      return mustGet(tx, ec, iupd);
    });
  }

  return {
    create: (ec: string, input: PositionInput, toPublish: boolean, codes?: SegregationCodes) => createOne(ec, input, toPublish, codes, preparePosition),

    /** GPD v3: a position of payment options, each a plan of installments with its own debtor. */
    createV3: (ec: string, input: PositionInputV3, toPublish: boolean, codes?: SegregationCodes) => createOne(ec, input, toPublish, codes, preparePositionV3),

    createMany: (ec: string, inputs: readonly PositionInput[], toPublish: boolean, codes?: SegregationCodes) => createAll(ec, inputs, toPublish, codes, BULK, preparePosition),

    /** create, inside a transaction the caller owns (which records more with the position); `spontaneous`: made on demand. */
    async createWithin(tx: Sql, ec: string, input: PositionInput, toPublish: boolean, spontaneous: boolean): Promise<StoredPosition> {
      await insertNew(tx, ec, [input], toPublish, undefined, SINGLE, preparePosition, spontaneous);
      return mustGet(tx, ec, input.iupd);
    },

    get: async (ec: string, iupd: string, codes?: SegregationCodes) => found(await readTogether({ ec, iupd }), ec, iupd, codes),

    list: (ec: string, filter: store.PositionFilter, page: store.Page) => store.listPositions(db, ec, filter, page),

    update: (ec: string, iupd: string, input: PositionInput, toPublish: boolean, codes?: SegregationCodes) => updateOne(ec, iupd, input, toPublish, codes, preparePosition),

    updateV3: (ec: string, iupd: string, input: PositionInputV3, toPublish: boolean, codes?: SegregationCodes) => updateOne(ec, iupd, input, toPublish, codes, preparePositionV3),

    async updateMany(ec: string, inputs: readonly PositionInput[], toPublish: boolean, codes?: SegregationCodes): Promise<void> {
      const positions = prepareAll(ec, inputs, BULK, codes, preparePosition);
      await db.transaction((tx) => replaceAll(tx, ec, positions, toPublish, BULK, codes));
    },

    async remove(ec: string, iupd: string, codes?: SegregationCodes): Promise<void> {
      await db.transaction(async (tx) => {
        const head = await lockExisting(tx, ec, iupd, codes);
        assertEditable(head, iupd);
        await emitPositionEvents(tx, [head.id], "DELETED");
        await store.deletePositions(tx, [head.id]);
      });
    },

    async removeMany(ec: string, iupds: readonly string[], codes?: SegregationCodes): Promise<void> {
      await db.transaction(async (tx) => {
        const heads = await lockInOrder(tx, ec, iupds, codes);
        const ids = iupds.map((iupd) => {
          const head = heads.get(iupd);
          if (!head) throw errors.positionNotFound(ec, iupd);
          assertEditable(head, iupd);
          return head.id;
        });
        await emitPositionEvents(tx, ids, "DELETED");
        await store.deletePositions(tx, ids);
      });
    },

    async publish(ec: string, iupd: string, codes?: SegregationCodes): Promise<StoredPosition> {
      return db.transaction(async (tx) => {
        const head = await lockExisting(tx, ec, iupd, codes);
        if (head.status !== PositionStatus.DRAFT) throw errors.invalidTransition(iupd, head.status, "published");
        const at = now();
        const status = publishedStatus(head.validityDate, at);
        await store.setPositionStatus(tx, head.id, status, at);
        // one change, one event: VALID when the position is payable at once
        await emitPositionEvents(tx, [head.id], status === PositionStatus.VALID ? "VALID" : "PUBLISHED");
        return mustGet(tx, ec, iupd);
      });
    },

    async invalidate(ec: string, iupd: string, codes?: SegregationCodes): Promise<StoredPosition> {
      return db.transaction(async (tx) => {
        const head = await lockExisting(tx, ec, iupd, codes);
        if (!EDITABLE_STATUSES.includes(head.status)) throw errors.invalidTransition(iupd, head.status, "invalidated");
        if (head.lockedNav) throw errors.locked(iupd, head.lockedNav);
        await store.setPositionStatus(tx, head.id, PositionStatus.INVALID);
        await emitPositionEvents(tx, [head.id], "INVALIDATED");
        return mustGet(tx, ec, iupd);
      });
    },

    /**
     * An option by notice number or IUV, with its position; reads that arrive together share one statement
     * (coalesce). As in GPD, an installment before the validity date of its option is not found: a client
     * that judges payability by debtPositionStatus must not see it as payable.
     */
    async getOption(ec: string, navOrIuv: string, codes?: SegregationCodes): Promise<store.StoredOptionWithPosition> {
      const option = await readOptionTogether({ ec, navOrIuv });
      if (!option) throw errors.optionNotFound(ec, navOrIuv);
      if (option.validFrom !== undefined && Date.parse(option.validFrom) > Date.now()) throw errors.optionNotValidYet(ec, option.nav, isoTimestamp(new Date(option.validFrom)));
      assertWithinSegregationCodes(ec, `Payment option ${option.nav}`, [option.iuv], codes);
      return option;
    },

    /** The position that holds an option (by notice number or IUV); segregation codes apply to that option's IUV, as in GPD. */
    async getByOption(ec: string, navOrIuv: string, codes?: SegregationCodes): Promise<StoredPosition> {
      const position = await store.getPositionOfOption(db, ec, navOrIuv);
      const option = position?.options.find((o) => o.nav === navOrIuv) ?? position?.options.find((o) => o.iuv === navOrIuv);
      if (!position || !option) throw errors.optionNotFound(ec, navOrIuv);
      assertWithinSegregationCodes(ec, `Payment option ${option.nav}`, [option.iuv], codes);
      return position;
    },

    /**
     * Marks an option (by notice number or IUV) paid outside pagoPA, as GPD's "paids" does: under
     * the position's row lock, only when pagoPA could take the payment now; the position then
     * follows its payments as after a receipt.
     */
    async markPaid(ec: string, navOrIuv: string, payment: Partial<store.OutsidePayment>, codes?: SegregationCodes): Promise<store.StoredOptionWithPosition> {
      return db.transaction(async (tx) => {
        const target = await store.lockOptionToPay(tx, ec, navOrIuv);
        if (!target) throw errors.optionNotFound(ec, navOrIuv);
        assertWithinSegregationCodes(ec, `Payment option ${target.nav}`, [target.iuv], codes);
        assertPayableOutsidePagoPA(target, ec);
        await store.markOptionPaid(tx, ec, target, { ...payment, paymentDate: payment.paymentDate ?? now() });
        return (await store.getOptionWithPosition(tx, ec, target.nav))!;
      });
    },

    /** Reports a transfer of a paid option (by IUV, as GPD), after the PSP's money reached the EC; the position follows. */
    async reportTransfer(ec: string, iuv: string, idTransfer: string): Promise<StoredTransfer> {
      const report = await db.transaction((tx) => store.reportTransfer(tx, ec, iuv, idTransfer));
      switch (report.outcome) {
        case "REPORTED":
          return report.transfer;
        case "NOT_FOUND":
          throw errors.notFound("Transfer not found", `No transfer ${idTransfer} of the payment option with IUV ${iuv} for organization ${ec}`);
        case "NOT_ACCOUNTABLE":
          throw errors.transferNotReportable(ec, iuv, idTransfer);
      }
    },

    /**
     * Replaces an IBAN on up to `limit` transfers of unpaid, unlocked options of open positions; answers how many.
     * Each position changed gets an UPDATED event (the ACA archive and the EC's systems hold the IBANs).
     */
    changeIban: (ec: string, oldIban: string, newIban: string, limit: number) =>
      db.transaction(async (tx) => {
        const { transfers, positionIds } = await store.changeTransferIban(tx, ec, oldIban, newIban, limit);
        await emitPositionEvents(tx, positionIds, "UPDATED");
        return transfers;
      }),
  };
}

export type PositionService = ReturnType<typeof createPositionService>;
