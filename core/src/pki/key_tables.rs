//! Per-key precomputation for the public keys one verifier meets again and
//! again (one key per issuing unit, one per supervising area): for a key
//! seen a [`KEY_TABLE_AFTER`]th time, a [`KeyTable`] of precomputed
//! multiples, so that
//! u₂·Q costs what u₁·G does (a fixed-base multiplication), and, for SM2,
//! its Z_A.
//!
//! A table is a pure function of the key, so a verification with it gives
//! the very result one without it gives; the cache decides only which keys
//! have one. It holds at most [`KEY_TABLE_ENTRIES`] tables and
//! [`KEY_TABLE_BYTES`] bytes of them, and counts the uses of at most
//! [`KEY_COUNTS`] keys. No clock: a key gets a table on its third use
//! while there is room (not its second: one bill may use a key twice, the
//! CA's for its two signers' certificates, and a verifier used for one
//! bill only would make a table it never uses); when there is none, only a key used more than
//! twice as often as the least used table's key takes that table's place
//! (so keys taking turns never evict each other for nothing), and every
//! [`KEY_AGE_EVERY`] uses all counts are halved, so that keys no longer
//! used give way.
//!
//! Like the trust store's memos (`path.rs`), the state sits behind a lock
//! that is only ever tried: a thread finding it in use verifies without a
//! table, and tables are made outside it, so no thread waits or spins.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::sync::Arc;
use core::fmt;
use spin::Mutex;

use super::ecc::{Affine, FixedTable};
use super::keys::{KeyAlgorithm, PublicKey};

/// The most tables a cache holds.
pub const KEY_TABLE_ENTRIES: usize = 128;

/// The most bytes of tables a cache holds (each is 8 KiB).
pub const KEY_TABLE_BYTES: usize = 1 << 20;

/// The most keys whose uses are counted (with or without a table).
pub const KEY_COUNTS: usize = 512;

/// The use of a key that makes its table (making one costs about one and a
/// half verifications; each use of it then saves about two thirds of one).
pub const KEY_TABLE_AFTER: u32 = 3;

/// Uses between two halvings of every count.
pub const KEY_AGE_EVERY: u32 = 8192;

/// The tables a cache may hold: the smaller of both bounds.
const TABLES: usize = {
    let by_bytes = KEY_TABLE_BYTES / KeyTable::BYTES;
    if by_bytes < KEY_TABLE_ENTRIES {
        by_bytes
    } else {
        KEY_TABLE_ENTRIES
    }
};

// Both bounds hold, and leave room for a hundred keys.
const _: () = assert!(TABLES * KeyTable::BYTES <= KEY_TABLE_BYTES && TABLES >= 100);
const _: () = assert!(KEY_COUNTS > TABLES);

/// What a key's repeated verifications share.
#[derive(Debug)]
pub(crate) struct KeyTable {
    /// Multiples of Q for a fixed-base multiplication.
    pub(crate) fixed: FixedTable,
    /// Z_A for an SM2 key, `None` for P-256.
    pub(crate) z: Option<[u8; 32]>,
}

impl KeyTable {
    /// The bytes one table holds (counted against [`KEY_TABLE_BYTES`]):
    /// its points, itself and the `Arc`'s two counts.
    pub(crate) const BYTES: usize =
        FixedTable::BYTES + core::mem::size_of::<KeyTable>() + 2 * core::mem::size_of::<usize>();
}

/// A key as the cache tells keys apart: its curve and point.
#[derive(Clone, Copy, PartialEq, Eq)]
struct KeyId {
    alg: KeyAlgorithm,
    point: Affine,
}

impl KeyId {
    fn of(key: &PublicKey) -> KeyId {
        KeyId {
            alg: key.algorithm(),
            point: *key.curve_point().1,
        }
    }
}

/// One counted key.
struct Entry {
    id: KeyId,
    uses: u32,
    table: Option<Arc<KeyTable>>,
}

#[derive(Default)]
struct State {
    entries: Vec<Entry>,
    /// Entries with a table.
    tables: usize,
    /// Uses since the last halving.
    since_aging: u32,
}

/// What [`State::note_use`] decided.
enum Decision {
    Use(Arc<KeyTable>),
    Make,
    Without,
}

impl State {
    /// Counts a use of `id` and decides whether it has, gets or goes
    /// without a table.
    fn note_use(&mut self, id: KeyId) -> Decision {
        self.since_aging += 1;
        if self.since_aging >= KEY_AGE_EVERY {
            self.since_aging = 0;
            for e in &mut self.entries {
                e.uses /= 2;
            }
        }
        let Some(at) = self.entries.iter().position(|e| e.id == id) else {
            self.count_new(id);
            return Decision::Without;
        };
        let Some(entry) = self.entries.get_mut(at) else {
            return Decision::Without;
        };
        entry.uses = entry.uses.saturating_add(1);
        if let Some(table) = &entry.table {
            return Decision::Use(table.clone());
        }
        let uses = entry.uses;
        if uses < KEY_TABLE_AFTER {
            return Decision::Without;
        }
        if self.tables < TABLES {
            return Decision::Make;
        }
        // Full: the least used table gives way to a key used more than
        // twice as often.
        let least = self
            .entries
            .iter_mut()
            .filter(|e| e.table.is_some())
            .min_by_key(|e| e.uses);
        match least {
            Some(least) if least.uses.saturating_mul(2) < uses => {
                least.table = None;
                self.tables -= 1;
                Decision::Make
            }
            _ => Decision::Without,
        }
    }

    /// Starts counting `id`; when full, the least used key without a
    /// table is forgotten first.
    fn count_new(&mut self, id: KeyId) {
        if self.entries.len() >= KEY_COUNTS {
            let least = self
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.table.is_none())
                .min_by_key(|(_, e)| e.uses)
                .map(|(i, _)| i);
            match least {
                Some(i) => {
                    self.entries.swap_remove(i);
                }
                // Cannot happen (KEY_COUNTS > TABLES): then count nothing.
                None => return,
            }
        }
        self.entries.push(Entry {
            id,
            uses: 1,
            table: None,
        });
    }

    /// Keeps a table made for `id`, if it is still counted, has none and
    /// there is room.
    fn keep(&mut self, id: KeyId, table: &Arc<KeyTable>) {
        if self.tables >= TABLES {
            return;
        }
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == id)
            && e.table.is_none()
        {
            e.table = Some(table.clone());
            self.tables += 1;
        }
    }
}

/// The per-key tables of one verifier (see the module documentation).
#[derive(Default)]
pub struct KeyTables {
    state: Mutex<State>,
}

/// A clone starts empty, like the trust store's memos.
impl Clone for KeyTables {
    fn clone(&self) -> Self {
        KeyTables::default()
    }
}

impl fmt::Debug for KeyTables {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (keys, tables) = self
            .state
            .try_lock()
            .map_or((usize::MAX, usize::MAX), |s| (s.entries.len(), s.tables));
        f.debug_struct("KeyTables")
            .field("keys", &keys)
            .field("tables", &tables)
            .finish()
    }
}

impl KeyTables {
    /// The table to verify a signature of `key` with, if it has or now
    /// gets one; counts the use.
    pub(crate) fn table_for(&self, key: &PublicKey) -> Option<Arc<KeyTable>> {
        let (curve, point) = key.curve_point();
        let id = KeyId::of(key);
        let decision = self.state.try_lock()?.note_use(id);
        match decision {
            Decision::Use(table) => Some(table),
            Decision::Without => None,
            Decision::Make => {
                let table = Arc::new(KeyTable {
                    fixed: curve.fixed_table(point),
                    z: key.sm2_z(),
                });
                if let Some(mut state) = self.state.try_lock() {
                    state.keep(id, &table);
                }
                Some(table)
            }
        }
    }

    /// (keys counted, tables held); `None` while another thread holds the
    /// lock. For tests and benchmarks.
    pub fn held(&self) -> Option<(usize, usize)> {
        self.state
            .try_lock()
            .map(|s| (s.entries.len(), s.tables))
    }

    /// Whether `key` has a table now (`false` while another thread holds
    /// the lock). For tests.
    pub fn has_table(&self, key: &PublicKey) -> bool {
        let id = KeyId::of(key);
        self.state
            .try_lock()
            .is_some_and(|s| s.entries.iter().any(|e| e.id == id && e.table.is_some()))
    }

    /// The bytes of tables held now (at most [`KEY_TABLE_BYTES`]).
    pub fn table_bytes(&self) -> Option<usize> {
        self.held().map(|(_, tables)| tables * KeyTable::BYTES)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::ecc::P256;

    /// A distinct id per number (the policy never looks at the point).
    fn id(i: usize) -> KeyId {
        let mut point = P256.g;
        point.x[0] = i as _;
        KeyId {
            alg: KeyAlgorithm::P256,
            point,
        }
    }

    /// Plays `uses` on a state, keeping a (shared) table whenever one is
    /// to be made; returns how many were made.
    fn play(state: &mut State, table: &Arc<KeyTable>, uses: impl Iterator<Item = usize>) -> usize {
        let mut made = 0;
        for i in uses {
            if let Decision::Make = state.note_use(id(i)) {
                made += 1;
                state.keep(id(i), table);
            }
            assert!(state.tables <= TABLES);
            assert!(state.tables * KeyTable::BYTES <= KEY_TABLE_BYTES);
            assert!(state.entries.len() <= KEY_COUNTS);
            assert_eq!(
                state.tables,
                state.entries.iter().filter(|e| e.table.is_some()).count()
            );
        }
        made
    }

    fn some_table() -> Arc<KeyTable> {
        Arc::new(KeyTable {
            fixed: P256.fixed_table(&P256.g),
            z: None,
        })
    }

    #[test]
    fn bounds_hold_and_keys_taking_turns_do_not_evict_each_other() {
        let table = some_table();
        let mut state = State::default();
        // Keys used once or twice never get a table.
        let twice = (0..3 * KEY_COUNTS).flat_map(|i| [i, i]);
        assert_eq!(play(&mut state, &table, twice), 0);
        assert_eq!(state.entries.len(), KEY_COUNTS);
        // 300 keys in turn, five rounds: the first TABLES to come back get
        // one, and then no key takes another's.
        let mut state = State::default();
        let rounds = (0..5).flat_map(|_| 0..300);
        assert_eq!(play(&mut state, &table, rounds), TABLES);
        // A key used more than twice as often as the least used table's
        // takes its place.
        let hot = (0..11).map(|_| 1000);
        assert_eq!(play(&mut state, &table, hot), 1);
        assert!(state.entries.iter().any(|e| e.id == id(1000) && e.table.is_some()));
        assert_eq!(state.tables, TABLES);
    }

    #[test]
    fn counts_age() {
        let table = some_table();
        let mut state = State::default();
        play(&mut state, &table, (0..8).map(|_| 1));
        play(&mut state, &table, (0..KEY_AGE_EVERY as usize - 8).map(|i| 2 + i % 100));
        let uses = |s: &State| s.entries.iter().find(|e| e.id == id(1)).map(|e| e.uses);
        assert_eq!(uses(&state), Some(4));
    }

    #[test]
    fn third_use_makes_a_table_that_verifies_the_same() {
        use crate::pki::keys::{EcSignature, PublicKey};
        // The GB/T 32918.5 example key and signature.
        let pk = crate::pki::tlv::unhex(
            "0409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13",
        )
        .unwrap();
        let key = PublicKey::from_sec1(KeyAlgorithm::Sm2, &pk).unwrap();
        let mut sig = EcSignature { r: [0; 32], s: [0; 32] };
        sig.r.copy_from_slice(
            &crate::pki::tlv::unhex("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3")
                .unwrap(),
        );
        sig.s.copy_from_slice(
            &crate::pki::tlv::unhex("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")
                .unwrap(),
        );
        let tables = KeyTables::default();
        for _ in 1..KEY_TABLE_AFTER {
            assert!(key.verify_with(&tables, b"message digest", &sig).is_ok());
            assert!(!tables.has_table(&key));
            assert_eq!(tables.held(), Some((1, 0)));
        }
        assert!(key.verify_with(&tables, b"message digest", &sig).is_ok());
        assert!(tables.has_table(&key));
        assert_eq!(tables.table_bytes(), Some(KeyTable::BYTES));
        let wrong = key.verify_with(&tables, b"message digesT", &sig);
        assert_eq!(wrong, key.verify(b"message digesT", &sig));
        assert!(wrong.is_err());
        // A clone starts empty; a busy lock means no table, not a wait.
        assert_eq!(tables.clone().held(), Some((0, 0)));
        let busy = tables.state.lock();
        assert!(tables.table_for(&key).is_none());
        assert!(key.verify_with(&tables, b"message digest", &sig).is_ok());
        drop(busy);
        assert_eq!(tables.held(), Some((1, 1)));
    }
}
