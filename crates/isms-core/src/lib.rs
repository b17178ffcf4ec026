//! The core of isms-lint: the evidence model of an ISO/IEC 27001 ISMS kept as
//! YAML and Markdown, a loader that keeps every value's position, JSON Schema
//! validation, and the rule engine.
//!
//! ```no_run
//! use isms_core::{check, load, CheckOptions, DirSource, LoadOptions};
//!
//! let source = DirSource::new("examples/isms-repo").unwrap();
//! let repo = load(&source, &LoadOptions::default()).unwrap();
//! let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
//! let report = check(repo, &CheckOptions { as_of, horizon: None });
//! for f in &report.findings {
//!     let (start, _) = report.range(f);
//!     println!("{}:{}:{}: {} [{}]", report.path(f), start.line, start.column, f.message, f.rule);
//! }
//! ```

pub mod catalog;
pub mod config;
pub mod de;
pub mod engine;
pub mod fields;
pub mod finding;
pub mod gate;
pub mod history;
pub mod instance;
pub mod interval;
pub mod load;
pub mod markdown;
pub mod model;
pub mod problem;
pub mod report;
pub mod repository;
pub mod rules;
pub mod schema;
pub mod source;
pub mod source_fs;
pub mod testing;
pub mod text;
pub mod yaml;

pub use engine::{check, CheckOptions, Counts, Report};
pub use finding::{Finding, Severity};
pub use interval::Interval;
pub use load::{load, LoadError, LoadOptions};
pub use repository::{Record, RecordData, Repository};
pub use source_fs::{DirSource, FileSource, ListError, ListedFile, ReadError};
