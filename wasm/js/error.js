// The one error class of the package (index.d.ts lists its codes).

/**
 * An error of a call: `code` is stable, `message` is English for people;
 * for options the verifier rejects, `field` ("trustAnchors",
 * "limits.maxDepth", …) and `index` (the entry of that field) say where,
 * null when the error has no such place.
 */
export class PiaoyanError extends Error {
  constructor(code, message, field = null, index = null) {
    super(message);
    this.name = "PiaoyanError";
    this.code = code;
    this.field = field;
    this.index = index;
  }
}

/** A value's kind for an error message: "null", "string", "Blob", … */
export function describe(value) {
  if (value === null) return "null";
  if (typeof value === "object") return (value.constructor && value.constructor.name) || "object";
  return typeof value;
}
