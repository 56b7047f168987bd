//! `gazette export`: every passage of the index as JSON lines, streamed in article id then
//! passage order (the Spark job's annotations are made from it).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context;
use gazette::index::GazetteIndex;
use gazette::meta::Meta;
use gazette::search::{QueryConfig, Search};
use serde_json::json;

use crate::cli::ExportArgs;
use crate::exit::Code;

pub fn run(args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
    let aliases = super::query::aliases(&args.aliases)?;
    let gazette = GazetteIndex::open(&args.index.index)?;
    let search = Search::new(&gazette)?;
    if args.meta.meta.is_some() {
        let files: Vec<String> = args
            .aliases
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let mut options = BTreeMap::new();
        options.insert("aliases", json!(files));
        let meta = Meta::new("export", &search, &QueryConfig::default(), &[], options)?;
        super::query::write_meta_file(args.meta.meta.as_deref(), &meta)?;
    }
    let mut line = Vec::new();
    let passages = search.export(&aliases, &mut |passage| {
        line.clear();
        serde_json::to_writer(&mut line, &passage)?;
        line.push(b'\n');
        out.write_all(&line)
    })?;
    out.flush().context("writing the passages")?;
    Ok(if passages == 0 {
        Code::Partial
    } else {
        Code::Success
    })
}
