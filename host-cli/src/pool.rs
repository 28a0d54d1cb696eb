//! Parallel verification with exact accounting.
//!
//! `jobs` threads take input indices in order and send one record each to
//! the calling thread, which hands them to the sink: in input order (a
//! reorder buffer holds the ones that finished early) or, `unordered`, as
//! they come. Workers never run more than `window` inputs ahead of the sink,
//! so the buffer stays small however slow one bill or the output is.
//!
//! Every index gets exactly one record: a worker that panics on an input
//! gives a `HOST` error record for it (and is reset), and should a record
//! still be missing when every worker is done, a `LOST` record takes its
//! place.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};

/// What a worker thread does with one input.
pub trait Work: Send {
    type Record: Send;
    /// The record of input `index`.
    fn process(&mut self, index: usize) -> Self::Record;
    /// Called after `process` panicked: drop whatever state it left.
    fn reset(&mut self);
}

/// The sink refused a record (the output is gone); the run stops.
#[derive(Debug)]
pub struct Stopped;

struct Progress {
    /// Next index to hand out.
    next: usize,
    /// Records the sink has taken.
    written: usize,
    stop: bool,
}

/// A panic never happens while the lock is held; take it anyway.
fn lock(m: &Mutex<Progress>) -> std::sync::MutexGuard<'_, Progress> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `workers` (one thread each) over the indices `0..total`.
///
/// `failed(index, code, message)` makes the record of an input whose worker
/// panicked (`HOST`) or whose record went missing (`LOST`). `sink(index,
/// record)` gets every record exactly once; an error from it stops the run.
pub fn run<W: Work>(
    total: usize,
    workers: Vec<W>,
    ordered: bool,
    window: usize,
    failed: &(dyn Fn(usize, &'static str, String) -> W::Record + Sync),
    mut sink: impl FnMut(usize, W::Record) -> Result<(), Stopped>,
) -> Result<(), Stopped> {
    let window = window.max(1);
    let shared = (
        Mutex::new(Progress {
            next: 0,
            written: 0,
            stop: false,
        }),
        Condvar::new(),
    );
    let stop_all = || {
        lock(&shared.0).stop = true;
        shared.1.notify_all();
    };
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, W::Record)>();
        for mut worker in workers {
            let tx = tx.clone();
            let shared = &shared;
            scope.spawn(move || {
                loop {
                    let index = {
                        let mut p = lock(&shared.0);
                        loop {
                            if p.stop || p.next >= total {
                                return;
                            }
                            if p.next < p.written + window {
                                break;
                            }
                            p = shared.1.wait(p).unwrap_or_else(PoisonError::into_inner);
                        }
                        p.next += 1;
                        p.next - 1
                    };
                    let record = match catch_unwind(AssertUnwindSafe(|| worker.process(index))) {
                        Ok(record) => record,
                        Err(panic) => {
                            let text = panic
                                .downcast_ref::<&str>()
                                .map(|s| s.to_string())
                                .or_else(|| panic.downcast_ref::<String>().cloned())
                                .unwrap_or_default();
                            worker.reset();
                            failed(
                                index,
                                "HOST",
                                format!("internal error of the host on this input: {text}"),
                            )
                        }
                    };
                    if tx.send((index, record)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);

        let mut emit = |index: usize, record: W::Record| -> Result<(), Stopped> {
            sink(index, record)?;
            lock(&shared.0).written += 1;
            shared.1.notify_all();
            Ok(())
        };
        let mut pending: BTreeMap<usize, W::Record> = BTreeMap::new();
        let mut next_out = 0;
        let mut seen = vec![false; if ordered { 0 } else { total }];
        for (index, record) in rx.iter() {
            let step = if ordered {
                pending.insert(index, record);
                let mut step = Ok(());
                while let Some(record) = pending.remove(&next_out) {
                    step = emit(next_out, record);
                    next_out += 1;
                    if step.is_err() {
                        break;
                    }
                }
                step
            } else {
                if let Some(s) = seen.get_mut(index) {
                    *s = true;
                }
                emit(index, record)
            };
            if step.is_err() {
                stop_all();
                return step;
            }
        }
        drop(rx);
        // Every worker is done; whatever did not arrive is lost.
        let lost = |i: usize| {
            failed(
                i,
                "LOST",
                "internal error of the host: this input got no record".into(),
            )
        };
        if ordered {
            for i in next_out..total {
                let record = pending.remove(&i).unwrap_or_else(|| lost(i));
                emit(i, record)?;
            }
        } else {
            for i in (0..total).filter(|&i| !seen[i]) {
                emit(i, lost(i))?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    struct Sleepy<'a> {
        in_flight: &'a AtomicUsize,
    }

    impl Work for Sleepy<'_> {
        type Record = String;
        fn process(&mut self, index: usize) -> String {
            self.in_flight.fetch_add(1, Ordering::SeqCst);
            // Later inputs finish sooner: the reorder buffer is exercised.
            std::thread::sleep(Duration::from_micros(((7 - index % 7) * 300) as u64));
            if index % 13 == 5 {
                panic!("boom at {index}");
            }
            format!("r{index}")
        }
        fn reset(&mut self) {}
    }

    fn failed(i: usize, code: &'static str, message: String) -> String {
        format!("{code}{i}:{}", message.contains("boom"))
    }

    #[test]
    fn ordered_runs_give_every_record_in_input_order() {
        let in_flight = AtomicUsize::new(0);
        let workers = (0..4)
            .map(|_| Sleepy {
                in_flight: &in_flight,
            })
            .collect();
        let mut got = Vec::new();
        run(100, workers, true, 8, &failed, |i, r| {
            got.push((i, r));
            Ok(())
        })
        .unwrap();
        assert_eq!(got.len(), 100);
        for (n, (i, r)) in got.iter().enumerate() {
            assert_eq!(*i, n);
            if n % 13 == 5 {
                assert_eq!(r, &format!("HOST{n}:true"));
            } else {
                assert_eq!(r, &format!("r{n}"));
            }
        }
        assert_eq!(in_flight.load(Ordering::SeqCst), 100);
    }

    #[test]
    fn unordered_runs_account_for_every_input_once() {
        let in_flight = AtomicUsize::new(0);
        let workers = (0..3)
            .map(|_| Sleepy {
                in_flight: &in_flight,
            })
            .collect();
        let mut got = Vec::new();
        run(60, workers, false, 4, &failed, |i, _| {
            got.push(i);
            Ok(())
        })
        .unwrap();
        assert_eq!(got.len(), 60);
        assert_ne!(got, (0..60).collect::<Vec<_>>(), "completion order");
        got.sort();
        assert_eq!(got, (0..60).collect::<Vec<_>>());
    }

    /// The window bounds how far workers run ahead of a slow sink.
    #[test]
    fn workers_wait_for_the_sink() {
        struct Counting<'a>(&'a AtomicUsize);
        impl Work for Counting<'_> {
            type Record = usize;
            fn process(&mut self, index: usize) -> usize {
                self.0.fetch_add(1, Ordering::SeqCst);
                index
            }
            fn reset(&mut self) {}
        }
        let started = AtomicUsize::new(0);
        let workers = (0..4).map(|_| Counting(&started)).collect();
        let mut max_ahead = 0;
        run(200, workers, true, 5, &|i, _, _| i, |i, _| {
            std::thread::sleep(Duration::from_micros(200));
            max_ahead = max_ahead.max(started.load(Ordering::SeqCst) - i);
            Ok(())
        })
        .unwrap();
        assert!(max_ahead <= 5, "{max_ahead}");
    }

    #[test]
    fn a_sink_error_stops_the_run() {
        let in_flight = AtomicUsize::new(0);
        let workers = (0..2)
            .map(|_| Sleepy {
                in_flight: &in_flight,
            })
            .collect();
        let mut n = 0;
        let r = run(1000, workers, true, 4, &failed, |_, _| {
            n += 1;
            if n == 10 { Err(Stopped) } else { Ok(()) }
        });
        assert!(r.is_err());
        assert!(in_flight.load(Ordering::SeqCst) < 30);
    }

    #[test]
    fn no_input_no_record() {
        let workers: Vec<Sleepy> = Vec::new();
        run(0, workers, true, 1, &failed, |_, _| panic!("no record")).unwrap();
    }
}
