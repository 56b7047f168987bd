//! `gazette query`: arguments to a [`QueryConfig`], hits to the command's output in the chosen format.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use gazette::analysis::kwic::{self, KwicSort, Window};
use gazette::index::GazetteIndex;
use gazette::meta::Meta;
use gazette::model::{DateRange, EntityKind};
use gazette::output::{self, Format, HitWriter, KwicWriter, Marking};
use gazette::search::{Aliases, By, Prepared, QueryConfig, Search, SortOrder, Unit};
use gazette::{plot, timex};
use serde_json::{Value, json};

use crate::cli::{
    ByArg, ColorArg, FilterArgs, FormatArg, KwicSortArg, QueryArgs, SortArg, TimelineArgs, UnitArg,
};
use crate::exit::Code;

pub fn run(args: &QueryArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
    let mut config = config(args)?;
    let gazette = GazetteIndex::open(&args.index.index)?;
    let search = Search::new(&gazette)?;
    // --expand: the query runs with its words replaced; meta keeps the query as given
    // and shows the expanded one as executed, and text output says it on stderr.
    let given = config.query.clone();
    if args.expand && !given.trim().is_empty() {
        let expansion = super::expand::for_query(&search, &config)?;
        if args.format == FormatArg::Text {
            eprintln!("expanded query: {}", expansion.expanded);
        }
        config.query = expansion.expanded;
    }
    let prepared = search.prepare(&config)?;
    let mut meta = Meta::new(
        "query",
        &search,
        &config,
        &[(None, &prepared)],
        options(args),
    )?;
    if let Some(q) = meta.queries.first_mut() {
        q.query = given;
    }
    write_meta_file(args.meta.meta.as_deref(), &meta)?;
    if args.count {
        let n = search.count(&prepared)?;
        writeln!(out, "{n}")?;
        return Ok(if n > 0 { Code::Success } else { Code::Partial });
    }
    if let Some(unit) = args.timeline.timeline {
        return timeline(args, &prepared, &search, unit, &meta, out);
    }
    if args.kwic {
        return kwic(args, &prepared, &search, &meta, out);
    }
    let facets = if args.facets {
        Some(search.facets(&prepared, args.facet_limit)?)
    } else {
        None
    };
    let format = format(args.format);
    let marking = marking(args.color);
    // With --facets, CSV/TSV carry the facet table alone (one table per output).
    let csv_facets_only = facets.is_some() && matches!(format, Format::Csv | Format::Tsv);
    let mut writer = HitWriter::new(out, format, marking, config.offset.saturating_add(1))
        .with_meta(meta)
        .begin(!csv_facets_only)?;
    let summary = if csv_facets_only {
        gazette::search::SearchSummary {
            total: search.count(&prepared)?,
        }
    } else {
        let threads = crate::cli::threads_or_cores(args.threads);
        search.run(&prepared, threads, &mut |hit| writer.hit(&hit))?
    };
    writer
        .finish(summary.total, facets.as_ref())
        .context("writing results")?;
    if summary.total == 0 && args.format == FormatArg::Text {
        eprintln!("no matching passages{}", explain_no_hits(&search, &config));
    }
    Ok(if summary.total > 0 {
        Code::Success
    } else {
        Code::Partial
    })
}

/// For an empty answer to a combined query: how many passages each part matches alone,
/// so a researcher sees whether the words or the names found nothing, or only never met.
fn explain_no_hits(search: &Search, config: &QueryConfig) -> String {
    let mut parts: Vec<(String, QueryConfig)> = Vec::new();
    let alone = |f: &dyn Fn(&mut QueryConfig)| {
        let mut c = QueryConfig {
            limit: 0,
            aliases: config.aliases.clone(),
            dedup: config.dedup,
            ..Default::default()
        };
        f(&mut c);
        c
    };
    if !config.query.trim().is_empty() {
        let q = config.query.clone();
        parts.push((format!("query {q:?}"), alone(&|c| c.query = q.clone())));
    }
    for (kind, name) in &config.entities {
        let label = kind.map_or("entity", |k| k.field_name());
        let filter = (*kind, name.clone());
        parts.push((
            format!("{label} {name:?}"),
            alone(&|c| c.entities = vec![filter.clone()]),
        ));
    }
    if parts.len() < 2 {
        return String::new();
    }
    let counts: Vec<String> = parts
        .iter()
        .filter_map(|(label, c)| {
            let n = search.prepare(c).and_then(|p| search.count(&p)).ok()?;
            Some(format!("{label} alone: {n}"))
        })
        .collect();
    format!(" ({})", counts.join("; "))
}

/// The options of `query` that shape its answer, for `meta` (filters are listed apart).
fn options(args: &QueryArgs) -> BTreeMap<&'static str, Value> {
    let mut o = BTreeMap::new();
    if args.expand {
        o.insert("expand", json!(true));
    }
    if args.timeline.timeline.is_some() {
        timeline_options(&mut o, &args.timeline);
    } else if args.count {
        o.insert("count", json!(true));
    } else {
        if args.kwic {
            o.insert("kwic", json!(true));
            o.insert("width", json!(args.width));
            o.insert("sentence", json!(args.sentence));
            o.insert("kwic_sort", json!(kwic_sort(args.kwic_sort)));
        }
        o.insert("limit", json!(args.limit));
        o.insert("offset", json!(args.offset));
        o.insert("all", json!(args.all));
        o.insert("sort", json!(sort_name(args.sort)));
        if args.facets {
            o.insert("facets", json!(args.facet_limit));
        }
    }
    o
}

/// `--timeline`, `--by` and `--normalize` for `meta`, when a timeline was asked for.
pub(crate) fn timeline_options(o: &mut BTreeMap<&'static str, Value>, args: &TimelineArgs) {
    if let Some(unit) = args.timeline {
        o.insert("timeline", json!(unit_of(unit)));
        o.insert("by", json!(by_of(args.by)));
        o.insert("normalize", json!(args.normalize));
    }
}

pub(crate) fn sort_name(sort: SortArg) -> &'static str {
    match sort {
        SortArg::Score => "score",
        SortArg::Date => "date",
    }
}

/// Writes `meta` to the `--meta` file, when one was given.
pub(crate) fn write_meta_file(path: Option<&Path>, meta: &Meta) -> anyhow::Result<()> {
    if let Some(path) = path {
        std::fs::write(path, meta.to_json_pretty())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// `--kwic`: concordance lines instead of hits. Lines stream in rank order, except in
/// text (aligned on the longest context) and when sorted, where all are gathered first.
fn kwic(
    args: &QueryArgs,
    prepared: &Prepared,
    search: &Search,
    meta: &Meta,
    out: &mut dyn Write,
) -> anyhow::Result<Code> {
    if prepared.config().query.trim().is_empty() {
        anyhow::bail!("--kwic needs a query with words or phrases to find in the passages");
    }
    let context = Window {
        width: match (args.width, args.sentence) {
            (Some(w), _) => Some(w),
            (None, true) => None,
            (None, false) => Some(DEFAULT_KWIC_WIDTH),
        },
        sentence: args.sentence,
    };
    let sort = kwic_sort(args.kwic_sort);
    let format = format(args.format);
    let threads = crate::cli::threads_or_cores(args.threads);
    let mut rank = prepared.config().offset;
    let total = if sort == KwicSort::Rank && format != Format::Text {
        let mut writer =
            KwicWriter::new(out, format, marking(args.color), (0, 0)).begin(Some(meta))?;
        let summary = search.run(prepared, threads, &mut |hit| {
            rank += 1;
            kwic::lines(&hit, rank, context)
                .iter()
                .try_for_each(|line| writer.line(line))
        })?;
        writer.finish(summary.total)?;
        summary.total
    } else {
        let mut lines = Vec::new();
        let summary = search.run(prepared, threads, &mut |hit| {
            rank += 1;
            lines.extend(kwic::lines(&hit, rank, context));
            Ok(())
        })?;
        kwic::sort(&mut lines, sort);
        let widest = |f: fn(&kwic::KwicLine) -> &str| {
            lines
                .iter()
                .map(|l| f(l).chars().count())
                .max()
                .unwrap_or(0)
        };
        let align = (widest(|l| &l.left), widest(|l| &l.right));
        let mut writer =
            KwicWriter::new(out, format, marking(args.color), align).begin(Some(meta))?;
        for line in &lines {
            writer.line(line)?;
        }
        writer.finish(summary.total)?;
        summary.total
    };
    if total == 0 && args.format == FormatArg::Text {
        eprintln!("no matching passages");
    }
    Ok(if total > 0 {
        Code::Success
    } else {
        Code::Partial
    })
}

/// Characters of context each side of a concordance line, unless `--width` says.
const DEFAULT_KWIC_WIDTH: usize = 40;

fn kwic_sort(arg: KwicSortArg) -> KwicSort {
    match arg {
        KwicSortArg::Rank => KwicSort::Rank,
        KwicSortArg::Match => KwicSort::Match,
        KwicSortArg::Left => KwicSort::Left,
        KwicSortArg::Right => KwicSort::Right,
    }
}

/// How text output marks highlights for `--color`.
pub(crate) fn marking(color: ColorArg) -> Marking {
    match color {
        ColorArg::Always => Marking::Bold,
        ColorArg::Never => Marking::Brackets,
        ColorArg::Auto if std::io::stdout().is_terminal() => Marking::Bold,
        ColorArg::Auto => Marking::Brackets,
    }
}

/// The library's output format for `--format`.
pub(crate) fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
        FormatArg::Tsv => Format::Tsv,
    }
}

/// `--timeline`: counts per bucket instead of hits, and a chart with `--plot`.
fn timeline(
    args: &QueryArgs,
    prepared: &Prepared,
    search: &Search,
    unit: UnitArg,
    meta: &Meta,
    out: &mut dyn Write,
) -> anyhow::Result<Code> {
    let (unit, by) = (unit_of(unit), by_of(args.timeline.by));
    let timeline = if args.timeline.normalize {
        search.normalized_timeline(prepared, unit, by)?
    } else {
        search.timeline(prepared, unit, by)?
    };
    let mut out = out;
    output::write_timeline(&mut out, &timeline, format(args.format), Some(meta))?;
    if let Some(path) = &args.timeline.plot {
        let what = if args.timeline.normalize {
            "share of passages"
        } else {
            "passages"
        };
        let title = if args.query.trim().is_empty() {
            format!("{what} matching the filters")
        } else {
            format!("{what} matching {}", args.query.trim())
        };
        plot::plot_timeline(&timeline, &title, path)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let outside = [&timeline.earlier, &timeline.later]
        .into_iter()
        .flatten()
        .any(|o| o.passages > 0);
    let any = timeline.buckets.iter().any(|b| b.passages > 0) || timeline.undated > 0 || outside;
    Ok(if any { Code::Success } else { Code::Partial })
}

/// The library's bucket unit for `--timeline`.
pub(crate) fn unit_of(unit: UnitArg) -> Unit {
    match unit {
        UnitArg::Day => Unit::Day,
        UnitArg::Week => Unit::Week,
        UnitArg::Month => Unit::Month,
        UnitArg::Quarter => Unit::Quarter,
        UnitArg::Year => Unit::Year,
    }
}

/// The library's bucketing date for `--by`.
pub(crate) fn by_of(by: ByArg) -> By {
    match by {
        ByArg::Published => By::Published,
        ByArg::Mentions => By::Mentions,
    }
}

/// Validates the arguments into the library's query config.
fn config(args: &QueryArgs) -> anyhow::Result<QueryConfig> {
    Ok(QueryConfig {
        query: args.query.clone(),
        any: args.any,
        limit: args.limit,
        offset: args.offset,
        all: args.all,
        sort: sort_of(args.sort),
        occurrences: args.kwic,
        ..filters(&args.filters)?
    })
}

/// The library's hit order for `--sort`.
pub(crate) fn sort_of(sort: SortArg) -> SortOrder {
    match sort {
        SortArg::Score => SortOrder::Score,
        SortArg::Date => SortOrder::Date,
    }
}

/// Validates the filter flags (shared by `query` and `batch`) into a query config with an
/// empty query.
pub(crate) fn filters(args: &FilterArgs) -> anyhow::Result<QueryConfig> {
    let mut entities = Vec::new();
    for (kind, names) in [
        (Some(EntityKind::Person), &args.person),
        (Some(EntityKind::Organisation), &args.org),
        (Some(EntityKind::Location), &args.loc),
        (None, &args.entity),
    ] {
        entities.extend(names.iter().map(|n| (kind, n.clone())));
    }
    let since = args
        .since
        .as_deref()
        .map(|s| period("--since", s))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|s| period("--until", s))
        .transpose()?;
    if let (Some(a), Some(b)) = (since, until)
        && a.start > b.end
    {
        anyhow::bail!("--since {} is after --until {}", a.start, b.end);
    }
    Ok(QueryConfig {
        aliases: aliases(&args.aliases)?,
        sources: args.source.clone(),
        since: since.map(|r| r.start),
        until: until.map(|r| r.end),
        entities,
        mentions: args
            .mentions
            .as_deref()
            .map(|s| period("--mentions", s))
            .transpose()?,
        dedup: args.dedup,
        ..Default::default()
    })
}

/// The `--aliases` files, in order, as one table.
pub(crate) fn aliases(files: &[std::path::PathBuf]) -> anyhow::Result<Aliases> {
    let mut aliases = Aliases::default();
    for file in files {
        aliases = aliases.with_file(file)?;
    }
    Ok(aliases)
}

fn period(flag: &str, value: &str) -> anyhow::Result<DateRange> {
    timex::parse_mentions_filter(value).with_context(|| {
        format!(
            "{flag} {value:?} is not a date: use YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Qn, YYYY-Wnn or FROM..TO"
        )
    })
}
