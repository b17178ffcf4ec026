//! A small, deterministic fuzzer of the YAML parser and the loader: records
//! mutated at random (bytes flipped, YAML punctuation inserted, ranges cut,
//! doubled or spliced from another record) must never panic, and every
//! finding must point inside its file, on character boundaries.
//!
//! A quick run is part of the test suite. For a longer session:
//! `ISMS_FUZZ_CASES=200000 cargo test --release --test fuzz_loader`
//! (`ISMS_FUZZ_SEED` picks another sequence). A crash found this way is kept
//! as a regression test named after the bug, in `tests/bad_input.rs` or
//! beside the code it concerns.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use isms_core::source::SourceFile;
use isms_core::testing::MemorySource;
use isms_core::{check, load, CheckOptions, LoadOptions};

/// Records to start from: the bad-input fixtures and a sound one of each
/// shape.
fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = vec![
        b"kind: risk\nid: R-1\ntitle: Laptop theft\nowner: CISO\nidentified: 2025-01-01\nlikelihood: 2\nimpact: 3\ntreatment: mitigate\ncontrols: [\"8.1\", '5.10']\nactions: [CA-1]\nreviewed: 2025-06-01\n".to_vec(),
        b"kind: corrective-action\nentries:\n  - id: CA-1\n    title: Fix it\n    source: IA-1-F1\n    status: open\n    raised: 2025-01-01\n    due: 2025-03-01\n  - &b\n    id: CA-2\n    title: \"Quoted \\u00e9\"\n    status: closed\n    closed: 2025-02-01\n    effectiveness: {reviewed: 2025-04-01, effective: true}\n".to_vec(),
        "---\nkind: audit\nid: IA-1\ntitle: Audit\ntype: internal\nstatus: completed\ncompleted: 2025-02-01\nfindings:\n  - id: IA-1-F1\n    type: minor-nonconformity\n    description: >\n      Folded text\n      over lines\n    actions: [CA-1]\n---\n# Audit é\n\n[report](../evidence/report.pdf)\n".as_bytes().to_vec(),
        b"kind: people\nid: PEOPLE\npeople:\n  - id: md\n    name: Managing Director\n    training:\n      - date: 2025-06-01\n        course: |\n          Induction\n".to_vec(),
    ];
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-input");
    for dir in ["risks", "actions", "policies"] {
        let mut entries: Vec<_> = std::fs::read_dir(fixture.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let bytes = std::fs::read(&path).unwrap();
            if bytes.len() < 4096 {
                seeds.push(bytes);
            }
        }
    }
    seeds
}

/// Pieces of YAML worth inserting: the punctuation people get wrong.
const TOKENS: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b": ",
    b"- ",
    b"? ",
    b",",
    b"&a ",
    b"*a",
    b"&a [*a, *a]",
    b"\"",
    b"'",
    b"\t",
    b"\r",
    b"\n",
    b"\r\n",
    b"---\n",
    b"...\n",
    b"|",
    b">-",
    b"!!str ",
    b"!!binary ",
    b"%YAML 1.2\n",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    "é".as_bytes(),
    "\u{2028}".as_bytes(),
    b"2025-02-30",
    b"<<: *a",
    b"#",
    b"\\u",
    b"\x00",
    b"  ",
    b"kind: ",
    b"entries:\n  - ",
    b"id: ",
    b"~",
    b"0x",
    b".inf",
    b"99999999999999999999",
];

/// xorshift64*: enough randomness for mutations, and reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            2 => {
                let end = (at + rng.below(16)).min(data.len());
                data.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(64)).min(data.len());
                let copy = data[at..end].to_vec();
                data.splice(at..at, copy);
            }
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                let end = (from + rng.below(128)).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let end = (at + rng.below(8)).min(data.len());
                data.truncate(end.max(at).min(data.len()));
            }
        }
    }
    data
}

/// Parse and check one mutated file, as YAML and as Markdown; panics are
/// reported with the input that caused them.
fn run_case(data: &[u8]) {
    let result = catch_unwind(AssertUnwindSafe(|| {
        if let Ok(text) = std::str::from_utf8(data) {
            let file = SourceFile::new("t.yaml", text);
            let parsed = isms_core::yaml::parse(&file, &file.text, 1);
            for e in &parsed.errors {
                assert_span(&file, e.span.start, e.span.end);
            }
        }
        let mut source = MemorySource::new();
        source.insert("isms.yaml", "organisation:\n  name: Fuzz Ltd\n");
        source.insert("risks/fuzz.yaml", data.to_vec());
        source.insert("policies/fuzz.md", data.to_vec());
        let repo = load(&source, &LoadOptions::default()).expect("the manifest is sound");
        let report = check(
            repo,
            &CheckOptions {
                as_of: chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
                horizon: None,
            },
        );
        for f in &report.findings {
            let file = report.repo.file(f.file);
            assert_span(file, f.span.start, f.span.end);
            let _ = report.range(f);
        }
    }));
    if let Err(e) = result {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        panic!(
            "crash on input {:?}:\n{}\n{msg}",
            data,
            String::from_utf8_lossy(data)
        );
    }
}

fn assert_span(file: &SourceFile, start: usize, end: usize) {
    assert!(
        start <= end && end <= file.text.len(),
        "span {start}..{end} outside {} ({} bytes)",
        file.path,
        file.text.len()
    );
    assert!(
        file.text.is_char_boundary(start) && file.text.is_char_boundary(end),
        "span {start}..{end} splits a character in {}",
        file.path
    );
}

#[test]
fn mutated_records_never_crash_the_loader() {
    let cases: usize = std::env::var("ISMS_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let seed: u64 = std::env::var("ISMS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x0001_5032_7001);
    let seeds = seeds();
    let mut rng = Rng(seed | 1);
    for _ in 0..cases {
        run_case(&mutate(&mut rng, &seeds));
    }
}

#[test]
fn random_bytes_never_crash_the_loader() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for len in [0, 1, 2, 3, 7, 64, 1000] {
        for _ in 0..20 {
            let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            run_case(&data);
        }
    }
}

/// Found by this fuzzer: the span of an invalid UTF-8 byte ended inside the
/// replacement character shown in its place.
#[test]
fn invalid_utf8_span_split_the_replacement_character() {
    run_case(&[0x85]);
    run_case(b"id: caf\xe9\n");
    run_case(b"\xef\xbb\xbfid: \xff\xfe\n");
}

/// Found by this fuzzer: a YAML error at the very end of a file was given a
/// span one byte past the end (and one inside a character when the scanner
/// stopped on an accent).
#[test]
fn yaml_error_span_ran_past_the_end_of_the_file() {
    run_case(b"---\nkind: policy\nid: P-1\ntitle: [never closed\n");
    run_case(b"kind: risk\ntitle: [a, b");
    run_case("kind: risk\ntitle: {a: é".as_bytes());
}
