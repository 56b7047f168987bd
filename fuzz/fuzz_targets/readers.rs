//! Fuzzes the article readers and everything an article goes through before indexing:
//! the first byte picks a format (plain or gzipped), the rest is the file; every article
//! read is then dated, segmented and tagged.
#![no_main]

use gazette::read::{Format, FormatKind, read_bytes};
use gazette::{ner, process};
use libfuzzer_sys::fuzz_target;

const KINDS: [FormatKind; 5] = [
    FormatKind::Text,
    FormatKind::Json,
    FormatKind::JsonLines,
    FormatKind::Html,
    FormatKind::Warc,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let format = Format {
        kind: KINDS[(selector % 5) as usize],
        gzip: selector & 8 != 0,
    };
    let tagger = ner::Tagger::builtin();
    let _ = read_bytes(bytes, "fuzz/input", format, &mut |article| {
        let processed = process::process(article, tagger);
        for p in &processed.passages {
            // The invariants search relies on.
            assert_eq!(p.text.len(), p.end - p.start);
            for e in &p.entities {
                assert!(p.text.is_char_boundary(e.start) && p.text.is_char_boundary(e.end));
                assert_eq!(&p.text[e.start..e.end], e.text);
            }
            for d in &p.dates {
                assert_eq!(&p.text[d.start..d.end], d.text);
            }
        }
    });
});
