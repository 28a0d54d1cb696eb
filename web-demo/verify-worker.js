// The page's verifier, off the main thread: a module worker over the
// package's init()/verify() (pkg/index.js). The page posts requests
// {id, op, ...} and gets back {id, result} or {id, error: {code, message}}.
// Ops: "info" (version and module hash), "verify" (a bill's bytes and the
// trust options: the report, the file's SHA-256, and whether it has CR
// bytes), "describe" (PEM text or DER bytes: certificates and CRLs, each
// with its summary), "draw" (a bill's bytes and the trust options: its
// pages as SVG, the render module loaded then). Nothing here touches the
// network.

import * as piaoyan from "./pkg/index.js";

const loaded = piaoyan.init();

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Certificates and CRLs in a file: PEM blocks, or one DER object. */
function describe(bytes) {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  const blocks = text.includes("-----BEGIN")
    ? piaoyan.pemBlocks(text)
    : [{ label: null, der: bytes }];
  return blocks.map((b) => {
    const tryCert = () => ({ label: "CERTIFICATE", der: b.der, summary: piaoyan.describeCertificate(b.der) });
    const tryCrl = () => ({ label: "X509 CRL", der: b.der, summary: piaoyan.describeCrl(b.der) });
    try {
      if (b.label === "CERTIFICATE") return tryCert();
      if (b.label === "X509 CRL") return tryCrl();
      if (b.label !== null) return { label: b.label, ignored: true };
      try {
        return tryCert();
      } catch {
        return tryCrl();
      }
    } catch (e) {
      return { label: b.label, error: e.message };
    }
  });
}

const OPS = {
  info: () => ({ version: piaoyan.version(), moduleHash: piaoyan.moduleHash() }),
  async verify({ bytes, options }) {
    const report = piaoyan.verify(bytes, options);
    const fen = report.bill?.main?.totalAmount?.fen;
    return {
      report,
      sha256: await sha256Hex(bytes),
      crlf: hasCrLf(bytes),
      spelledTotal: typeof fen === "number" && fen >= 0 ? safe(() => piaoyan.spellAmount(fen)) : null,
    };
  },
  describe: ({ bytes }) => describe(bytes),
  // The pages drawn by the render module (loaded on the first "draw" only);
  // `ms`: the time of render() itself.
  async draw({ bytes, options }) {
    const started = performance.now();
    const drawn = await piaoyan.render(bytes, options);
    return { pages: drawn.pages, ms: performance.now() - started };
  },
};

function hasCrLf(bytes) {
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 13 && bytes[i + 1] === 10) return true;
  return false;
}

function safe(f) {
  try {
    return f();
  } catch {
    return null;
  }
}

self.onmessage = async (ev) => {
  const { id, op, ...args } = ev.data;
  try {
    await loaded;
    if (!Object.hasOwn(OPS, op)) throw Object.assign(new Error(`unknown op ${op}`), { code: "OP" });
    self.postMessage({ id, result: await OPS[op](args) });
  } catch (e) {
    self.postMessage({ id, error: { code: e?.code || "ERROR", message: String(e?.message || e) } });
  }
};

loaded.then(
  () => self.postMessage({ ready: true }),
  (e) => self.postMessage({ ready: false, error: { code: e?.code || "MODULE", message: String(e?.message || e) } }),
);
