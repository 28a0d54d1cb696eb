// The options object of verify() and createVerifier(), checked in
// JavaScript and turned into the options JSON of the C-style ABI
// (docs/abi.md, "Options JSON").

import { PiaoyanError } from "./error.js";
import { encodeBase64 } from "./bytes.js";

const OPTION_KEYS = ["trustAnchors", "certificates", "crls", "now", "limits"];
const LIMIT_KEYS = [
  "maxInputBytes",
  "maxDepth",
  "maxElements",
  "maxItems",
  "maxTextBytes",
  "maxPackageBytes",
  "maxZipEntries",
  "maxZipEntryBytes",
  "maxZipTotalBytes",
  "maxZipRatio",
  "maxZipPathBytes",
  "maxOfdSignatures",
];
const ENTRY = "a string (PEM or base64 DER) or a Uint8Array (DER)";
const USIZE_MAX = 4294967295; // usize of wasm32

function optionsError(message) {
  return new PiaoyanError("OPTIONS_TYPE", message);
}

function shapeError(message) {
  return optionsError(`options are not of the expected shape: ${message}`);
}

/** The value as serde names an unexpected one ("floating point `1.5`"). */
function unexpected(value) {
  if (value === undefined || value === null) return "unit value";
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (typeof value === "bigint") return `integer \`${value}\``;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "floating point `NaN`";
    if (!Number.isFinite(value)) return `floating point \`${value < 0 ? "-inf" : "inf"}\``;
    const text = Number.isInteger(value) ? `${BigInt(value)}.0` : String(value);
    return `floating point \`${text}\``;
  }
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return "sequence";
  return "map";
}

function checkObject(value, what, allowed) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionsError(`${what} must be an object`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw optionsError(`unknown field \`${key}\` in ${what}, expected one of ${allowed.join(", ")}`);
    }
  }
}

function entryText(entry) {
  if (typeof entry === "string") return entry;
  if (entry instanceof Uint8Array) return encodeBase64(entry);
  if (entry instanceof ArrayBuffer) return encodeBase64(new Uint8Array(entry));
  const what =
    typeof entry === "number" && Number.isSafeInteger(entry) ? `integer \`${entry}\`` : unexpected(entry);
  throw shapeError(`invalid type: ${what}, expected ${ENTRY}`);
}

function integer(value, expected, min, max) {
  if (typeof value === "bigint") {
    if (value < BigInt(min) || value > BigInt(max)) {
      throw shapeError(`invalid value: integer \`${value}\`, expected ${expected}`);
    }
    return value;
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || (min === 0 && value < 0)) {
    throw shapeError(`invalid type: ${unexpected(value)}, expected ${expected}`);
  }
  if (value > max) throw shapeError(`invalid value: integer \`${value}\`, expected ${expected}`);
  return value;
}

/**
 * The options object of verify() and createVerifier(), read once: `json`
 * is the options JSON of the C-style ABI (docs/abi.md) without the clock,
 * DER bytes as base64; `clock` is true when `now` is absent (undefined),
 * so that each verification takes the current time (withNow); an explicit
 * `now: null` is no time at all. Anything of the wrong shape is a
 * PiaoyanError OPTIONS_TYPE (a misspelt `trustAnchor` must not silently
 * verify with no trust at all).
 */
export function readOptions(options) {
  if (options === undefined || options === null) return { json: "{}", clock: true };
  if (typeof options !== "object" || Array.isArray(options)) {
    throw optionsError(
      "options must be an object such as {trustAnchors: [...], certificates: [...], crls: [...]}",
    );
  }
  checkObject(options, "options", OPTION_KEYS);
  for (const list of ["trustAnchors", "certificates", "crls"]) {
    const entries = options[list];
    if (!(entries === undefined || entries === null || Array.isArray(entries))) {
      throw optionsError(
        `options.${list} must be an array of strings (PEM or base64 DER) or Uint8Arrays (DER)`,
      );
    }
  }
  const limits = options.limits;
  if (limits !== undefined && limits !== null) checkObject(limits, "options.limits", LIMIT_KEYS);
  // Then the values, in the object's key order.
  const parts = [];
  const clock = options.now === undefined;
  for (const key of Object.keys(options)) {
    const value = options[key];
    if (value === undefined || value === null) continue;
    let json;
    if (key === "now") {
      json = String(integer(value, "i64", "-9223372036854775808", "9223372036854775807"));
    } else if (key === "limits") {
      const fields = Object.keys(value).map(
        (k) => `"${k}":${integer(value[k], "usize", 0, USIZE_MAX)}`,
      );
      json = `{${fields.join(",")}}`;
    } else {
      json = JSON.stringify(Array.from(value, entryText));
    }
    parts.push(`"${key}":${json}`);
  }
  return { json: `{${parts.join(",")}}`, clock };
}

/** The current time, whole seconds since the epoch (UTC). */
export function currentSeconds() {
  return Math.floor(Date.now() / 1000);
}

/**
 * The options JSON to verify with: `read`'s, with `now` set to `seconds`
 * when the options left the time to the clock.
 */
export function optionsJson(read, seconds) {
  if (!read.clock) return read.json;
  const now = `"now":${seconds}`;
  return read.json === "{}" ? `{${now}}` : `${read.json.slice(0, -1)},${now}}`;
}
