//! `gazette entities`: the index's entities, most mentioned first, in the chosen format.

use std::collections::BTreeMap;
use std::io::Write;

use gazette::index::GazetteIndex;
use gazette::meta::Meta;
use gazette::model::EntityKind;
use gazette::output;
use gazette::search::{EntityOptions, QueryConfig, Search};
use serde_json::json;

use crate::cli::{EntitiesArgs, EntityTypeArg};
use crate::exit::Code;

pub fn run(args: &EntitiesArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
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
    let mut o = BTreeMap::new();
    o.insert("type", json!(options.kind.map(|k| k.tag())));
    o.insert("min", json!(args.min));
    o.insert("limit", json!(args.limit));
    let aliases: Vec<String> = args
        .aliases
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    o.insert("aliases", json!(aliases));
    let meta = Meta::new("entities", &search, &QueryConfig::default(), &[], o)?;
    super::query::write_meta_file(args.meta.meta.as_deref(), &meta)?;
    let mut out = out;
    let format = super::query::format(args.format);
    output::write_entities(&mut out, &entries, format, Some(&meta))?;
    out.flush()?;
    Ok(if entries.is_empty() {
        Code::Partial
    } else {
        Code::Success
    })
}
