//! `gazette expand` (the candidates of a query's words with their evidence, to the output) and
//! the expansion `query --expand` runs before its query.

use std::collections::BTreeMap;
use std::io::Write;

use gazette::analysis::expand::{self, Expansion};
use gazette::index::GazetteIndex;
use gazette::meta::Meta;
use gazette::output::{self, Format};
use gazette::search::{QueryConfig, Search};
use serde_json::json;

use super::query::{filters, format, write_meta_file};
use crate::cli::ExpandArgs;
use crate::exit::Code;

pub fn run(args: &ExpandArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
    if args.query.trim().is_empty() {
        anyhow::bail!("expand needs a query with words");
    }
    let config = QueryConfig {
        query: args.query.clone(),
        any: args.any,
        ..filters(&args.filters)?
    };
    let gazette = GazetteIndex::open(&args.index.index)?;
    let search = Search::new(&gazette)?;
    let prepared = search.prepare(&config)?;
    let mut options = BTreeMap::new();
    options.insert("keyness", json!(args.keyness));
    options.insert("min_share", json!(expand::MIN_SHARE));
    let meta = Meta::new("expand", &search, &config, &[(None, &prepared)], options)?;
    write_meta_file(args.meta.meta.as_deref(), &meta)?;
    let threads = crate::cli::threads_or_cores(args.threads);
    let found = expand::expand(
        &search,
        &config,
        expand::Options {
            keyness: args.keyness,
            evidence: true,
        },
        threads,
    )?;
    let format = format(args.format);
    if !matches!(format, Format::Text | Format::Json) {
        eprintln!("expanded query: {}", found.expanded);
    }
    let mut out = out;
    output::write_expansion(&mut out, &found, format, Some(&meta))?;
    // As for keyness: an answer about no passages at all is partial.
    Ok(if found.passages > 0 {
        Code::Success
    } else {
        Code::Partial
    })
}

/// The expansion `query --expand` runs: WordNet relatives only, no evidence beyond the
/// rule's count.
pub(crate) fn for_query(search: &Search, config: &QueryConfig) -> anyhow::Result<Expansion> {
    Ok(expand::expand(
        search,
        config,
        expand::Options {
            keyness: 0,
            evidence: false,
        },
        1,
    )?)
}
