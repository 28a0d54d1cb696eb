// Types of the Piaoyan package (index.js). The report and the bill are the
// JSON report of docs/report.schema.json, field for field; a test holds real
// reports of every demo bill against these declarations (tsc) and against
// the schema.

/// <reference lib="esnext.disposable" />

/** Overall or per-signature verdict (ETSI EN 319 102-1). */
export type Verdict = "VALID" | "INVALID" | "INDETERMINATE";

/** Why a verdict is not VALID (spec §6). */
export type SubIndication =
  | "FORMAT_FAILURE"
  | "HASH_FAILURE"
  | "SIG_CRYPTO_FAILURE"
  | "NOT_YET_VALID"
  | "EXPIRED"
  | "REVOKED"
  | "CONTENT_FAILURE"
  | "IDENTITY_MISMATCH"
  | "NO_SIGNING_CERTIFICATE_FOUND"
  | "NO_CERTIFICATE_CHAIN_FOUND"
  | "CRYPTO_CONSTRAINTS_FAILURE"
  | "SIG_CONSTRAINTS_FAILURE";

/** A text in Simplified Chinese and in English. */
export interface Message {
  zh: string;
  en: string;
}

/** One rule of the profile applied to the bill. */
export interface Check {
  /** Stable identifier, e.g. `main.totalAmount.itemSum`. */
  id: string;
  level: "failure" | "warning";
  result: "pass" | "fail" | "notApplicable";
  /** For a failed warning-level check: its warning code. */
  code?: string;
  message: Message;
}

/** A warning (spec §9 codes); it never changes the verdict. */
export interface Warning {
  code: string;
  message: Message;
}

/** A certificate as the report shows it. */
export interface CertificateInfo {
  /** RFC 4514 string. */
  subject: string;
  issuer: string;
  /** Lower-case hexadecimal, no leading zeros. */
  serial: string;
  /** RFC 3339, UTC. */
  notBefore: string;
  notAfter: string;
  keyAlgorithm: "sm2" | "p256" | "unsupported";
  /** Where the verifier found it. */
  source: "cms" | "keyInfo" | "store" | "anchor" | "seal";
  /**
   * Present (and `true`) only on a trust anchor of the project's demo PKI
   * (`samples/trust/roots.pem`), whose keys anyone can derive.
   */
  demo?: true;
}

/** The report of one of the bill's two signatures. */
export interface SignatureReport {
  role: "InvoicingParty" | "Supervisor";
  /** `SM2-SM3`, `ECDSA-P256-SHA256`, or the text found when unsupported. */
  algorithm: string | null;
  format: "RAW" | "DETACH" | null;
  encoding: "DER" | "RS" | "CMS" | "CMS+signedAttrs" | null;
  /** `SignatureTime` as RFC 3339 with +08:00. */
  signingTime: string | null;
  verdict: Verdict;
  subIndication: SubIndication | null;
  message: Message;
  signer: CertificateInfo | null;
  /** From the signer certificate up to and including the trust anchor. */
  chain: CertificateInfo[];
}

/** An amount: the text as written and its value in fen (分). */
export interface Amount {
  text: string;
  /** `null` when the text is not a decimal with at most two fraction digits. */
  fen: number | null;
}

/** An element the profile does not name, carried through. */
export interface ExtraField {
  name: string;
  value: string;
}

export interface Header {
  eInvoiceTag: string;
  eInvoiceId: string | null;
  version: string | null;
}

export interface InvoicingParty {
  code: string;
  name: string;
  recName: string | null;
  recAcct: string | null;
  recOpBk: string | null;
}

export interface PayerParty {
  /** `1` person, `2` organisation. */
  partyType: string | null;
  /** A personal identity number is masked: first 6 and last 4 characters. */
  code: string | null;
  name: string;
  acct: string | null;
  opBk: string | null;
}

export interface Seal {
  sealId: string | null;
  sealName: string | null;
  sealHash: string | null;
}

export interface Main {
  eInvoiceName: string;
  eInvoiceCode: string;
  eInvoiceNumber: string;
  /** The check code (校验码). */
  randomNumber: string;
  eInvoiceSpecimenCode: string | null;
  supervisorAreaCode: string;
  totalAmount: Amount;
  totalAmountCapital: string | null;
  /** `yyyyMMdd` as written. */
  issueDate: string;
  /** `HH:mm:ss` as written. */
  issueTime: string;
  invoicingParty: InvoicingParty;
  payerParty: PayerParty;
  payMode: string | null;
  bizCode: string | null;
  /** Defaults to `CNY`. */
  currencyType: string;
  exchangeRate: string | null;
  remark: string | null;
  handlingPerson: string | null;
  checker: string | null;
  supervisorRemark: string | null;
  mainExt: ExtraField[];
  invoicingPartySeal: Seal | null;
  supervisorPartySeal: Seal | null;
  extra: ExtraField[];
}

export interface Item {
  code: string | null;
  name: string;
  quantity: string | null;
  unit: string | null;
  /** Unit price. */
  std: string | null;
  amount: Amount;
  remark: string | null;
  itemExt: ExtraField[];
  extra: ExtraField[];
}

export interface AuxItem {
  relatedCode: string | null;
  relatedName: string | null;
  code: string | null;
  name: string | null;
  quantity: string | null;
  unit: string | null;
  std: string | null;
  amount: string | null;
  remark: string | null;
  extra: ExtraField[];
}

/** The bill as a person reads it. */
export interface Bill {
  header: Header;
  main: Main;
  items: Item[];
  auxItems: AuxItem[];
}

/** One `Reference` of an OFD signature's `SignedInfo`. */
export interface OfdReference {
  /** `FileRef` as written. */
  fileRef: string;
  /**
   * `tolerated`: changed only because later signatures were appended to the
   * Signatures list; `unchecked`: unsupported CheckMethod.
   */
  result: "match" | "mismatch" | "missing" | "tolerated" | "unchecked";
}

/** The picture of an electronic seal, for display. */
export interface SealPicture {
  /** Lower-case type as written in the seal: `png`, `jpg`, `gif`, `bmp`, `ofd`, ... */
  type: string;
  /** Base64 of the picture data. */
  data: string;
  /** Display width and height in mm, when the seal gives them. */
  width: number | null;
  height: number | null;
}

/** The electronic seal (`SESeal`) of a `Seal` signature. */
export interface OfdSeal {
  /** 4 (GB/T 38540) or 1 (GM/T 0031). */
  version: 1 | 4;
  esId: string | null;
  name: string | null;
  sealType: number | null;
  vid: string | null;
  /** RFC 3339, UTC. */
  created: string | null;
  validFrom: string | null;
  validTo: string | null;
  /** The seal maker's certificate. */
  maker: CertificateInfo | null;
  picture: SealPicture | null;
}

/** One signature of an OFD document (`Signatures` list, in order). */
export interface OfdSignatureReport {
  id: string;
  /** `Seal`: an electronic seal (电子印章); `Sign`: a digital signature. */
  type: "Seal" | "Sign";
  /** The `Signature.xml` part. */
  baseLoc: string;
  provider: string | null;
  /** `SignatureMethod` as written. */
  method: string | null;
  /** `CheckMethod` as written. */
  checkMethod: string | null;
  /** RFC 3339, UTC. */
  signingTime: string | null;
  encoding: "SES" | "CMS" | "CMS+signedAttrs" | "DER" | "RS" | null;
  sesVersion: 1 | 4 | null;
  verdict: Verdict;
  subIndication: SubIndication | null;
  message: Message;
  signer: CertificateInfo | null;
  /** From the signer to the trust anchor, when a path was found. */
  chain: CertificateInfo[];
  seal: OfdSeal | null;
  references: OfdReference[];
  /** Parts whose digest did not match, or that are missing. */
  failedReferences: string[];
  checks: Check[];
}

/** A name/value pair of an attachment's structured data (`a/b/c` paths). */
export interface AttachmentField {
  name: string;
  value: string;
}

/** An attachment (`Attachs/`) or custom tag (`Tags/`) of an OFD document. */
export interface Attachment {
  kind: "attachment" | "customTag";
  name: string | null;
  /** The part, resolved (no leading `/`). */
  file: string;
  /** `ebill`: a fiscal e-bill, verified (see `report`); `xml`: fields listed. */
  format: "ebill" | "xml" | "other" | "missing";
  /** Whether a signature's references cover this part (and it matched). */
  covered: boolean;
  fields: AttachmentField[];
  /** The full report of an embedded fiscal e-bill. */
  report: Report | null;
}

/** What the verifier found in an OFD package (`format: "ofd"`). */
export interface DocumentReport {
  /** E.g. `Doc_0/Document.xml`: the document verified. */
  docRoot: string | null;
  /** Bytes before the zip proper (tolerated with a warning). */
  prefixBytes: number;
  /** Number of parts (zip entries, directories excluded). */
  parts: number;
  signatures: OfdSignatureReport[];
  attachments: Attachment[];
  /** Parts the opened document shows that no signature covers (check `ofd.coverage`). */
  uncovered: string[];
}

interface ReportFields {
  profile: "piaoyan/1";
  verifierVersion: string;
  /** `xml`: a fiscal e-bill (`signatures`, `bill`); `ofd`: an OFD document (`document`). */
  format: "xml" | "ofd";
  /** The reason for the verdict in plain words. */
  reason: Message;
  /** `EInvoiceCode-EInvoiceNumber`, when the document got that far. */
  billKey: string | null;
  signatures: SignatureReport[];
  checks: Check[];
  warnings: Warning[];
  bill: Bill | null;
  /** For `ofd`: the package, its signatures and attachments; `null` for `xml`. */
  document: DocumentReport | null;
  /**
   * Some certificate path of this report ends at a demo trust anchor of the
   * project, whose keys anyone can derive: the verdict proves nothing about
   * the bill. Show it as a demo (演示), never as a plain VALID.
   */
  demoTrust: boolean;
  /**
   * Set when the input is not a bill at all (then the verdict is INVALID
   * with FORMAT_FAILURE): show it as 无法识别 (not recognised) with help
   * for that kind of file, not as a changed bill.
   */
  notABill: NotABill | null;
}

/** What an input that is not a bill is (`Report.notABill`). */
export type NotABill = "empty" | "tooLarge" | "pdf" | "image" | "archive" | "unknown";

/** The verification report: `subIndication` is `null` exactly when VALID. */
export type Report = ReportFields &
  (
    | { verdict: "VALID"; subIndication: null }
    | { verdict: "INVALID" | "INDETERMINATE"; subIndication: SubIndication }
  );

/**
 * A certificate or CRL: text holding PEM blocks (`CERTIFICATE` for
 * certificates, `X509 CRL` for CRLs; blocks of other labels are skipped),
 * the base64 of one DER object, or the DER bytes.
 */
export type TrustSource = string | Uint8Array | ArrayBuffer;

/** Bounds on the work spent on one bill (spec §8); each defaults as shown. */
export interface Limits {
  /** Default 4194304. */
  maxInputBytes?: number;
  /** Element depth, the root element being 1. Default 64. */
  maxDepth?: number;
  /** Default 100000. */
  maxElements?: number;
  /** Default 10000. */
  maxItems?: number;
  /** One text node or attribute value, in bytes. Default 65536. */
  maxTextBytes?: number;
  /** OFD: the package (the zip file), in bytes. Default 67108864. */
  maxPackageBytes?: number;
  /** OFD: zip entries. Default 10000. */
  maxZipEntries?: number;
  /** OFD: one entry, uncompressed, in bytes. Default 33554432. */
  maxZipEntryBytes?: number;
  /** OFD: all entries together, uncompressed, in bytes. Default 134217728. */
  maxZipTotalBytes?: number;
  /** OFD: uncompressed / compressed size of an entry above 64 KiB. Default 1000. */
  maxZipRatio?: number;
  /** OFD: one entry name, in bytes. Default 512. */
  maxZipPathBytes?: number;
  /** OFD: signatures in one document. Default 64. */
  maxOfdSignatures?: number;
}

/** Options of verify(); nothing is trusted unless given here. */
export interface Options {
  /** The certificates to trust (roots). */
  trustAnchors?: TrustSource[] | null;
  /** Intermediate and signer certificates; not trusted by themselves. */
  certificates?: TrustSource[] | null;
  /** Certificate revocation lists. */
  crls?: TrustSource[] | null;
  /**
   * The time to judge certificates at, in Unix seconds (UTC), used only to
   * tell whether a certificate has expired since signing. Absent (or
   * `undefined`): the current time, `Math.floor(Date.now() / 1000)` when
   * the bill is verified. `null`: no time at all, expiry is not judged
   * (the module itself has no clock).
   */
  now?: number | null;
  limits?: Limits | null;
}

/** Bytes of a file or a module. */
export type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView;

/**
 * Codes of PiaoyanError:
 * - `NOT_INITIALIZED`: a call before init() finished;
 * - `INPUT_TYPE`: an argument of the wrong type (a bill that is not bytes);
 * - `OPTIONS_TYPE`: options of the wrong shape (an unknown key, a list that is not one);
 * - `OPTIONS_PEM`, `OPTIONS_CERTIFICATE`, `OPTIONS_JSON`, other `OPTIONS_*`:
 *   the trust material is rejected (as in docs/abi.md); the message names
 *   the entry, e.g. `trustAnchors[1]`, and `field`/`index` say it apart;
 * - `FORMAT_FAILURE`: parse() on bytes that are not a bill of the profile;
 * - `PEM`, `NOT_A_CERTIFICATE`, `NOT_A_CRL`: describeCertificate/describeCrl/pemBlocks input;
 * - `MODULE`: init() could not fetch, compile or instantiate the module
 *   (an edge runtime that forbids compiling bytes needs a `WebAssembly.Module`);
 * - `FREED`: a call on a Verifier after its free();
 * - `WORKER`: the worker of createWorkerVerifier() failed, exited or was terminated;
 * - `OUT_OF_MEMORY`: pemBlocks() on a text the module has no memory for;
 * - `TRAP`: the verifier stopped on an internal error (a bug); the module has been reset;
 * - `REPORT_JSON`: the report could not be serialised (a bug).
 * A code not listed here is an error of that call all the same.
 */
export type ErrorCode =
  | "NOT_INITIALIZED"
  | "INPUT_TYPE"
  | "OPTIONS_TYPE"
  | "OPTIONS_PEM"
  | "OPTIONS_CERTIFICATE"
  | "OPTIONS_JSON"
  | "FORMAT_FAILURE"
  | "PEM"
  | "NOT_A_CERTIFICATE"
  | "NOT_A_CRL"
  | "MODULE"
  | "FREED"
  | "WORKER"
  | "OUT_OF_MEMORY"
  | "TRAP"
  | "REPORT_JSON"
  | (string & {});

/** Every failure of this package. */
export class PiaoyanError extends Error {
  constructor(code: ErrorCode, message: string, field?: string | null, index?: number | null);
  readonly name: "PiaoyanError";
  readonly code: ErrorCode;
  /**
   * For options the verifier rejects (`OPTIONS_PEM`, `OPTIONS_CERTIFICATE`,
   * `OPTIONS_JSON`): the key at fault, `trustAnchors`, `certificates`,
   * `crls`, `now`, `limits` or `limits.maxDepth` and the like; null for the
   * options as a whole and for every other error.
   */
  readonly field: string | null;
  /** The entry of `field` at fault (`trustAnchors[1]`: 1); else null. */
  readonly index: number | null;
}

// The runtime's own types when its lib declares them (DOM, WebWorker,
// @types/node), `never` otherwise, so that these declarations compile with
// any lib.
type Globals = typeof globalThis;
/** `WebAssembly.Module`. */
export type WasmModule = Globals extends { WebAssembly: { Module: abstract new (...args: any) => infer M } } ? M : never;
/** `Response` of fetch. */
export type FetchResponse = Globals extends { Response: abstract new (...args: any) => infer R } ? R : never;
/** `URL`. */
export type UrlObject = Globals extends { URL: abstract new (...args: any) => infer U } ? U : never;

/**
 * Where init() gets the module: its bytes; a compiled `WebAssembly.Module`
 * (on edge runtimes that forbid compiling bytes, such as Cloudflare
 * Workers, import the `.wasm` as a Module and pass it); a `URL` (fetched);
 * a `Response` or a promise of one (compiled as it streams in when served
 * as `application/wasm`, else from its bytes). A string is not taken: pass
 * `new URL(text, import.meta.url)`.
 */
export type ModuleSource = Bytes | WasmModule | UrlObject | FetchResponse | PromiseLike<FetchResponse>;

/**
 * Instantiates the module: the bundled bytes when `source` is omitted (no
 * fetch), else the module given (ModuleSource). Call and await once before
 * anything else; later calls return the same promise. Anything else as
 * `source` is `INPUT_TYPE`; a module that cannot be fetched, compiled or
 * instantiated is `MODULE`.
 */
export function init(source?: ModuleSource | null): Promise<void>;

/** Whether init() has finished. */
export function isReady(): boolean;

/**
 * Verifies one bill (the bytes of its XML or OFD file). Without `now` in
 * the options, expiry is judged at the current time.
 */
export function verify(bill: Bytes, options?: Options | null): Report;

/** Whether a drawn object's part is covered by a VALID signature. */
export type Signed = "valid" | "uncovered" | "changed";

/** One drawn page (docs/render.md). */
export interface RenderedPage {
  /**
   * A whole SVG document sized in millimetres; every drawn object carries
   * `data-signed="valid|uncovered|changed"`, a changed page a red frame
   * with the words 签名后被改动.
   */
  svg: string;
  widthMm: number;
  heightMm: number;
  /** The worst state of what the page shows. */
  signed: Signed;
}

/** The pages of one input and the verification they were marked by. */
export interface Rendering {
  pages: RenderedPage[];
  report: Report;
}

/**
 * Verifies and draws one bill or OFD document (its file's bytes) as SVG
 * pages: OFD pages as the document describes them, a fiscal bill XML as
 * its paper form. Runs in the render module, a second WebAssembly module
 * loaded on the first call only (no init() needed; verify() never loads
 * it). A drawing past its bounds is a `PiaoyanError` with a code
 * `RENDER_*` (`RENDER_TOO_MANY_OBJECTS`, `RENDER_OUTPUT_TOO_LONG`, ...);
 * an input that is neither is `RENDER_UNREADABLE`.
 */
export function render(input: Bytes, options?: Options | null): Promise<Rendering>;

/**
 * A verifier configured once (createVerifier): the options read and the
 * trust built once, for many bills.
 */
export interface Verifier {
  /** Number of trust anchors, certificates and CRLs configured (PEM blocks counted one by one). */
  readonly trustAnchors: number;
  readonly certificates: number;
  readonly crls: number;
  /**
   * Verifies one bill: the report `verify(bill, options)` gives, byte for
   * byte. With `now` absent from the options, each bill is judged at the
   * current time. A trap is `TRAP` and the next bill gets a fresh instance;
   * after free(), `FREED`.
   */
  verify(bill: Bytes): Report;
  /** Lets the instance go (its memory is reclaimed with it); later verify() calls are `FREED`. */
  free(): void;
  /** free(), for `using`. */
  [Symbol.dispose](): void;
}

/**
 * A verifier for many bills with the same options, on the module's
 * configured ABI (docs/abi.md): the options are checked and the trust
 * built once. Throws what verify() throws for these options (`OPTIONS_*`),
 * and `NOT_INITIALIZED` before init(). Each verifier has a WebAssembly
 * instance of its own (some megabytes of memory), so several may live at
 * once, each with its own trust: free() one when done with it.
 */
export function createVerifier(options?: Options | null): Verifier;

/** A worker to talk to: a Web Worker or a Node `worker_threads` Worker running `piaoyan/worker`. */
export interface WorkerLike {
  postMessage(message: any): void;
  terminate?(): unknown;
  addEventListener?(type: string, listener: (event: any) => void): void;
  on?(type: string, listener: (value: any) => void): unknown;
}

/** Promises over a worker running `piaoyan/worker` (createWorkerVerifier). */
export interface WorkerVerifier {
  /**
   * Verifies one bill in the worker; resolves to its report, or rejects
   * with the PiaoyanError verify() would throw (its code, message, field
   * and index). The bill and options are copied to the worker.
   */
  verify(bill: Bytes, options?: Options | null): Promise<Report>;
  /** Stops the worker; calls pending or later reject with `WORKER`. */
  terminate(): void;
}

/**
 * A client of `piaoyan/worker`: pass a started worker (a module Web Worker,
 * or a Node `worker_threads` Worker whose file calls `serve(parentPort)`),
 * or the worker module's URL (a module Web Worker is started for it).
 * Requests are answered in the order sent. A worker that fails or exits
 * rejects every pending call with `WORKER`.
 */
export function createWorkerVerifier(worker: WorkerLike | UrlObject | string): WorkerVerifier;

/** Parses one bill without verifying it. Throws FORMAT_FAILURE when it is not one. */
export function parse(bill: Bytes): Bill;

/** The verifier version, e.g. `0.1.0`. */
export function version(): string;

/**
 * SHA-256 (64 lower-case hex digits) of the module bytes instantiated by
 * init(): the hash `piaoyan --version` prints for the module it embeds.
 * `null` when init() was given a compiled `WebAssembly.Module`, whose
 * bytes never passed through the package.
 */
export function moduleHash(): string | null;

/** A certificate, summarised (for listing trust material). */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  serial: string;
  /** RFC 3339, UTC. */
  notBefore: string;
  notAfter: string;
  /** Subject equals issuer: a root, the usual trust anchor. */
  selfIssued: boolean;
  /** SHA-256 of the DER, lower-case hex. */
  sha256: string;
}

/** A CRL, summarised. */
export interface CrlSummary {
  issuer: string;
  /** RFC 3339, UTC. */
  thisUpdate: string;
  nextUpdate: string | null;
  /** Number of revoked serial numbers listed. */
  revoked: number;
  sha256: string;
}

/** Summary of one certificate: DER bytes, or a string with exactly one CERTIFICATE PEM block. */
export function describeCertificate(certificate: string | Bytes): CertificateSummary;

/** Summary of one CRL: DER bytes, or a string with exactly one X509 CRL PEM block. */
export function describeCrl(crl: string | Bytes): CrlSummary;

/** The canonical capital spelling (大写) of an amount in fen. */
export function spellAmount(fen: number): string;

/** One PEM block. */
export interface PemBlock {
  /** The label, e.g. `CERTIFICATE`, `X509 CRL`. */
  label: string;
  der: Uint8Array;
}

/**
 * Every PEM block of a text, in order, read by the verifier's own PEM
 * reader (the one that reads the options' entries); after init(), like
 * every call. Throws `PEM` on a block without its END line or with bad base64.
 */
export function pemBlocks(text: string): PemBlock[];
