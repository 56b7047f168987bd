//! `gazette collocates`, `gazette keyness` and `gazette network`: the query and filters
//! to the library's analyses (`gazette::analysis`) over every matching passage, answers
//! to the command's output.

use std::collections::BTreeMap;
use std::io::Write;

use gazette::analysis::collocates::{self, Measure};
use gazette::analysis::{keyness, network};
use gazette::index::GazetteIndex;
use gazette::meta::Meta;
use gazette::model::EntityKind;
use gazette::output;
use gazette::output::NetworkFormat;
use gazette::search::{QueryConfig, Search};
use serde_json::{Value, json};

use super::query::{filters, format, write_meta_file};
use crate::cli::{
    AnalysisArgs, CollocatesArgs, FormatArg, KeynessArgs, MeasureArg, NetworkArgs, NetworkFormatArg,
};
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

pub fn collocates(args: &CollocatesArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
    let common = &args.common;
    let config = QueryConfig {
        occurrence_tags: args.entities,
        ..config(common, &common.query)?
    };
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
    options.insert("entities", json!(args.entities));
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
            entities: args.entities,
        },
        threads,
    )?;
    let mut out = out;
    output::write_collocates(&mut out, &found, format(common.format), Some(&meta))?;
    Ok(if found.passages > 0 {
        Code::Success
    } else {
        Code::Partial
    })
}

pub fn keyness(args: &KeynessArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
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
    let mut out = out;
    output::write_keyness(&mut out, &found, format(common.format), Some(&meta))?;
    Ok(if found.target_passages > 0 {
        Code::Success
    } else {
        Code::Partial
    })
}

pub fn network(args: &NetworkArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
    let mut types = Vec::new();
    for t in &args.types {
        let kind = EntityKind::from_tag(&t.trim().to_ascii_uppercase()).ok_or_else(|| {
            anyhow::anyhow!("--types {t:?} is not an entity type: use PER, ORG, LOC or MISC")
        })?;
        types.push(kind);
    }
    let config = QueryConfig {
        query: args.query.clone(),
        any: args.any,
        all: true,
        ..filters(&args.filters)?
    };
    let gazette = GazetteIndex::open(&args.index.index)?;
    let search = Search::new(&gazette)?;
    let prepared = search.prepare_all(&config)?;
    let mut options = BTreeMap::new();
    let tags: Vec<&str> = types.iter().map(|k| k.tag()).collect();
    options.insert("types", json!(tags));
    options.insert("min", json!(args.min));
    let meta = Meta::new("network", &search, &config, &[(None, &prepared)], options)?;
    write_meta_file(args.meta.meta.as_deref(), &meta)?;
    let threads = crate::cli::threads_or_cores(args.threads);
    let options = network::Options {
        types,
        min_passages: args.min,
    };
    let net = network::network(&search, &prepared, &options, threads)?;
    let format = match args.format {
        NetworkFormatArg::Text => NetworkFormat::Table(format(FormatArg::Text)),
        NetworkFormatArg::Json => NetworkFormat::Table(format(FormatArg::Json)),
        NetworkFormatArg::Jsonl => NetworkFormat::Table(format(FormatArg::Jsonl)),
        NetworkFormatArg::Csv => NetworkFormat::Table(format(FormatArg::Csv)),
        NetworkFormatArg::Tsv => NetworkFormat::Table(format(FormatArg::Tsv)),
        NetworkFormatArg::Graphml => NetworkFormat::Graphml,
        NetworkFormatArg::Gexf => NetworkFormat::Gexf,
    };
    let mut out = out;
    output::write_network(&mut out, &net, format, Some(&meta))?;
    Ok(if net.edges.is_empty() {
        Code::Partial
    } else {
        Code::Success
    })
}
