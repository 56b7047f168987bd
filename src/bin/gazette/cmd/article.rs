//! `gazette article`: one whole article, passage by passage, in the chosen format.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context;
use gazette::index::GazetteIndex;
use gazette::meta::Meta;
use gazette::output::{Format, write_article};
use gazette::search::{QueryConfig, Search};
use serde_json::json;

use crate::cli::{ArticleArgs, ArticleFormatArg};
use crate::exit::Code;

pub fn run(args: &ArticleArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
    let gazette = GazetteIndex::open(&args.index.index)?;
    let search = Search::new(&gazette)?;
    let passages = search.article(&args.article_id)?;
    if passages.is_empty() {
        eprintln!("no article {:?} in the index", args.article_id);
        return Ok(Code::Partial);
    }
    let mut options = BTreeMap::new();
    options.insert("article_id", json!(args.article_id));
    let meta = Meta::new("article", &search, &QueryConfig::default(), &[], options)?;
    super::query::write_meta_file(args.meta.meta.as_deref(), &meta)?;
    let format = match args.format {
        ArticleFormatArg::Text => Format::Text,
        ArticleFormatArg::Json => Format::Json,
        ArticleFormatArg::Jsonl => Format::Jsonl,
    };
    let mut out = out;
    write_article(&mut out, &passages, format, Some(&meta)).context("writing the article")?;
    Ok(Code::Success)
}
