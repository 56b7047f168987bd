//! Fuzzes the date parsers: publication dates in every accepted shape, paths, datelines,
//! time expressions in text (with and without an anchor) and `--mentions` filters.
#![no_main]

use chrono::NaiveDate;
use gazette::timex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = timex::parse_published(text);
    let _ = timex::published_day(text);
    let _ = timex::from_path(text);
    let _ = timex::from_dateline(text, Some(2025));
    let _ = timex::from_dateline(text, None);
    let _ = timex::parse_mentions_filter(text);
    let anchor = NaiveDate::from_ymd_opt(2025, 10, 15);
    for anchor in [
        anchor,
        None,
        NaiveDate::from_ymd_opt(1, 1, 1),
        NaiveDate::from_ymd_opt(262_000, 12, 31),
    ] {
        for m in timex::extract(text, anchor) {
            assert_eq!(&text[m.start..m.end], m.text);
            if let Some(r) = m.range {
                assert!(r.start <= r.end, "{m:?}");
            }
        }
    }
});
