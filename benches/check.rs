//! How long a full check takes against the floor: merely reading the files
//! and parsing their YAML.
//!
//! ```text
//! cargo bench --bench check                 # 1 000, 10 000 and 50 000 records
//! cargo bench --bench check -- 10000        # one size
//! ISMS_LINT_BENCH_KEEP=/tmp/bench cargo bench --bench check -- 10000
//!                                           # keep the repository, to profile
//! ```
//!
//! Each size is a synthetic repository written to a temporary directory: a
//! realistic mix of kinds, registers and single-record files, Markdown with
//! front matter, and a few findings (overdue actions, broken references,
//! impossible dates). Every measure is the median of several runs. See
//! docs/performance.md for the figures and what dominates.

use std::alloc::{GlobalAlloc, Layout};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use isms_core::markdown::{self, FrontMatter};
use isms_core::source::SourceFile;
use isms_core::yaml::{Node, Value};
use isms_core::{check, load, CheckOptions, DirSource, FileSource, LoadOptions};
use rayon::prelude::*;

// The allocator the binary uses, so the floor and the check are measured
// with the same one; wrapped to count the bytes in use while memory is
// measured (and only then: counting is off while anything is timed).
#[global_allocator]
static GLOBAL: Counting = Counting;

/// mimalloc, counting the bytes allocated and not yet freed, and their peak,
/// while [`COUNTING`] is on.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static IN_USE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

impl Counting {
    #[inline]
    fn add(delta: isize) {
        if COUNTING.load(Ordering::Relaxed) {
            let now = IN_USE.fetch_add(delta, Ordering::Relaxed) + delta;
            if delta > 0 {
                PEAK.fetch_max(now, Ordering::Relaxed);
            }
        }
    }
}

// SAFETY: every call is passed on to mimalloc unchanged; the counters do
// not allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = mimalloc::MiMalloc.alloc(layout);
        if !p.is_null() {
            Counting::add(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = mimalloc::MiMalloc.alloc_zeroed(layout);
        if !p.is_null() {
            Counting::add(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        mimalloc::MiMalloc.dealloc(ptr, layout);
        Counting::add(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = mimalloc::MiMalloc.realloc(ptr, layout, new_size);
        if !p.is_null() {
            Counting::add(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Bytes allocated by `f` at its peak, above what was in use before it, and
/// still in use when it returns. Counts what this process allocates, on
/// every thread; freed blocks that an allocator keeps for reuse do not count.
fn peak_bytes<T>(f: impl FnOnce() -> T) -> (usize, usize, T) {
    IN_USE.store(0, Ordering::SeqCst);
    PEAK.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let out = f();
    COUNTING.store(false, Ordering::SeqCst);
    let peak = PEAK.load(Ordering::SeqCst).max(0) as usize;
    let left = IN_USE.load(Ordering::SeqCst).max(0) as usize;
    (peak, left, out)
}

const AS_OF: &str = "2025-10-15";

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(|a| {
            a.replace('_', "")
                .parse()
                .expect("sizes are numbers of records")
        })
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 50_000]
    } else {
        sizes
    };
    println!(
        "isms-lint check benchmark: {} threads, median of runs\n",
        rayon::current_num_threads()
    );
    println!(
        "{:>8} {:>6} {:>8} | {:>9} {:>11} {:>11} | {:>10} {:>10} | {:>9} {:>9}",
        "records",
        "files",
        "MB",
        "read",
        "parse 1 thr",
        "parse par",
        "check lib",
        "check bin",
        "lib/floor",
        "bin/floor"
    );
    // What checking a repository with no records costs in memory, to
    // subtract: the manifest alone.
    let empty = {
        let dir = tempfile::tempdir().expect("a temporary directory");
        fs::write(dir.path().join("isms.yaml"), MANIFEST).unwrap();
        let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap();
        memory(dir.path(), as_of)
    };
    for n in sizes {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let stats = generate(dir.path(), n);
        if let Some(keep) = std::env::var_os("ISMS_LINT_BENCH_KEEP") {
            // For profiling: keep a copy of the repository.
            let keep = Path::new(&keep).join(n.to_string());
            copy_dir(dir.path(), &keep);
            eprintln!("kept the repository of {n} records in {}", keep.display());
        }
        // More runs where a run is short: the medians settle.
        let runs = match n {
            0..=2_000 => 21,
            2_001..=20_000 => 11,
            _ => 5,
        };
        let files = list(dir.path());

        let read = median(runs, || {
            let mut bytes = 0;
            for f in &files {
                bytes += fs::read(f).unwrap().len();
            }
            assert_eq!(bytes, stats.bytes);
        });
        let parse_one = median(runs, || {
            let records: usize = files.iter().map(|f| read_and_parse(f)).sum();
            assert!(records > 0);
        });
        let parse_par = median(runs, || {
            let records: usize = files.par_iter().map(|f| read_and_parse(f)).sum();
            assert!(records > 0);
        });
        let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap();
        let mut findings = 0;
        let mut records = 0;
        // Where a full check's time goes: loading (listing, reading,
        // parsing, validating, typed records), the rules, freeing. Listing
        // alone is timed apart: `load` lists the files itself.
        let list_time = median(runs, || {
            DirSource::new(dir.path()).unwrap().list().unwrap();
        });
        let mut phases: Vec<[Duration; 3]> = Vec::new();
        let lib = median(runs, || {
            let start = Instant::now();
            let source = DirSource::new(dir.path()).unwrap();
            let repo = load(&source, &LoadOptions::default()).unwrap();
            let loaded = Instant::now();
            let report = check(
                repo,
                &CheckOptions {
                    as_of,
                    horizon: None,
                },
            );
            let checked = Instant::now();
            findings = report.findings.len();
            records = report.repo.stats.records;
            drop(report);
            phases.push([loaded - start, checked - loaded, checked.elapsed()]);
        });
        let phase = |i: usize| {
            let mut times: Vec<Duration> = phases.iter().map(|p| p[i]).collect();
            times.sort();
            times[times.len() / 2]
        };
        assert_eq!(records, stats.records, "every generated record is read");
        assert!(findings > 0, "the generated findings are reported");
        let bin = (n <= 10_000).then(|| {
            median(runs, || {
                let status = Command::new(env!("CARGO_BIN_EXE_isms-lint"))
                    .arg("check")
                    .arg(dir.path())
                    .args(["--as-of", AS_OF, "--format", "json"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .unwrap();
                assert_eq!(status.code(), Some(1), "the findings fail the check");
            })
        });
        let mem = memory(dir.path(), as_of);
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
        let ratio = |d: Duration| format!("{:.2}×", d.as_secs_f64() / parse_par.as_secs_f64());
        println!(
            "{:>8} {:>6} {:>8.1} | {:>9} {:>11} {:>11} | {:>10} {:>10} | {:>9} {:>9}",
            stats.records,
            stats.files,
            stats.bytes as f64 / 1e6,
            ms(read),
            ms(parse_one),
            ms(parse_par),
            ms(lib),
            bin.map(ms).unwrap_or_else(|| "-".into()),
            ratio(lib),
            bin.map(ratio).unwrap_or_else(|| "-".into()),
        );
        println!(
            "{:>8} {:>6} {:>8} | {findings} findings; check lib is {:.2}× parse on 1 thread; \
             list {}, load {} (list included), rules {}, free {}",
            "",
            "",
            "",
            lib.as_secs_f64() / parse_one.as_secs_f64(),
            ms(list_time),
            ms(phase(0)),
            ms(phase(1)),
            ms(phase(2)),
        );
        let mb = |b: usize| format!("{:.1} MB", b as f64 / 1e6);
        let above = mem.peak.saturating_sub(empty.peak);
        println!(
            "{:>8} {:>6} {:>8} | memory: peak {} above an empty repository's ({}), {:.1}× the bytes read; \
             held after loading {}: YAML trees {}, typed records {}, texts {}",
            "",
            "",
            "",
            mb(above),
            mb(empty.peak),
            above as f64 / stats.bytes as f64,
            mb(mem.loaded),
            mb(mem.trees),
            mb(mem.typed),
            mb(mem.texts),
        );
    }
    println!("\nfloor = reading every file and parsing its YAML with isms_core::yaml, in parallel");
}

/// What a full check holds in memory, in bytes allocated.
struct Memory {
    /// At the peak of loading, checking and dropping the report, above
    /// what was in use before.
    peak: usize,
    /// Held once loaded.
    loaded: usize,
    /// Of what is held once loaded: the records' YAML trees, their typed
    /// content, and the files' texts.
    trees: usize,
    typed: usize,
    texts: usize,
}

fn memory(dir: &Path, as_of: NaiveDate) -> Memory {
    let options = CheckOptions {
        as_of,
        horizon: None,
    };
    let run = || {
        let source = DirSource::new(dir).unwrap();
        let repo = load(&source, &LoadOptions::default()).unwrap();
        let loaded = IN_USE.load(Ordering::SeqCst).max(0) as usize;
        drop(check(repo, &options));
        loaded
    };
    run(); // compile the schema validators, start the threads
    let (peak, _, loaded) = peak_bytes(run);
    // What the parts of a loaded repository weigh: what freeing each frees.
    let (_, _, (trees, typed, texts)) = peak_bytes(|| {
        let source = DirSource::new(dir).unwrap();
        let mut repo = load(&source, &LoadOptions::default()).unwrap();
        let freed = |before: isize| (before - IN_USE.load(Ordering::SeqCst)).max(0) as usize;
        let before = IN_USE.load(Ordering::SeqCst);
        for r in &mut repo.records {
            r.node = Node {
                span: Default::default(),
                value: Value::Map(Vec::new()),
            };
        }
        let trees = freed(before);
        let before = IN_USE.load(Ordering::SeqCst);
        for r in &mut repo.records {
            r.data = None;
        }
        let typed = freed(before);
        let texts = repo.files.iter().map(|f| f.text.len()).sum();
        (trees, typed, texts)
    });
    Memory {
        peak,
        loaded,
        trees,
        typed,
        texts,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm the page cache and the schema validators
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn list(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "md") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// The floor for one file: read it, find its front matter, parse the YAML.
/// Returns the number of documents.
fn read_and_parse(path: &Path) -> usize {
    let text = String::from_utf8(fs::read(path).unwrap()).unwrap();
    let file = SourceFile::new(path.to_string_lossy().into_owned(), text);
    let (span, line) = if path.extension().is_some_and(|e| e == "md") {
        match markdown::front_matter(&file) {
            FrontMatter::Closed { yaml, .. } => (yaml.start..yaml.end, 2),
            _ => return 0,
        }
    } else {
        (0..file.text.len(), 1)
    };
    let parsed = isms_core::yaml::parse(&file, &file.text[span], line);
    assert!(!parsed.fatal, "{}", path.display());
    parsed.documents.len()
}

struct Stats {
    records: usize,
    files: usize,
    bytes: usize,
}

/// Write a repository of about `n` records: per 1 000, roughly 300 risks (a
/// third in single files, the rest in registers of 25), 250 corrective
/// actions in registers of 50, 200 awareness activities in registers of 100,
/// 100 internal audits in Markdown with three findings each, 20 policies and
/// 30 management reviews in Markdown with a body, 10 control activities with
/// 100 performances in registers of 10, 30 suppliers and 20 legal
/// requirements in registers of 50, the SoA and the roster.
/// About 2 % of the records carry a finding; the rest are complete and dated
/// within their intervals on [`AS_OF`].
fn generate(dir: &Path, n: usize) -> Stats {
    let mut w = Writer {
        dir: dir.to_owned(),
        stats: Stats {
            records: 0,
            files: 0,
            bytes: 0,
        },
    };
    w.file("isms.yaml", MANIFEST.to_owned(), 0);

    let mut soa = String::from(
        "kind: statement-of-applicability\nid: SOA\ntitle: Statement of Applicability\nversion: \"3.2\"\nowner: CISO\napproved: 2025-03-01\napproved-by: Board\ncontrols:\n",
    );
    for c in isms_core::catalog::annex_a_2022() {
        let _ = write!(
            soa,
            "  - control: \"{}\"\n    applicable: true\n    justification: Required by the risk assessment and by contract.\n    status: implemented\n",
            c.id
        );
    }
    w.file("soa.yaml", soa, 1);

    let mut roster = String::from("kind: people\nid: PEOPLE\npeople:\n");
    for p in 0..(n / 20).max(5) {
        let _ = write!(
            roster,
            "  - id: p{p}\n    name: Person {p}\n    role: Engineer\n    joined: 2023-01-0{}\n    training:\n      - date: 2025-0{}-15\n        course: Security awareness\n",
            1 + p % 9,
            1 + p % 9
        );
    }
    // Everyone the records name, by role or name, so that the people rules
    // find nothing to report: the owners, the chair and the auditor.
    roster.push_str(
        "  - id: ciso\n    name: Casey Morgan\n    role: Chief Information Security Officer (CISO)\n    joined: 2023-01-01\n    training:\n      - date: 2025-01-15\n        course: Security awareness\n  - id: ceo\n    name: Alex Reed\n    role: Chief Executive Officer\n    joined: 2023-01-01\n    training:\n      - date: 2025-01-15\n        course: Security awareness\nexternal:\n  - id: auditor\n    name: Internal auditor\n  - id: board\n    name: Board\n",
    );
    w.file("people.yaml", roster, 1);

    let per_k = |k: usize| (n * k).div_ceil(1000);
    let policies = per_k(20);
    let reviews = per_k(30);
    let audits = per_k(100);
    let actions = per_k(250);
    let awareness = per_k(200);
    let control_activities = per_k(10);
    let performances = per_k(100);
    let suppliers = per_k(30);
    let legal = per_k(20);
    let risks = n.saturating_sub(
        policies
            + reviews
            + audits
            + actions
            + awareness
            + control_activities
            + performances
            + suppliers
            + legal
            + 2,
    );

    for i in 0..policies {
        let broken = if i % 10 == 3 {
            "\nSee the [retired standard](../policies/retired.md).\n"
        } else {
            ""
        };
        w.file(
            &format!("policies/POL-{i:05}.md"),
            format!(
                "---\nkind: policy\nid: POL-{i:05}\ntitle: Policy number {i}\nversion: \"2.{}\"\nowner: CISO\nstatus: approved\napproved: 2025-{:02}-10\napproved-by: Board\ncontrols: [\"5.1\", \"5.{}\"]\n---\n\n# Policy {i}\n\n## Purpose\n\nWhy this policy exists, in a paragraph or two of ordinary prose that says\nwhat the organisation commits to and who it applies to.\n\n## Policy\n\n1. Everyone follows [the information security policy](POL-00000.md).\n2. Exceptions are approved by the CISO and recorded.\n{broken}",
                i % 7,
                1 + i % 10,
                2 + i % 30
            ),
            1,
        );
    }

    for i in 0..reviews {
        w.file(
            &format!("reviews/MR-{i:05}.md"),
            format!(
                "---\nkind: management-review\nid: MR-{i:05}\ntitle: Management review {i}\nstatus: completed\ndate: 2025-{:02}-20\nattendees:\n  - name: Chief Executive Officer\n    role: Chief Executive Officer\n    top-management: true\n  - name: CISO\n    role: CISO\ninputs:\n{REVIEW_INPUTS}decisions:\n  - type: improvement\n    description: Keep the programme as planned.\n    owner: CISO\n    due: 2026-03-31\n---\n\n# Management review {i}\n\n## a) Status of actions from previous reviews\n\nAll closed.\n\n## b) Changes in external and internal issues\n\nNone of note.\n\n## Decisions\n\nContinue.\n",
                5 + i % 5
            ),
            1,
        );
    }

    let mut action = 0;
    for i in 0..audits {
        let mut findings = String::new();
        for f in 0..3 {
            let target = if i % 50 == 7 && f == 0 {
                "CA-MISSING".to_owned()
            } else {
                format!("CA-{:06}", (action + f) % actions.max(1))
            };
            let _ = write!(
                findings,
                "  - id: IA-{i:05}-F{f}\n    type: minor-nonconformity\n    clause: \"9.2\"\n    description: Evidence of the control was incomplete for the sample taken.\n    actions: [{target}]\n",
            );
        }
        action += 3;
        w.file(
            &format!("audits/IA-{i:05}.md"),
            format!(
                "---\nkind: audit\nid: IA-{i:05}\ntitle: Internal audit {i}\ntype: internal\nstatus: completed\nplanned: 2025-{m:02}-01\ncompleted: 2025-{m:02}-03\nauditor: Internal auditor\nscope:\n  clauses: [\"9.2\", \"10.2\"]\n  controls: [\"5.{c}\"]\nfindings:\n{findings}---\n\n# Internal audit {i}\n\n## Summary\n\nThe audit sampled records and interviewed the owners.\n",
                m = 1 + i % 10,
                c = 1 + i % 30
            ),
            1,
        );
    }

    register(&mut w, "actions", "corrective-action", actions, 50, |i| {
        let date = if i % 97 == 5 {
            "2025-02-30"
        } else {
            "2025-03-01"
        };
        let (status, due) = if i % 40 == 1 {
            ("open", "2025-10-01") // overdue on AS_OF
        } else {
            ("closed", "2025-06-01")
        };
        let closure = if status == "closed" {
            "    action-taken: The procedure now names who checks the result.\n    closed: 2025-05-20\n    effectiveness:\n      reviewed: 2025-08-20\n      effective: true\n      by: Internal auditor\n"
        } else {
            ""
        };
        format!(
            "  - id: CA-{i:06}\n    title: Fix the finding number {i}\n    source: IA-{:05}-F{}\n    raised: {date}\n    owner: CISO\n    due: {due}\n    status: {status}\n    root-cause: The procedure did not say who checks the result.\n{closure}",
            (i / 3) % audits.max(1),
            i % 3
        )
    });
    register(
        &mut w,
        "awareness",
        "awareness-activity",
        awareness,
        100,
        |i| {
            format!(
            "  - id: AW-{i:06}\n    title: Awareness activity {i}\n    type: {}\n    date: 2025-{:02}-{:02}\n    audience: all staff\n",
            ["newsletter", "poster", "briefing", "phishing-simulation"][i % 4],
            1 + i % 10,
            1 + i % 28
        )
        },
    );

    // Control activities, each performed every month of 2025 (a register of
    // performances per activity), with the evidence they ask for.
    register(
        &mut w,
        "activities",
        "control-activity",
        control_activities,
        50,
        |i| {
            format!(
            "  - id: ACT-{i:04}\n    title: Control activity {i}\n    controls: [\"8.{}\"]\n    owner: CISO\n    every: 1 month\n    warn: 7 days\n    start: 2025-01-01\n    evidence: [report]\n",
            1 + i % 34
        )
        },
    );
    register(
        &mut w,
        "activities/performed",
        "control-performance",
        performances,
        10,
        |i| {
            format!(
            "  - id: PERF-{i:06}\n    activity: ACT-{:04}\n    date: 2025-{:02}-05\n    performed-by: CISO\n    outcome: pass\n    evidence:\n      - name: report\n        link: https://tickets.example/ISMS-{i}\n",
            (i / 10) % control_activities.max(1),
            1 + i % 10
        )
        },
    );
    register(&mut w, "suppliers", "supplier", suppliers, 50, |i| {
        format!(
            "  - id: SUP-{i:05}\n    name: Supplier {i}\n    services: [hosting]\n    tier: {}\n    owner: CISO\n    reviewed: 2025-{:02}-10\n    assurance:\n      iso27001: {{body: BSI, number: IS {i}, expiry: 2027-03-31}}\n      soc2-type2: {{period-end: 2025-06-30}}\n",
            ["critical", "high", "medium", "low"][i % 4],
            1 + i % 9
        )
    });
    register(&mut w, "legal", "legal-requirement", legal, 50, |i| {
        format!(
            "  - id: LEG-{i:05}\n    title: Requirement {i}\n    type: law\n    source: Act {i}, section 3\n    owner: CISO\n    how-met: Through the ISMS.\n    controls: [\"5.31\"]\n    reviewed: 2025-{:02}-01\n",
            1 + i % 9
        )
    });

    let single = risks / 3;
    for i in 0..single {
        w.file(&format!("risks/RISK-{i:06}.yaml"), risk(i, false), 1);
    }
    register(&mut w, "risks", "risk", risks - single, 25, |i| {
        risk(single + i, true)
    });
    w.stats
}

fn risk(i: usize, entry: bool) -> String {
    let text = format!(
        "id: RISK-{i:06}\ntitle: Risk number {i} to the confidentiality of customer data\nowner: CISO\nidentified: 2024-0{}-01\nlikelihood: {}\nimpact: {}\ntreatment: mitigate\ncontrols: [\"8.{}\", \"5.{}\"]\nreviewed: 2025-{:02}-15\n",
        1 + i % 9,
        1 + i % 5,
        1 + (i / 5) % 5,
        1 + i % 34,
        1 + i % 37,
        1 + i % 10
    );
    if entry {
        let mut out = String::new();
        for (n, line) in text.lines().enumerate() {
            out.push_str(if n == 0 { "  - " } else { "    " });
            out.push_str(line);
            out.push('\n');
        }
        out
    } else {
        format!("kind: risk\n{text}")
    }
}

fn register(
    w: &mut Writer,
    dir: &str,
    kind: &str,
    count: usize,
    per_file: usize,
    entry: impl Fn(usize) -> String,
) {
    for (f, start) in (0..count).step_by(per_file).enumerate() {
        let end = (start + per_file).min(count);
        let mut text = format!("kind: {kind}\ntitle: Register {f}\nentries:\n");
        for i in start..end {
            text.push_str(&entry(i));
        }
        w.file(&format!("{dir}/register-{f:04}.yaml"), text, end - start);
    }
}

struct Writer {
    dir: PathBuf,
    stats: Stats,
}

impl Writer {
    fn file(&mut self, path: &str, text: String, records: usize) {
        let path = self.dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        self.stats.bytes += text.len();
        self.stats.records += records;
        self.stats.files += 1;
        fs::write(path, text).unwrap();
    }
}

const MANIFEST: &str = "\
version: 1
organisation:
  name: Synthetic Benchmarks Ltd
  top-management:
    - Chief Executive Officer
scope: Everything, for the benchmark.
standards:
  - ISO/IEC 27001:2022
schedule:
  management-review: 6 months
  internal-audit: 1 month
  awareness-activity: 1 month
  phishing-simulation: 3 months
  risk-review: 12 months
  policy-review: 12 months
  training: 12 months
  corrective-action-staleness: 30 days
risk-criteria:
  likelihood-levels: 5
  impact-levels: 5
  acceptance-threshold: 8
lint:
  horizon: 30 days
";

/// Every input of 9.3.2, one line each.
const REVIEW_INPUTS: &str = "  previous-actions: All closed.
  issues: None of note.
  interested-parties: Unchanged.
  nonconformities: Two minor, both closed.
  monitoring: Targets met.
  audit-results: Internal audits on plan.
  objectives: On track.
  feedback: None.
  risk-assessment: Reviewed; no new high risks.
  improvement: Automate the access review.
";
