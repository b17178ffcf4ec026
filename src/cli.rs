//! Command-line interface.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use isms_core::rules::{Category, RuleId};

const EXAMPLES: &str = "\
Examples:
  isms-lint check                          check the ISMS repository here, as of today
  isms-lint check path/to/isms --as-of 2025-06-30
                                           what would an auditor have seen that day?
  isms-lint check --format json > findings.json
  isms-lint check --format github --output sarif=isms-lint.sarif
                                           annotations in GitHub Actions, and SARIF for code scanning
  isms-lint check --output junit=isms-lint.xml
                                           the terminal report, and a JUnit file for GitLab or Jenkins
  isms-lint check --fail-on warning        fail CI on warnings too
  isms-lint check --select risk --ignore risk-owner-missing
                                           one category of rules, less one rule
  isms-lint check --statistics             how many findings each rule reports
  isms-lint check --rev v2025.06 --as-of 2025-06-30
                                           the repository as committed then, on that day
  isms-lint check --staged                 what the next commit would record (pre-commit)
  isms-lint check --changed-since origin/main
                                           only findings in files a pull request changed
  isms-lint rules                          list every rule
  isms-lint explain management-review-overdue
  isms-lint schema --out schemas           write the JSON Schemas for editors
  isms-lint init my-isms                   start a new ISMS repository
  isms-lint completions zsh                shell completions (bash, zsh, fish, powershell)
  isms-lint man | man -l -                 the manual page

Exit codes: 0 nothing at or above --fail-on (always, with --exit-zero); 1 findings
at or above it; 2 usage error, unreadable manifest or internal error.";

const COMPLETIONS: &str = "\
Install:
  bash        isms-lint completions bash > ~/.local/share/bash-completion/completions/isms-lint
  zsh         isms-lint completions zsh > ~/.zfunc/_isms-lint
              (and `fpath+=~/.zfunc` in ~/.zshrc, before `compinit`)
  fish        isms-lint completions fish > ~/.config/fish/completions/isms-lint.fish
  PowerShell  isms-lint completions powershell >> $PROFILE";

/// Lint an ISO/IEC 27001 ISMS kept as code: schemas, deadlines and clause rules.
#[derive(Debug, Parser)]
#[command(name = "isms-lint", version, about, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to use colours: auto (a terminal, and NO_COLOR not set), always, never.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

// Parsed once per process and matched at once: boxing `CheckArgs` would buy
// nothing but a dereference.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check an ISMS repository: schemas, references and the rules of the standard.
    Check(CheckArgs),
    /// List every rule with its severity and clause.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Explain a rule: what it checks, why, the clause, an example and how to fix it.
    Explain {
        /// The rule's name, such as `corrective-action-overdue`.
        rule: String,
    },
    /// Print a JSON Schema, or write them all (for editors and CI).
    Schema {
        /// `manifest`, `record`, `report`, or a kind such as `risk`. Without it,
        /// list the schemas.
        name: Option<String>,
        /// Write every schema into this directory.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Print a shell completion script: bash, zsh, fish or powershell (see
    /// `isms-lint completions --help` for where to put it).
    #[command(after_help = COMPLETIONS)]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per subcommand.
    Man {
        /// Write `isms-lint.1` and one `isms-lint-COMMAND.1` per subcommand
        /// into this directory instead.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Create a new ISMS repository that passes `check`.
    Init {
        /// Where to create it (default: the current directory).
        dir: Option<PathBuf>,
        /// The organisation's name.
        #[arg(long, default_value = "Example Ltd")]
        organisation: String,
        /// The date to write into the new records (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with the source underlined, and a summary.
    Human,
    /// A JSON document (schema: `isms-lint schema report`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations), and a job summary
    /// when `GITHUB_STEP_SUMMARY` is set.
    Github,
    /// JUnit XML, for GitLab, Jenkins and Azure DevOps test reports.
    Junit,
    /// GitLab Code Quality (Code Climate JSON), for `artifacts: reports: codequality`.
    Gitlab,
}

impl Format {
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
        }
    }
}

/// `--output FORMAT=PATH`: a report written to a file besides the terminal's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: Format,
    pub path: PathBuf,
}

impl std::str::FromStr for OutputSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some((format, path)) = s.split_once('=') else {
            return Err(format!(
                "expected FORMAT=PATH, such as sarif=isms-lint.sarif (found `{s}`)"
            ));
        };
        let format = Format::from_str(format, true).map_err(|_| {
            let names: Vec<&str> = Format::value_variants()
                .iter()
                .map(|f| f.as_str())
                .collect();
            format!(
                "`{format}` is not a format; use one of {}",
                names.join(", ")
            )
        })?;
        if path.is_empty() {
            return Err(format!("no file given after `{}=`", format.as_str()));
        }
        Ok(OutputSpec {
            format,
            path: PathBuf::from(path),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
}

impl From<FailOn> for isms_core::Severity {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Error => isms_core::Severity::Error,
            FailOn::Warning => isms_core::Severity::Warning,
            FailOn::Note => isms_core::Severity::Note,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The ISMS repository (default: the nearest directory upwards holding isms.yaml).
    pub path: Option<PathBuf>,

    /// Evaluate the repository as of this day instead of today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,

    /// Output format, printed to standard output.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Also write a report to a file, as FORMAT=PATH (repeatable), such as
    /// `--output sarif=isms-lint.sarif --output junit=isms-lint.xml`. The exit
    /// code does not depend on it.
    #[arg(long, value_name = "FORMAT=PATH")]
    pub output: Vec<OutputSpec>,

    /// The SARIF `automationDetails.id`: the category that tells this analysis
    /// from others in GitHub code scanning. A `/` is added at the end if missing.
    #[arg(long, value_name = "CATEGORY", default_value = "isms-lint/")]
    pub sarif_category: String,

    /// Lowest severity that fails the run with exit code 1 (default: `lint.fail-on`, else error).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Warn about deadlines this many days ahead (default: `lint.horizon`, else 30).
    #[arg(long, value_name = "DAYS")]
    pub horizon: Option<u32>,

    /// Use this manifest instead of the repository's isms.yaml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Write the report (in `--format`) to this file instead of standard
    /// output.
    #[arg(short = 'o', long, value_name = "PATH")]
    pub output_file: Option<PathBuf>,

    /// Read files up to this size, such as `100MiB` (default: `lint.max-file-size`, else 16 MiB).
    /// A repository's own setting stops at 64 MiB; only this flag reads larger files.
    #[arg(long, value_name = "SIZE", value_parser = isms_core::load::parse_size)]
    pub max_file_size: Option<u64>,

    /// Show waived findings too (human format).
    #[arg(long)]
    pub show_waived: bool,

    /// Report only these rules or categories, such as `--select
    /// risk,training-overdue` (comma-separated or repeated; `all` for every
    /// rule). Integrity findings, which say whether the repository could be
    /// read, are reported unless `--ignore` names them.
    #[arg(long, value_name = "RULE|CATEGORY", value_delimiter = ',', value_parser = SelectorParser, hide_possible_values = true, help_heading = "Rule selection")]
    pub select: Vec<Selector>,

    /// Leave these rules or categories out of this run's report
    /// (comma-separated or repeated); wins over `--select`.
    #[arg(long, value_name = "RULE|CATEGORY", value_delimiter = ',', value_parser = SelectorParser, hide_possible_values = true, help_heading = "Rule selection")]
    pub ignore: Vec<Selector>,

    /// Print how many findings each rule reported, instead of the findings
    /// (as a JSON array with `--format json`).
    #[arg(long, help_heading = "Rule selection")]
    pub statistics: bool,

    /// Exit 0 even when findings are at or above `--fail-on` (a usage or
    /// read error still exits 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Print the findings only: no notes, no summary line.
    #[arg(short, long)]
    pub quiet: bool,

    /// Check the tree of this commit, tag or branch, read from git's object
    /// database (the working tree and the index are not looked at).
    #[arg(long, value_name = "REV", help_heading = "Git", conflicts_with_all = ["staged", "include_untracked", "no_git"])]
    pub rev: Option<String>,

    /// Check the index: the files exactly as the next commit would record
    /// them (for pre-commit hooks).
    ///
    /// By default, only findings in the files being committed, or new
    /// compared with HEAD, fail the run; the others (a deadline passed, a
    /// problem in files the commit does not touch) are shown, not blocking.
    #[arg(long, help_heading = "Git", conflicts_with_all = ["include_untracked", "no_git"])]
    pub staged: bool,

    /// With `--staged`: every finding blocks the commit, not only those it
    /// causes.
    #[arg(long, help_heading = "Git", requires = "staged")]
    pub strict: bool,

    /// Report only findings in files changed since the merge base with REV
    /// (for pull requests); the whole repository is still evaluated, and a
    /// change to `lint` settings or waivers is called out.
    #[arg(
        long,
        value_name = "REV",
        help_heading = "Git",
        conflicts_with = "no_git"
    )]
    pub changed_since: Option<String>,

    /// Check untracked files too (files git ignores stay out).
    #[arg(long, help_heading = "Git", conflicts_with = "no_git")]
    pub include_untracked: bool,

    /// Read the directory as it is on disk, without git: tracked or not
    /// (.gitignore still honoured), and no history.
    #[arg(long, help_heading = "Git")]
    pub no_git: bool,
}

/// A rule or a category of rules named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    All,
    Rule(RuleId),
    Category(Category),
}

impl Selector {
    /// Whether the selector names `rule`, by itself, its category or `all`.
    pub fn matches(self, rule: RuleId) -> bool {
        match self {
            Selector::All => true,
            Selector::Rule(r) => r == rule,
            Selector::Category(c) => rule.meta().category == c,
        }
    }
}

/// Parses `--select` and `--ignore` values, and offers every rule and
/// category name to shell completions.
#[derive(Debug, Clone, Copy)]
struct SelectorParser;

impl clap::builder::TypedValueParser for SelectorParser {
    type Value = Selector;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Selector, clap::Error> {
        let parse: fn(&str) -> Result<Selector, String> = parse_selector;
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        use clap::builder::PossibleValue;
        let rules = RuleId::ALL
            .iter()
            .map(|r| PossibleValue::new(r.as_str()).help(r.meta().summary));
        let categories = Category::ALL
            .iter()
            .map(|c| PossibleValue::new(c.as_str()).help(format!("category: {}", c.title())));
        let all = PossibleValue::new("all").help("every rule");
        Some(Box::new(categories.chain(rules).chain([all])))
    }
}

/// A rule's kebab-case name, a category's (`risk`, `internal-audit`), or
/// `all`; a typo gets a "did you mean".
fn parse_selector(s: &str) -> Result<Selector, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("all") {
        return Ok(Selector::All);
    }
    if let Some(rule) = RuleId::parse(s) {
        return Ok(Selector::Rule(rule));
    }
    if let Some(c) = Category::ALL.iter().find(|c| c.as_str() == s) {
        return Ok(Selector::Category(*c));
    }
    let names = RuleId::ALL
        .iter()
        .map(|r| r.as_str())
        .chain(Category::ALL.iter().map(|c| c.as_str()));
    let hint = match isms_core::text::closest(s, names) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "see `isms-lint rules` for the rules and their categories".to_owned(),
    };
    Err(format!("`{s}` is no rule or category: {hint}"))
}

/// A calendar date written YYYY-MM-DD, with the reason in words when it is not
/// one ("February 2025 has 28 days", not "input is out of range").
fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        let message = isms_core::rules::integrity::invalid_date::date_message("date", s);
        match message.split_once(": ") {
            Some((_, why)) => why.to_owned(),
            None => message,
        }
    })
}
