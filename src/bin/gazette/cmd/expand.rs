//! `gazette expand` (the candidates of a query's words with their evidence, to stdout) and
//! the expansion `query --expand` runs before its query.

use std::collections::BTreeMap;
use std::io::BufWriter;

use gazette::analysis::expand::{self, Expansion};
use gazette::index::GazetteIndex;
use gazette::meta::Meta;
use gazette::output::{self, Format};
use gazette::search::{QueryConfig, Search};
use serde_json::json;

use super::query::{filters, format, write_meta_file};
use crate::cli::ExpandArgs;
use crate::exit::Code;

pub fn run(args: ExpandArgs) -> anyhow::Result<Code> {
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
    options.insert("min_with_rest", json!(expand::MIN_WITH_REST));
    let meta = Meta::new("expand", &search, &config, &[(None, &prepared)], options)?;
    write_meta_file(args.meta.meta.as_deref(), &meta)?;
    let threads = crate::cli::threads_or_cores(args.threads);
    let found = expand::expand(
        &search,
        &config,
        expand::Options {
            min_with_rest: expand::MIN_WITH_REST,
            keyness: args.keyness,
            evidence: true,
        },
        threads,
    )?;
    let format = format(args.format);
    if !matches!(format, Format::Text | Format::Json) {
        eprintln!("expanded query: {}", found.expanded);
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::write_expansion(&mut out, &found, format, Some(&meta))?;
    Ok(if found.candidates.is_empty() {
        Code::Partial
    } else {
        Code::Success
    })
}

/// The expansion `query --expand` runs: WordNet relatives only, no evidence beyond the
/// rule's count.
pub(crate) fn for_query(search: &Search, config: &QueryConfig) -> anyhow::Result<Expansion> {
    Ok(expand::expand(
        search,
        config,
        expand::Options {
            min_with_rest: expand::MIN_WITH_REST,
            keyness: 0,
            evidence: false,
        },
        1,
    )?)
}
