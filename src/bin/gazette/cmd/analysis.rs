//! `gazette collocates` and `gazette keyness`: the query and filters to the library's
//! analyses (`gazette::analysis`) over every matching passage, answers to stdout.

use std::collections::BTreeMap;
use std::io::BufWriter;

use gazette::analysis::collocates::{self, Measure};
use gazette::analysis::keyness;
use gazette::index::GazetteIndex;
use gazette::meta::Meta;
use gazette::output;
use gazette::search::{QueryConfig, Search};
use serde_json::{Value, json};

use super::query::{filters, format, write_meta_file};
use crate::cli::{AnalysisArgs, CollocatesArgs, KeynessArgs, MeasureArg};
use crate::exit::Code;

/// Every matching passage of `query` under the shared filters, with its occurrences.
fn config(args: &AnalysisArgs, query: &str) -> anyhow::Result<QueryConfig> {
    if query.trim().is_empty() {
        anyhow::bail!("the analysis needs a query with words or phrases");
    }
    Ok(QueryConfig {
        query: query.to_string(),
        any: args.any,
        all: true,
        occurrences: true,
        ..filters(&args.filters)?
    })
}

fn common_options(args: &AnalysisArgs) -> BTreeMap<&'static str, Value> {
    let mut o = BTreeMap::new();
    o.insert("limit", json!(args.limit));
    o.insert("min_freq", json!(args.min_freq));
    o.insert("all_words", json!(args.all_words));
    o
}

pub fn collocates(args: CollocatesArgs) -> anyhow::Result<Code> {
    let common = &args.common;
    let config = config(common, &common.query)?;
    let gazette = GazetteIndex::open(&common.index.index)?;
    let search = Search::new(&gazette)?;
    let prepared = search.prepare(&config)?;
    let measure = match args.measure {
        MeasureArg::Logdice => Measure::LogDice,
        MeasureArg::Mi => Measure::Mi,
        MeasureArg::T => Measure::T,
        MeasureArg::Ll => Measure::Ll,
    };
    let mut options = common_options(common);
    options.insert("window", json!(args.window));
    options.insert("measure", json!(measure));
    let meta = Meta::new(
        "collocates",
        &search,
        &config,
        &[(None, &prepared)],
        options,
    )?;
    write_meta_file(common.meta.meta.as_deref(), &meta)?;
    let threads = crate::cli::threads_or_cores(common.threads);
    let found = collocates::collocates(
        &search,
        &prepared,
        collocates::Options {
            window: args.window,
            measure,
            min_freq: common.min_freq,
            limit: common.limit,
            all_words: common.all_words,
        },
        threads,
    )?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::write_collocates(&mut out, &found, format(common.format), Some(&meta))?;
    Ok(if found.passages > 0 {
        Code::Success
    } else {
        Code::Partial
    })
}

pub fn keyness(args: KeynessArgs) -> anyhow::Result<Code> {
    let common = &args.common;
    let config = config(common, &common.query)?;
    let gazette = GazetteIndex::open(&common.index.index)?;
    let search = Search::new(&gazette)?;
    let target = search.prepare(&config)?;
    let reference = match &args.reference {
        Some(q) => Some(search.prepare(&QueryConfig {
            query: q.clone(),
            occurrences: false,
            ..config.clone()
        })?),
        None => None,
    };
    let mut options = common_options(common);
    options.insert("reference", json!(args.reference));
    let mut queries = vec![(None, &target)];
    if let Some(r) = &reference {
        queries.push((Some("reference"), r));
    }
    let meta = Meta::new("keyness", &search, &config, &queries, options)?;
    write_meta_file(common.meta.meta.as_deref(), &meta)?;
    let threads = crate::cli::threads_or_cores(common.threads);
    let found = keyness::keyness(
        &search,
        &target,
        reference.as_ref(),
        keyness::Options {
            min_freq: common.min_freq,
            limit: common.limit,
            all_words: common.all_words,
        },
        threads,
    )?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::write_keyness(&mut out, &found, format(common.format), Some(&meta))?;
    Ok(if found.target_passages > 0 {
        Code::Success
    } else {
        Code::Partial
    })
}
