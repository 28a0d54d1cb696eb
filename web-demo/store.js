// What the page keeps on this device, in IndexedDB: the history of verified
// bills (the payer's own duplicate guard) and the root certificates the
// user added. Nothing here leaves the device. When IndexedDB is not
// available (a private window of some browsers), every call resolves to an
// empty answer and nothing is kept.

const DB = "piaoyan-page";
const VERSION = 1;

let opening = null;

function open() {
  if (opening) return opening;
  opening = new Promise((resolve) => {
    let req;
    try {
      req = indexedDB.open(DB, VERSION);
    } catch {
      resolve(null);
      return;
    }
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("history")) {
        const history = db.createObjectStore("history", { autoIncrement: true });
        history.createIndex("billKey", "billKey");
      }
      if (!db.objectStoreNames.contains("roots")) db.createObjectStore("roots", { keyPath: "sha256" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
    req.onblocked = () => resolve(null);
  });
  return opening;
}

/** Runs `fn(store)` in a transaction; resolves to what its last request returned. */
async function run(name, mode, fn, fallback) {
  const db = await open();
  if (!db) return fallback;
  return new Promise((resolve) => {
    const tx = db.transaction(name, mode);
    let result = fallback;
    const req = fn(tx.objectStore(name));
    if (req) req.onsuccess = () => (result = req.result);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => resolve(fallback);
    tx.onabort = () => resolve(fallback);
  });
}

/** Earlier verifications of a bill: [{billKey, file, verdict, at}], oldest first. */
export const historyOf = (billKey) =>
  run("history", "readonly", (s) => s.index("billKey").getAll(billKey), []);

/** Records one verification. */
export const remember = (entry) => run("history", "readwrite", (s) => s.add(entry), undefined);

/** How many verifications are kept. */
export const historyCount = () => run("history", "readonly", (s) => s.count(), 0);

/** Forgets every verification. */
export const clearHistory = () => run("history", "readwrite", (s) => s.clear(), undefined);

/** The user's roots and other trust files: [{sha256, der, label, kind, file, addedAt}]. */
export const userTrust = () => run("roots", "readonly", (s) => s.getAll(), []);

export const keepTrust = (entry) => run("roots", "readwrite", (s) => s.put(entry), undefined);

export const dropTrust = (sha256) => run("roots", "readwrite", (s) => s.delete(sha256), undefined);
