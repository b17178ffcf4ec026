//! The YAML parser: any text parses or fails without a panic, in time, and
//! every span it gives lies inside the text, on character boundaries.
#![no_main]

use isms_core::source::SourceFile;
use isms_core::yaml::{self, Node, Value};
use libfuzzer_sys::fuzz_target;

fn spans_inside(file: &SourceFile, node: &Node) {
    let ok = |s: isms_core::source::Span| {
        s.start <= s.end
            && s.end <= file.text.len()
            && file.text.is_char_boundary(s.start)
            && file.text.is_char_boundary(s.end)
    };
    assert!(ok(node.span), "{:?} outside the text", node.span);
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                spans_inside(file, &e.key);
                spans_inside(file, &e.value);
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| spans_inside(file, n)),
        Value::Scalar(_) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = SourceFile::new("fuzz.yaml", text.as_ref());
    let parsed = yaml::parse(&file, &file.text, 1);
    for e in &parsed.errors {
        assert!(e.span.end <= file.text.len(), "{e:?}");
    }
    if !parsed.fatal {
        for doc in &parsed.documents {
            spans_inside(&file, doc);
        }
    }
});
