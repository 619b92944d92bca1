/** Reading receipts back: those of a position, one by its id, and those refused for breaking the schema. */
import { errors } from "../domain/errors.ts";
import type { StoredReceipt } from "../domain/stored.ts";
import type { Sql } from "../store/db.ts";
import { getPosition } from "../store/positions.ts";
import { assertWithinSegregationCodes } from "../domain/position.ts";
import { getReceipt, getReceiptDocument, listReceipts, listReceiptsOfPosition, listRejectedReceipts, type ReceiptFilter } from "../store/receipts.ts";

export function createReceiptService(deps: { db: Sql }) {
  const { db } = deps;
  return {
    /** Receipts stored for the options of a position, oldest first. */
    async ofPosition(ec: string, iupd: string): Promise<StoredReceipt[]> {
      if (!(await getPosition(db, ec, iupd))) throw errors.positionNotFound(ec, iupd);
      return listReceiptsOfPosition(db, ec, iupd);
    },

    async get(ec: string, receiptId: string): Promise<StoredReceipt> {
      const receipt = await getReceipt(db, ec, receiptId);
      if (!receipt) throw errors.receiptNotFound(ec, receiptId);
      return receipt;
    },

    /** Every stored receipt of the EC that matches, linked to an option or not, most recent first, with the true total. */
    list: (ec: string, filter: ReceiptFilter, page: { limit: number; offset: number }) => listReceipts(db, ec, filter, page),

    /** The receipt of an IUV as received (gpd-payments' receipt document). */
    async document(ec: string, iuv: string, codes: readonly string[] | undefined): Promise<string> {
      assertWithinSegregationCodes(ec, "The receipt", [iuv], codes);
      const document = await getReceiptDocument(db, ec, iuv);
      if (!document) throw errors.receiptNotFound(ec, iuv);
      return document;
    },

    /** Receipts refused for breaking the schema, most recent first. */
    rejected: (ec: string, limit: number) => listRejectedReceipts(db, ec, limit),
  };
}

export type ReceiptService = ReturnType<typeof createReceiptService>;
