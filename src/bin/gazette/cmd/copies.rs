//! `gazette copies`: the near-duplicate group of an article, in the chosen format.

use std::io::{BufWriter, Write};

use anyhow::Context;
use gazette::index::GazetteIndex;
use gazette::output::write_copies;
use gazette::search::Search;

use crate::cli::CopiesArgs;
use crate::exit::Code;

pub fn run(args: CopiesArgs) -> anyhow::Result<Code> {
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
    let mut out = BufWriter::new(std::io::stdout().lock());
    write_copies(&mut out, super::query::format(args.format), &rows).context("writing results")?;
    out.flush()?;
    Ok(Code::Success)
}
