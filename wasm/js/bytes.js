// Bytes in, bytes out: the argument checks and base64 of the package.

import { PiaoyanError, describe } from "./error.js";

/** Whether `value` is bytes the package takes (a typed array, a DataView, an ArrayBuffer). */
export function isBytes(value) {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** `value` as a Uint8Array over the same memory; INPUT_TYPE when it is not bytes. */
export function toBytes(value, what) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  throw new PiaoyanError(
    "INPUT_TYPE",
    `${what} must be bytes (a Uint8Array or an ArrayBuffer), got ${describe(value)}`,
  );
}

export function encodeBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
