/**
 * JSON request bodies. Any JSON value parses (axios sends "" as the body of a POST without data, and
 * operations without a body ignore it); operations with a body require an object (validate.ts).
 * Text must be what JSON promises: valid UTF-8, and after unescaping no NUL and no lone surrogate,
 * which PostgreSQL cannot store and XML cannot carry. Every check is one linear pass.
 */
import { isUtf8 } from "node:buffer";
import express from "express";
import { errors } from "../domain/errors.ts";

export const UNSTORABLE = "holds a NUL character or invalid Unicode (a lone surrogate)";

/** True for a NUL or a UTF-16 surrogate without its pair. */
function bad(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

interface Visit {
  value: unknown;
  key: string | number | undefined;
  parent: Visit | undefined;
}

/** "paymentOption[0].transfer[1].iban" for a visit; built only for the one reported. */
function pathOf(visit: Visit): string {
  const parts: string[] = [];
  for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) parts.push(typeof v.key === "number" ? `[${v.key}]` : `.${v.key}`);
  return parts.reverse().join("").replace(/^\./, "") || "(body)";
}

/**
 * The field path of the first string (key or value) that no store or XML can hold, or undefined.
 * Iterative, so a deeply nested body cannot exhaust the stack.
 */
export function unstorableText(value: unknown): string | undefined {
  const pending: Visit[] = [{ value, key: undefined, parent: undefined }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    const current = visit.value;
    if (typeof current === "string") {
      if (bad(current)) return pathOf(visit);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], key: i, parent: visit });
    } else if (current && typeof current === "object") {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        const child = { value: item, key, parent: visit };
        if (bad(key)) return pathOf(child);
        pending.push(child);
      }
    }
  }
  return undefined;
}

/** express.json for the API: any JSON value, refused unless valid UTF-8. */
export function jsonBody(limit: number) {
  return express.json({
    limit,
    strict: false,
    verify: (_req, _res, buffer) => {
      if (!isUtf8(buffer)) throw errors.badRequest("(body)", "is not valid UTF-8");
    },
  });
}
