//! Fuzzes the query front end: any string as a query (syntax checks, entity-name rewriting,
//! tantivy's parser, the search itself) against a small real index, built once.
#![no_main]

use std::sync::OnceLock;

use gazette::index::GazetteIndex;
use gazette::search::{QueryConfig, Search};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static GazetteIndex {
    static INDEX: OnceLock<(tempfile::TempDir, GazetteIndex)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let corpus = dir.path().join("corpus");
            std::fs::create_dir_all(&corpus).unwrap();
            std::fs::write(
                corpus.join("a.md"),
                "---\ntitle: Putin meets al-Sharaa\ndate: 2025-10-15\n---\n\
                 Vladimir Putin met Ahmed al-Sharaa in Moscow on Wednesday. Energy and food \
                 supplies from Russia were discussed, and the Hmeimim airbase.\n",
            )
            .unwrap();
            let idx = dir.path().join("idx");
            let config = gazette::ingest::IngestConfig {
                roots: vec![corpus],
                index: idx.clone(),
                rebuild: true,
                follow_symlinks: false,
                prune: false,
                threads: 1,
                memory_bytes: 50_000_000,
                commit_every: std::time::Duration::from_secs(60),
                shard: None,
                staged: None,
            };
            struct Silent;
            impl gazette::ingest::IngestEvents for Silent {
                fn start(&mut self, _: u64, _: u64) {}
                fn file_done(&mut self, _: u64) {}
                fn warn(&mut self, _: &str) {}
                fn committed(&mut self, _: bool) {}
            }
            gazette::ingest::run(&config, &mut Silent, Default::default()).unwrap();
            let gazette = GazetteIndex::open(&idx).unwrap();
            (dir, gazette)
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let search = Search::new(index()).unwrap();
    for any in [false, true] {
        let config = QueryConfig {
            query: query.to_string(),
            any,
            limit: 5,
            ..Default::default()
        };
        if let Ok(prepared) = search.prepare(&config) {
            let _ = search.count(&prepared);
            let _ = search.run(&prepared, 1, &mut |_| Ok(()));
        }
    }
});
