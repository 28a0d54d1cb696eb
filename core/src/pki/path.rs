//! The host's trust material and certification path building.
//!
//! Depth-first search with backtracking over every candidate issuer, like
//! rustls-webpki: names chain, signatures verify, CA constraints hold, no
//! certificate repeats, at most [`MAX_PATH_LEN`] certificates, at most
//! [`SIGNATURE_BUDGET`] signature verifications per search. Validity periods
//! and revocation are the caller's (checked at the signing time).

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;
use spin::Mutex;

use super::cert::{Cert, CertError};
use super::crl::Crl;
use super::key_tables::KeyTables;
use super::name;

/// The longest path, signer and anchor included.
pub const MAX_PATH_LEN: usize = 8;

/// The most signature verifications one [`TrustStore::build_path`] call
/// may spend.
pub const SIGNATURE_BUDGET: usize = 100;

/// Why no path was built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// No acceptable path to a trust anchor; the text says why.
    NoPath(String),
    /// The search needed more than [`SIGNATURE_BUDGET`] signature
    /// verifications and was abandoned.
    BudgetExceeded,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::NoPath(m) => write!(f, "no certification path: {m}"),
            PathError::BudgetExceeded => write!(
                f,
                "path building exceeded its budget of {SIGNATURE_BUDGET} signature verifications"
            ),
        }
    }
}

impl core::error::Error for PathError {}

/// The most entries each cache of a [`TrustStore`] holds; a full cache
/// is emptied before the next entry goes in.
pub const CACHE_ENTRIES: usize = 256;

/// The largest key a cache keeps (the certificates of a real bill are a
/// few KiB); larger arguments are computed every time, so a cache holds at
/// most [`CACHE_ENTRIES`] × 64 KiB, whatever the bills carry.
pub const CACHE_KEY_BYTES: usize = 64 * 1024;

/// An item of the trust material as the options JSON names it: entry
/// `index` of `field` (`trustAnchors`, `certificates` or `crls`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemName {
    pub field: &'static str,
    pub index: usize,
}

impl core::fmt::Display for ItemName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}[{}]", self.field, self.index)
    }
}

impl PartialEq<&str> for ItemName {
    fn eq(&self, other: &&str) -> bool {
        other
            .strip_prefix(self.field)
            .and_then(|rest| rest.strip_prefix('['))
            .and_then(|rest| rest.strip_suffix(']'))
            .is_some_and(|index| index.parse() == Ok(self.index))
    }
}

/// Trust anchors, the host's certificate store and CRLs, parsed once.
///
/// A store used for many bills (one [`crate::Verifier`], one configured
/// WebAssembly instance) remembers what repeats from bill to bill: the
/// result of [`TrustStore::build_path`] for a signer and the certificates
/// its bill carries, and which of the CRLs an issuer issued (Name and
/// signature checked). Both are pure functions of the store and their
/// arguments, and the keys are the complete DER of those arguments, so a
/// remembered result is the very result a new search would give: caching
/// changes no verdict, only how many names are compared and signatures
/// verified. It also keeps the [`KeyTables`] of the keys its bills are
/// signed with.
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    anchors: Vec<Cert>,
    store: Vec<Cert>,
    crls: Vec<Crl>,
    cache: Cache,
}

/// A remembered [`TrustStore::build_path`] result.
type PathResult = Result<Vec<Cert>, PathError>;

/// Memoised results (see [`TrustStore`]). Interior mutability keeps the
/// store usable through `&self`, and a lock that is only ever tried makes
/// it shareable between threads (`Verifier` is `Send + Sync`): a thread
/// that finds a memo in use by another computes the result itself, so no
/// thread ever waits or spins.
#[derive(Default)]
struct Cache {
    /// Key: [`path_key`] of the signer and the extra certificates.
    paths: Mutex<Memo<Vec<u8>, PathResult>>,
    /// Key: an issuer's DER; value: the indices of the CRLs it issued
    /// (issuer Name equal to its subject, signature verified by its key).
    issuer_crls: Mutex<Memo<Vec<u8>, Vec<usize>>>,
    /// Precomputation for the signers' keys (see [`KeyTables`]).
    keys: KeyTables,
}

/// A memo of at most [`CACHE_ENTRIES`] (key, value) pairs, searched in
/// order: small enough for a linear search, and much smaller code in the
/// WebAssembly module than a `BTreeMap` per key type.
type Memo<K, V> = Vec<(K, V)>;

/// A clone starts with an empty cache: cheap, and always correct.
impl Clone for Cache {
    fn clone(&self) -> Self {
        Cache::default()
    }
}

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = |m: Option<usize>| m.unwrap_or(usize::MAX);
        f.debug_struct("Cache")
            .field("paths", &len(self.paths.try_lock().map(|m| m.len())))
            .field(
                "issuer_crls",
                &len(self.issuer_crls.try_lock().map(|m| m.len())),
            )
            .field("keys", &self.keys)
            .finish()
    }
}

/// Looks `key` up; on a miss computes the value and remembers it, emptying
/// the map first when it holds [`CACHE_ENTRIES`]. A key above
/// [`CACHE_KEY_BYTES`] is neither looked up nor kept. Never panics or
/// waits: a map in use (by another thread) is simply not used.
fn memoised<V: Clone>(
    map: &Mutex<Memo<Vec<u8>, V>>,
    key: Vec<u8>,
    compute: impl FnOnce() -> V,
) -> V {
    if key.len() > CACHE_KEY_BYTES {
        return compute();
    }
    let hit = |m: &Memo<Vec<u8>, V>| m.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
    if let Some(hit) = map.try_lock().and_then(|m| hit(&m)) {
        return hit;
    }
    let value = compute();
    if let Some(mut m) = map.try_lock() {
        if m.len() >= CACHE_ENTRIES {
            m.clear();
        }
        match m.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value.clone(),
            None => m.push((key, value.clone())),
        }
    }
    value
}

/// The complete DER of the signer and of each extra certificate, in order,
/// each preceded by its length, so that different arguments never share a
/// key.
fn path_key(signer: &Cert, extra: &[Cert]) -> Vec<u8> {
    let size = extra.iter().map(|c| c.der().len() + 8).sum::<usize>() + signer.der().len() + 8;
    let mut key = Vec::with_capacity(size);
    for der in core::iter::once(signer).chain(extra).map(Cert::der) {
        key.extend_from_slice(&(der.len() as u64).to_be_bytes());
        key.extend_from_slice(der);
    }
    key
}

impl TrustStore {
    /// From parsed material.
    pub fn new(anchors: Vec<Cert>, store: Vec<Cert>, crls: Vec<Crl>) -> TrustStore {
        TrustStore {
            anchors,
            store,
            crls,
            cache: Cache::default(),
        }
    }

    /// From DER. The error names the item (`trustAnchors[1]`,
    /// `certificates[0]`, `crls[2]`, as in the options JSON).
    pub fn from_der(
        anchors: &[Vec<u8>],
        store: &[Vec<u8>],
        crls: &[Vec<u8>],
    ) -> Result<TrustStore, (ItemName, CertError)> {
        let certs = |items: &[Vec<u8>], field: &'static str| {
            items
                .iter()
                .enumerate()
                .map(|(index, der)| Cert::from_der(der).map_err(|e| (ItemName { field, index }, e)))
                .collect::<Result<Vec<_>, _>>()
        };
        let anchors = certs(anchors, "trustAnchors")?;
        let store = certs(store, "certificates")?;
        let crls = crls
            .iter()
            .enumerate()
            .map(|(index, der)| {
                let field = "crls";
                Crl::from_der(der).map_err(|e| (ItemName { field, index }, e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrustStore::new(anchors, store, crls))
    }

    /// The host's certificate store.
    pub fn store(&self) -> &[Cert] {
        &self.store
    }

    /// The trust anchors.
    pub fn anchors(&self) -> &[Cert] {
        &self.anchors
    }

    /// The CRLs.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// The per-key tables for the signatures of the bills this store
    /// serves ([`crate::pki::PublicKey::verify_with`]).
    pub fn key_tables(&self) -> &KeyTables {
        &self.cache.keys
    }

    /// A certificate of the host store (not the anchors) named by KeyInfo
    /// issuer (RFC 4514) and serial (hex); see [`Cert::matches_issuer_serial`].
    pub fn find_by_issuer_serial(&self, issuer_rfc4514: &str, serial_hex: &str) -> Option<&Cert> {
        self.store
            .iter()
            .find(|c| c.matches_issuer_serial(issuer_rfc4514, serial_hex))
    }

    /// Builds a path from `signer` to a trust anchor, with `extra`
    /// (certificates from the bill) and the host store as intermediates.
    /// Returns clones of the certificates, signer first, anchor last; a
    /// signer that is itself an anchor gives a path of one.
    ///
    /// Checked: each certificate's issuer Name equals the next one's
    /// subject (decoded Name equality, see `name::names_equal`), each
    /// signature verifies with the next certificate's key, intermediates
    /// have basicConstraints cA=TRUE, keyCertSign when keyUsage is present,
    /// respect pathLenConstraint and carry no unhandled critical extension
    /// (the signer neither); anchors are taken as they are. No certificate
    /// twice, at most [`MAX_PATH_LEN`] certificates, at most
    /// [`SIGNATURE_BUDGET`] signature verifications. Not checked: validity
    /// periods, revocation, key usage of the signer.
    ///
    /// The result for the same signer and extra certificates is remembered
    /// (see [`TrustStore`]).
    pub fn build_path(&self, signer: &Cert, extra: &[Cert]) -> Result<Vec<Cert>, PathError> {
        memoised(&self.cache.paths, path_key(signer, extra), || {
            self.search_path(signer, extra)
        })
    }

    /// [`TrustStore::build_path`] without the cache.
    fn search_path(&self, signer: &Cert, extra: &[Cert]) -> Result<Vec<Cert>, PathError> {
        if self.anchors.iter().any(|a| a == signer) {
            return Ok(vec![signer.clone()]);
        }
        if let Some(oid) = signer.unhandled_critical_extensions().first() {
            return Err(PathError::NoPath(format!(
                "the signer certificate {} has an unhandled critical extension {oid}",
                signer.subject_string()
            )));
        }
        let mut candidates: Vec<&Cert> = Vec::new();
        for c in extra.iter().chain(self.store.iter()) {
            if !candidates.contains(&c) && !self.anchors.contains(c) {
                candidates.push(c);
            }
        }
        let mut search = Search {
            anchors: &self.anchors,
            tables: &self.cache.keys,
            candidates,
            spent: 0,
            notes: Vec::new(),
        };
        let mut path = vec![signer];
        if search.extend(&mut path)? {
            Ok(path.into_iter().cloned().collect())
        } else {
            Err(PathError::NoPath(search.explain(signer)))
        }
    }

    /// The revocation time of `cert` (issued by `issuer`) according to the
    /// host's CRLs whose issuer Name equals `issuer`'s subject and whose
    /// signature verifies with `issuer`'s key (and `issuer` may sign CRLs:
    /// cRLSign when keyUsage is present). The earliest time if several
    /// list it; `None` if none does.
    pub fn revocation_time(&self, cert: &Cert, issuer: &Cert) -> Option<i64> {
        if issuer.key_usage().is_some_and(|ku| !ku.crl_sign) {
            return None;
        }
        let issued_by = || -> Vec<usize> {
            self.crls
                .iter()
                .enumerate()
                .filter(|(_, crl)| name::names_equal(crl.issuer_der(), issuer.subject_der()))
                .filter(|(_, crl)| crl.verify_signed_by(issuer).is_ok())
                .map(|(i, _)| i)
                .collect()
        };
        let issued = memoised(&self.cache.issuer_crls, issuer.der().to_vec(), issued_by);
        issued
            .iter()
            .filter_map(|&i| self.crls.get(i)?.revocation_time(cert.serial()))
            .min()
    }
}

struct Search<'a> {
    anchors: &'a [Cert],
    tables: &'a KeyTables,
    candidates: Vec<&'a Cert>,
    spent: usize,
    notes: Vec<String>,
}

impl<'a> Search<'a> {
    /// Extends `path` (non-empty) up to an anchor. `Ok(true)`: done, the
    /// anchor is the last element; `Ok(false)`: no way from here.
    fn extend(&mut self, path: &mut Vec<&'a Cert>) -> Result<bool, PathError> {
        let Some(&child) = path.last() else {
            return Ok(false);
        };
        let mut issuer_named = false;
        let anchors = self.anchors;
        for anchor in anchors {
            if !name::names_equal(child.issuer_der(), anchor.subject_der()) {
                continue;
            }
            issuer_named = true;
            self.spend()?;
            match child.verify_issued_by_with(anchor, self.tables) {
                Ok(()) => {
                    path.push(anchor);
                    return Ok(true);
                }
                Err(e) => self.note(format!(
                    "{} does not verify with trust anchor {}: {e}",
                    child.subject_string(),
                    anchor.subject_string()
                )),
            }
        }
        if path.len() + 2 > MAX_PATH_LEN {
            self.note(format!(
                "path length limit of {MAX_PATH_LEN} certificates reached at {}",
                child.subject_string()
            ));
            return Ok(false);
        }
        let mut next: Vec<&'a Cert> = self
            .candidates
            .iter()
            .copied()
            .filter(|c| name::names_equal(child.issuer_der(), c.subject_der()))
            .collect();
        if let Some(aki) = child.authority_key_identifier() {
            // Candidates whose key identifier matches first, each group in
            // its order (a stable partition: smaller code than a sort).
            let (mut matching, others): (Vec<&'a Cert>, Vec<&'a Cert>) = next
                .into_iter()
                .partition(|c| c.subject_key_identifier() == Some(aki));
            matching.extend(others);
            next = matching;
        }
        let mut looped = false;
        for candidate in next {
            if path.contains(&candidate) {
                if candidate != child {
                    looped = true;
                    self.note(format!(
                        "{} is already in the path (a loop)",
                        candidate.subject_string()
                    ));
                }
                continue;
            }
            issuer_named = true;
            if let Err(why) = ca_acceptable(candidate, path) {
                self.note(why);
                continue;
            }
            self.spend()?;
            if let Err(e) = child.verify_issued_by_with(candidate, self.tables) {
                self.note(format!(
                    "{} does not verify with {}: {e}",
                    child.subject_string(),
                    candidate.subject_string()
                ));
                continue;
            }
            path.push(candidate);
            if self.extend(path)? {
                return Ok(true);
            }
            path.pop();
        }
        if !issuer_named && !looped {
            if child.is_self_issued() {
                self.note(format!(
                    "{} is self-issued and not a trust anchor",
                    child.subject_string()
                ));
            } else {
                self.note(format!(
                    "no trust anchor or certificate has the subject {} (issuer of {})",
                    child.issuer_string(),
                    child.subject_string()
                ));
            }
        }
        Ok(false)
    }

    fn spend(&mut self) -> Result<(), PathError> {
        if self.spent >= SIGNATURE_BUDGET {
            return Err(PathError::BudgetExceeded);
        }
        self.spent += 1;
        Ok(())
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    fn explain(&self, signer: &Cert) -> String {
        const SHOWN: usize = 6;
        let mut text = format!("from {}: ", signer.subject_string());
        if self.notes.is_empty() {
            text.push_str("no candidate issuer");
        }
        text.push_str(&crate::text::join(
            self.notes.iter().take(SHOWN).map(String::as_str),
            "; ",
        ));
        if self.notes.len() > SHOWN {
            text.push_str(&format!("; and {} more", self.notes.len() - SHOWN));
        }
        text
    }
}

/// Whether `ca` may issue the last certificate of `path` as an
/// intermediate (RFC 5280 §6.1.4 (k), (l), (n), (o)).
fn ca_acceptable(ca: &Cert, path: &[&Cert]) -> Result<(), String> {
    let who = || ca.subject_string();
    if ca.is_ca() != Some(true) {
        return Err(format!(
            "{} is not a CA certificate (basicConstraints cA not TRUE)",
            who()
        ));
    }
    if ca.key_usage().is_some_and(|ku| !ku.key_cert_sign) {
        return Err(format!("{} lacks the keyUsage keyCertSign", who()));
    }
    if let Some(oid) = ca.unhandled_critical_extensions().first() {
        return Err(format!(
            "{} has an unhandled critical extension {oid}",
            who()
        ));
    }
    if let Some(max) = ca.path_len_constraint() {
        // Non-self-issued intermediates between `ca` and the signer.
        let below = path.iter().skip(1).filter(|c| !c.is_self_issued()).count();
        if u32::try_from(below).map_or(true, |b| b > max) {
            return Err(format!(
                "{} allows {max} intermediate certificate(s) below it, the path has {below}",
                who()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memoised_computes_once_and_stays_bounded() {
        let map = Mutex::new(Memo::new());
        let key = |k: u32| k.to_be_bytes().to_vec();
        let mut calls = 0;
        for round in 0..2 {
            for k in 0..10u32 {
                let v = memoised(&map, key(k), || {
                    calls += 1;
                    k * 2
                });
                assert_eq!(v, k * 2, "round {round}");
            }
        }
        assert_eq!(calls, 10, "the second round is all hits");
        for k in 0..(CACHE_ENTRIES as u32 * 3) {
            memoised(&map, key(k), || k);
            assert!(map.lock().len() <= CACHE_ENTRIES);
        }
        // A key above the byte bound is computed every time, never kept.
        map.lock().clear();
        let big = vec![1u8; CACHE_KEY_BYTES + 1];
        let mut big_calls = 0;
        for _ in 0..2 {
            memoised(&map, big.clone(), || {
                big_calls += 1;
                1
            });
        }
        assert_eq!(big_calls, 2);
        assert!(map.lock().is_empty());
        // A map in use (another thread) is bypassed, not a panic.
        let held = map.lock();
        let mut again = 0;
        assert_eq!(
            memoised(&map, key(7), || {
                again += 1;
                7
            }),
            7
        );
        assert_eq!(again, 1);
        drop(held);
    }

    #[test]
    fn path_keys_tell_arguments_apart() {
        // Length prefixes: the same bytes split differently differ.
        let mut a = Vec::new();
        for der in [&b"ab"[..], b"c"] {
            a.extend_from_slice(&(der.len() as u64).to_be_bytes());
            a.extend_from_slice(der);
        }
        let mut b = Vec::new();
        for der in [&b"a"[..], b"bc"] {
            b.extend_from_slice(&(der.len() as u64).to_be_bytes());
            b.extend_from_slice(der);
        }
        assert_ne!(a, b);
    }

    /// Every shared vector bill gets the same report from one verifier used
    /// for all of them (warm caches, in two orders) as from a fresh verifier
    /// per bill.
    #[test]
    fn caches_change_no_report() {
        use crate::{Verifier, VerifyOptions};
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/bills");
        let pem = |name: &str, label: &str| {
            let text = std::fs::read_to_string(dir.join("trust").join(name)).expect("trust PEM");
            crate::options::pem_blocks(&text, label).expect("PEM")
        };
        let options = VerifyOptions {
            trust_anchors: pem("roots.pem", "CERTIFICATE"),
            certificates: pem("intermediates.pem", "CERTIFICATE"),
            crls: pem("crls.pem", "X509 CRL"),
            now: Some(1_767_225_600),
            ..VerifyOptions::default()
        };
        let mut bills: Vec<_> = std::fs::read_dir(&dir)
            .expect("shared/vectors/bills")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        bills.sort();
        assert!(bills.len() > 100, "{} bills", bills.len());
        let bills: Vec<Vec<u8>> = bills.iter().map(|p| std::fs::read(p).unwrap()).collect();
        let json = |r: &crate::Report| serde_json::to_string(r).unwrap();
        let fresh: Vec<String> = bills
            .iter()
            .map(|b| json(&Verifier::new(&options).unwrap().verify(b)))
            .collect();
        let store =
            TrustStore::from_der(&options.trust_anchors, &options.certificates, &options.crls)
                .unwrap();
        let verify = |bill: &[u8]| {
            json(&crate::bill_pipeline::verify_bill(
                bill,
                &store,
                &options.limits,
                options.now,
            ))
        };
        for _ in 0..2 {
            for (bill, want) in bills.iter().zip(&fresh) {
                assert_eq!(&verify(bill), want);
            }
        }
        for (bill, want) in bills.iter().zip(&fresh).rev() {
            assert_eq!(&verify(bill), want);
        }
        let paths = store.cache.paths.lock().len();
        let crls = store.cache.issuer_crls.lock().len();
        assert!(
            paths > 0 && crls > 0,
            "the caches were used: {paths} {crls}"
        );
    }
}
