//! Loading from many threads at once, first thing in a fresh process: the
//! schema validators are compiled once, on first use, while other loads wait
//! for them. Its own test binary, so that nothing has compiled them yet.

use std::sync::{mpsc, Arc, Barrier};
use std::time::Duration;

use isms_core::testing::TestRepo;
use rayon::prelude::*;

#[test]
fn the_first_loads_on_many_threads_do_not_wait_for_each_other_forever() {
    // Loads from threads outside rayon's pool (as the test harness runs
    // tests) and from inside it, all starting at once.
    let (done, finished) = mpsc::channel();
    let start = Arc::new(Barrier::new(THREADS));
    for t in 0..THREADS {
        let (done, start) = (done.clone(), start.clone());
        std::thread::spawn(move || {
            start.wait();
            let findings: Vec<usize> = (0..8)
                .into_par_iter()
                .map(|i| check_one(t * 8 + i))
                .chain(
                    (0..8)
                        .map(|i| check_one(100 + t * 8 + i))
                        .collect::<Vec<_>>(),
                )
                .collect();
            done.send(findings).unwrap();
        });
    }
    // A deadlock shows as no answer; the work itself takes well under a
    // second, even unoptimised.
    let mut findings = Vec::new();
    for _ in 0..THREADS {
        findings.extend(
            finished
                .recv_timeout(Duration::from_secs(120))
                .expect("loads running in parallel finish (a deadlock otherwise)"),
        );
    }
    assert_eq!(findings.len(), THREADS * 16);
    assert!(findings.windows(2).all(|w| w[0] == w[1]), "{findings:?}");
}

const THREADS: usize = 4;

/// The findings of a small repository.
fn check_one(i: usize) -> usize {
    TestRepo::new()
        .file(
            "risks/r.yaml",
            &format!("kind: risk\nid: R-{i}\ntitle: Laptop theft\nstatus: mitigate\n"),
        )
        .report("2026-01-01")
        .findings
        .len()
}
