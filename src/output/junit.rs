//! JUnit XML (`--format junit`) for the test report views of GitLab, Jenkins
//! and Azure DevOps.
//!
//! Layout: one `<testsuite>` per rule that reported something, named after the
//! rule; in it one `<testcase>` per finding, named `path:line:column` (and the
//! record id), with the rule as `classname` (`isms-lint.<category>.<rule>`, which
//! Jenkins shows as package and class). A finding is a
//! `<failure>` whose `type` is its severity; a waived finding is `<skipped>`
//! with the waiver. A clean repository gives one passing test case, so the
//! report is never empty.
//!
//! Grouping by rule rather than by file reads as a list of obligations: the
//! failed "tests" are the rules of the standard the repository does not meet,
//! each with the places to fix. Whether the job fails is the exit code's
//! business (`--fail-on`), not the report's.
//!
//! The output is valid against the strict JUnit schema of Jenkins' xunit
//! plugin (`junit-10.xsd`, vendored under `tests/fixtures/junit/`), which
//! allows no attribute it does not declare: so there is no `skipped` on
//! `<testsuites>` and no `file` or `line` on `<testcase>` (the place is in
//! the test case's name and the failure's text). That is also why this is
//! written here rather than with `quick-junit`: that crate always writes
//! `skipped` on `<testsuites>`, which the schema rejects.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use isms_core::rules::{find, registry};
use isms_core::Finding;

use super::Context;

pub fn write(out: &mut dyn Write, cx: &Context<'_>) -> io::Result<()> {
    out.write_all(render(cx).as_bytes())
}

pub fn render(cx: &Context<'_>) -> String {
    let report = cx.report;
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_rule.entry(f.rule.as_str()).or_default().push(f);
    }
    // Registry order (by category), then any rule it does not know.
    let mut rules: Vec<&str> = registry()
        .iter()
        .map(|r| r.meta().name())
        .filter(|n| by_rule.contains_key(n))
        .collect();
    for name in by_rule.keys() {
        if !rules.contains(name) {
            rules.push(name);
        }
    }

    let off = super::disabled(report);
    let total = report.findings.len().max(1) + off.len();
    let skipped = report.findings.iter().filter(|f| f.is_waived()).count();
    let failures = report.findings.len() - skipped;
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"isms-lint\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\" time=\"0\">"
    );
    if rules.is_empty() {
        let _ = writeln!(
            s,
            "  <testsuite name=\"isms-lint\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\" timestamp=\"{}T00:00:00\">",
            report.as_of
        );
        let _ = writeln!(
            s,
            "    <testcase name=\"{}\" classname=\"isms-lint\" time=\"0\"/>",
            attr(&format!("no findings as of {}", report.as_of))
        );
        s.push_str("  </testsuite>\n");
    }
    for rule in rules {
        let findings = &by_rule[rule];
        let skipped = findings.iter().filter(|f| f.is_waived()).count();
        let classname = match find(rule) {
            Some(r) => format!("isms-lint.{}.{rule}", r.meta().category),
            None => format!("isms-lint.{rule}"),
        };
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\" timestamp=\"{}T00:00:00\">",
            attr(rule),
            findings.len(),
            findings.len() - skipped,
            report.as_of
        );
        for f in findings {
            testcase(cx, &mut s, f, &classname);
        }
        s.push_str("  </testsuite>\n");
    }
    // Rules turned off: skipped test cases, so that a rule switched off is
    // never invisible in the test report either.
    if !off.is_empty() {
        let _ = writeln!(
            s,
            "  <testsuite name=\"rules turned off\" tests=\"{n}\" failures=\"0\" errors=\"0\" skipped=\"{n}\" time=\"0\" timestamp=\"{}T00:00:00\">",
            report.as_of,
            n = off.len()
        );
        let manifest = cx.file_path(report.repo.manifest_file);
        for (rule, line) in off {
            let classname = match find(rule) {
                Some(r) => format!("isms-lint.{}.{rule}", r.meta().category),
                None => format!("isms-lint.{rule}"),
            };
            let _ = writeln!(
                s,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n      <skipped message=\"{}\"/>\n    </testcase>",
                attr(rule),
                attr(&classname),
                attr(&format!("turned off by lint.rules at {manifest}:{line}: the rule did not run"))
            );
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

fn testcase(cx: &Context<'_>, s: &mut String, f: &Finding, classname: &str) {
    let report = cx.report;
    let (start, _) = report.range(f);
    let path = cx.path(f);
    let mut name = format!("{path}:{}:{}", start.line, start.column);
    if let Some(id) = &f.record_id {
        let _ = write!(name, " ({id})");
    }
    let _ = writeln!(
        s,
        "    <testcase name=\"{}\" classname=\"{}\" time=\"0\">",
        attr(&name),
        attr(classname),
    );
    let waiver = f
        .waiver
        .and_then(|i| report.waivers.iter().find(|w| w.index == i));
    if let Some(w) = waiver {
        let _ = writeln!(
            s,
            "      <skipped message=\"{}\"/>",
            attr(&format!(
                "waived until {} by {}: {}",
                w.waiver.expires, w.waiver.owner, w.waiver.reason
            ))
        );
    } else {
        let mut body = format!(
            "{path}:{}:{}: {}[{}] {}",
            start.line, start.column, f.severity, f.rule, f.message
        );
        if let Some(help) = &f.help {
            let _ = write!(body, "\nhelp: {help}");
        }
        let _ = write!(body, "\nsee: isms-lint explain {}", f.rule);
        let _ = writeln!(
            s,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            f.severity,
            attr(&f.message),
            text(&body)
        );
    }
    s.push_str("    </testcase>\n");
}

/// Escape an attribute value.
fn attr(s: &str) -> String {
    text(s)
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

/// Escape character data. Control characters (which XML 1.0 cannot hold,
/// or which a log view would act on) are shown as `\u{1b}`, as in every
/// other format (see `escape`); `U+FFFE` and `U+FFFF` become U+FFFD.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if super::escape::is_unsafe(c) => {
                out.push_str(&super::escape::terminal(c.encode_utf8(&mut [0; 4])))
            }
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The JUnit report of a check that could not run: one failed test case
/// with the cause.
pub fn render_failure(f: &super::failure::Failure) -> String {
    let place = match &f.place {
        Some((path, line, column)) => format!("{path}:{line}:{column}"),
        None => "isms-lint".to_owned(),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"isms-lint\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"0\">\n  <testsuite name=\"{rule}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n    <testcase name=\"{}\" classname=\"isms-lint.{rule}\" time=\"0\">\n      <error type=\"{rule}\" message=\"{}\">{}</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n",
        attr(&place),
        attr(&f.sentence()),
        text(&f.sentence()),
        rule = super::failure::RULE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(attr("a<b & \"c\"\n"), "a&lt;b &amp; &quot;c&quot;&#10;");
        assert_eq!(
            text("x\u{1}y\u{1b}[2J\u{ffff}"),
            "x\\u{1}y\\u{1b}[2J\u{FFFD}"
        );
    }
}
