//! Peak memory of the WebAssembly instance on hostile input (issue #6,
//! item 2): the worst inputs of `piaoyan_tests::hostile`, each verified by
//! the embedded module in a fresh instance, get their verdict with the
//! instance's linear memory below a bound. (`tests/tests/hostile.rs`
//! measures the same inputs' heap natively.)

use piaoyan_cli::MODULE;
use piaoyan_cli::module::{Limits, Outcome, Runner};
use piaoyan_tests::hostile;

/// Linear memory one instance may reach on any input within the spec's
/// bounds: 64 MiB (the CLI's cap per instance is 512 MiB).
const MEMORY_BOUND: usize = 64 << 20;

#[test]
fn worst_inputs_stay_within_the_memory_bound_in_wasm() {
    let pki = hostile::pki();
    let options = hostile::options_json(&pki);
    // No timeout: a slow debug machine must not turn into a failure here;
    // time is bounded natively by tests/tests/hostile.rs.
    let runner = Runner::new(
        MODULE,
        Limits {
            timeout: None,
            ..Limits::default()
        },
    )
    .expect("module");
    let mut worst = (0, "");
    for case in hostile::worst_cases(&pki) {
        let (outcome, peak) = runner.verify_once_measured(&case.input, options.as_bytes());
        println!(
            "{:<40} {:>9} bytes in, linear memory {:>6} KiB",
            case.what,
            case.input.len(),
            peak >> 10
        );
        let Outcome::Report(report) = outcome else {
            panic!("{}: no report: {outcome:?}", case.what);
        };
        assert_eq!(
            report.get::<String>("verdict"),
            Some(case.verdict.as_str().to_string()),
            "{}: {}",
            case.what,
            report.raw("reason").map_or("", |r| r.get())
        );
        assert!(
            peak < MEMORY_BOUND,
            "{}: linear memory {peak} bytes, above {MEMORY_BOUND}",
            case.what
        );
        // The input itself is in the instance: memory holds at least it.
        assert!(peak > case.input.len(), "{}: {peak} bytes", case.what);
        worst = worst.max((peak, case.what));
    }
    println!("worst: {} ({} MiB)", worst.1, worst.0 >> 20);
}
