// Plain formatting for the page: names out of certificate names (RFC 4514
// strings, hex-encoded DER values decoded to text), times in Beijing time,
// amounts in fen. No DOM, no module: testable on its own.

const ZH_ATTR = { CN: 0, OU: 1, O: 2, L: 3, ST: 4 };

/** A DER string value `#0c…` (UTF8String, PrintableString, IA5String, BMPString, T61String) as text. */
export function decodeHexValue(hex) {
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) return null;
  const bytes = Uint8Array.from(hex.match(/../g), (b) => parseInt(b, 16));
  const tag = bytes[0];
  let len = bytes[1];
  let off = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | bytes[2 + i];
    off = 2 + n;
  }
  if (off + len !== bytes.length) return null;
  const body = bytes.subarray(off);
  if (tag === 0x1e) {
    if (len % 2) return null;
    let s = "";
    for (let i = 0; i < len; i += 2) s += String.fromCharCode((body[i] << 8) | body[i + 1]);
    return s;
  }
  if ([0x0c, 0x13, 0x16, 0x14, 0x1a].includes(tag)) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
      return null;
    }
  }
  return null;
}

/** The attributes of an RFC 4514 name, in order: [{type, value}], values unescaped and decoded. */
export function dnParts(dn) {
  const parts = [];
  const re = /([^=,+]+)=((?:\\.|[^,+])*)(?:[,+]|$)/g;
  let m;
  while ((m = re.exec(dn || "")) && m[0]) {
    const type = m[1].trim();
    let value = m[2];
    if (value.startsWith("#")) value = decodeHexValue(value.slice(1)) ?? value;
    else value = value.replace(/\\([0-9a-fA-F]{2}|.)/g, (_, c) => (c.length === 2 ? String.fromCharCode(parseInt(c, 16)) : c));
    parts.push({ type, value });
  }
  return parts;
}

/** A certificate name as a person reads it: the common name, then units and organisation. */
export function plainName(dn) {
  const parts = dnParts(dn);
  const named = parts
    .filter((p) => p.type.toUpperCase() in ZH_ATTR)
    .sort((a, b) => ZH_ATTR[a.type.toUpperCase()] - ZH_ATTR[b.type.toUpperCase()])
    .map((p) => p.value);
  // Attributes by OID only (2.5.4.16=#0c…): their decoded text, after the names.
  const other = parts.filter((p) => /^\d+(\.\d+)+$/.test(p.type) && !p.value.startsWith("#")).map((p) => p.value);
  const all = [...new Set([...named, ...other])];
  return all.length ? all.join("，") : dn || "";
}

/** The common name alone (or the plain name when there is none). */
export function commonName(dn) {
  const cn = dnParts(dn).find((p) => p.type.toUpperCase() === "CN");
  return cn ? cn.value : plainName(dn);
}

const BEIJING_MS = 8 * 3600 * 1000;

/** An instant (RFC 3339 or a Date or ms) in Beijing time: "2026年6月1日 08:00" / "2026-06-01 08:00 (Beijing)". */
export function beijingTime(value, lang = "zh", { seconds = false } = {}) {
  if (value === null || value === undefined || value === "") return null;
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return String(value);
  const d = new Date(ms + BEIJING_MS);
  const p2 = (n) => String(n).padStart(2, "0");
  const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}${seconds ? `:${p2(d.getUTCSeconds())}` : ""}`;
  if (lang === "zh") return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${time}`;
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${time} (Beijing)`;
}

/** A day in Beijing time: "2024年1月1日". */
export function beijingDay(value, lang = "zh") {
  const full = beijingTime(value, lang);
  return full ? full.replace(/ \d\d:\d\d.*$/, "") : null;
}

/** The bill's own date and time (yyyyMMdd, HH:mm:ss as written, Beijing time already). */
export function billDate(yyyymmdd, time, lang = "zh") {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd || "");
  if (!m) return [yyyymmdd, time].filter(Boolean).join(" ");
  const date = lang === "zh" ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : `${m[1]}-${m[2]}-${m[3]}`;
  const hm = /^(\d{2}:\d{2})/.exec(time || "");
  return hm ? `${date} ${hm[1]}` : date;
}

/** Fen as yuan with thousands separators: 2171050 → "21,710.50". */
export function yuan(fen) {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${whole}.${String(abs % 100).padStart(2, "0")}`;
}
