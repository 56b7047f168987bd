//! `gazette entities`: the index's entities, most mentioned first, in the chosen format.

use std::io::{BufWriter, Write};

use gazette::index::GazetteIndex;
use gazette::model::EntityKind;
use gazette::output;
use gazette::search::{EntityOptions, Search};

use crate::cli::{EntitiesArgs, EntityTypeArg};
use crate::exit::Code;

pub fn run(args: EntitiesArgs) -> anyhow::Result<Code> {
    let options = EntityOptions {
        kind: args.kind.map(|k| match k {
            EntityTypeArg::Per => EntityKind::Person,
            EntityTypeArg::Org => EntityKind::Organisation,
            EntityTypeArg::Loc => EntityKind::Location,
            EntityTypeArg::Misc => EntityKind::Misc,
        }),
        min: args.min,
        limit: args.limit,
        aliases: super::query::aliases(&args.aliases)?,
    };
    let gazette = GazetteIndex::open(&args.index.index)?;
    let search = Search::new(&gazette)?;
    let entries = search.entities(&options)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::write_entities(&mut out, &entries, super::query::format(args.format))?;
    out.flush()?;
    Ok(if entries.is_empty() {
        Code::Partial
    } else {
        Code::Success
    })
}
