//! `gazette copies`: the near-duplicate group of an article, in the chosen format.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context;
use gazette::index::GazetteIndex;
use gazette::meta::Meta;
use gazette::output::write_copies;
use gazette::search::{QueryConfig, Search};
use serde_json::json;

use crate::cli::CopiesArgs;
use crate::exit::Code;

pub fn run(args: &CopiesArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
    let gazette = GazetteIndex::open(&args.index.index)?;
    let search = Search::new(&gazette)?;
    let rows = match &args.article_id {
        Some(id) => search.copies(id)?,
        None => search.all_copies()?,
    };
    if rows.is_empty() {
        match &args.article_id {
            Some(id) => eprintln!("no article {id:?} in the index"),
            None => eprintln!("no article in the index has copies"),
        }
        return Ok(Code::Partial);
    }
    let mut options = BTreeMap::new();
    options.insert("article_id", json!(args.article_id));
    options.insert("all", json!(args.all));
    let meta = Meta::new("copies", &search, &QueryConfig::default(), &[], options)?;
    super::query::write_meta_file(args.meta.meta.as_deref(), &meta)?;
    let mut out = out;
    let format = super::query::format(args.format);
    write_copies(&mut out, format, &rows, Some(&meta)).context("writing results")?;
    out.flush()?;
    Ok(Code::Success)
}
