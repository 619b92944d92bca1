/**
 * API keys as configured: each one plain text or `sha256:<64 hex digits>` (the SHA-256 of the key, so a
 * deployment file need not hold the key itself). Both forms reduce to the key's digest; the REST door
 * compares digests in constant time. Keys are never echoed, not even in configuration errors.
 */
import { createHash } from "node:crypto";

const DIGEST_PREFIX = "sha256:";
const MIN_LENGTH = 16;
const HEX_DIGEST = /^[0-9a-f]{64}$/i;

const isDigestForm = (spec: string) => spec.toLowerCase().startsWith(DIGEST_PREFIX);

/** Why a configured key cannot be used (the sentence completes "<name> …"), or undefined when it can. */
export function keyProblem(spec: string): string | undefined {
  if (isDigestForm(spec)) return HEX_DIGEST.test(spec.slice(DIGEST_PREFIX.length)) ? undefined : `"${DIGEST_PREFIX}" keys must be followed by 64 hexadecimal digits`;
  return spec.length < MIN_LENGTH ? `must be at least ${MIN_LENGTH} characters` : undefined;
}

/** SHA-256 of a key as presented by a client. */
export const digestOf = (key: string): Buffer => createHash("sha256").update(key).digest();

/** The digest a configured key (plain or digest form) stands for. */
export const configuredKeyDigest = (spec: string): Buffer => (isDigestForm(spec) ? Buffer.from(spec.slice(DIGEST_PREFIX.length), "hex") : digestOf(spec));
