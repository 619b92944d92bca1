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

/** The field path of the first string (key or value) that no store or XML can hold, or undefined. */
export function unstorableText(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return bad(value) ? path || "(body)" : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorableText(item, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (bad(key)) return field;
      const found = unstorableText(item, field);
      if (found) return found;
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
