//! `gazette groups`: the steps of the near-duplicate grouping that the Spark job runs
//! apart ([`gazette::dedup::exchange`]).

use std::io::Write;

use anyhow::Context;
use gazette::dedup::exchange;
use gazette::index::GazetteIndex;
use gazette::search::groups;

use crate::cli::GroupsArgs;
use crate::exit::Code;

pub fn run(args: GroupsArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
    if args.decide {
        let stdin = std::io::stdin().lock();
        exchange::decide_pairs(stdin, out).context("reading candidate pairs")?;
        out.flush()?;
        return Ok(Code::Success);
    }
    let gazette = GazetteIndex::open(&args.index.index)?;
    let searcher = gazette.index.reader()?.searcher();
    if args.sketches {
        let records = groups::records(&gazette, &searcher)?;
        exchange::write_sketches(&records, out)?;
        out.flush()?;
    } else {
        let stdin = std::io::stdin().lock();
        let found = exchange::read_components(stdin).context("reading components")?;
        groups::store_groups(&gazette, &searcher, &found)
            .with_context(|| format!("writing the groups of {}", args.index.index.display()))?;
    }
    Ok(Code::Success)
}
