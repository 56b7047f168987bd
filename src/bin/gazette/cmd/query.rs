//! `gazette query`: arguments to a [`QueryConfig`], hits to stdout in the chosen format.

use std::io::{BufWriter, IsTerminal, Write};

use anyhow::Context;
use gazette::index::GazetteIndex;
use gazette::model::{DateRange, EntityKind};
use gazette::output::{self, Format, HitWriter, Marking};
use gazette::search::{By, Prepared, QueryConfig, Search, SortOrder, Unit};
use gazette::{plot, timex};

use crate::cli::{ByArg, ColorArg, FilterArgs, FormatArg, QueryArgs, SortArg, UnitArg};
use crate::exit::Code;

pub fn run(args: QueryArgs) -> anyhow::Result<Code> {
    let config = config(&args)?;
    let gazette = GazetteIndex::open(&args.index.index)?;
    let search = Search::new(&gazette)?;
    let prepared = search.prepare(&config)?;
    let stdout = std::io::stdout();
    if args.count {
        let n = search.count(&prepared)?;
        writeln!(stdout.lock(), "{n}")?;
        return Ok(if n > 0 { Code::Success } else { Code::Partial });
    }
    if let Some(unit) = args.timeline.timeline {
        return timeline(&args, &prepared, &search, unit);
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
    let out = BufWriter::new(stdout.lock());
    let mut writer = HitWriter::new(out, format, marking, config.offset.saturating_add(1))
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
) -> anyhow::Result<Code> {
    let (unit, by) = (unit_of(unit), by_of(args.timeline.by));
    let timeline = if args.timeline.normalize {
        search.normalized_timeline(prepared, unit, by)?
    } else {
        search.timeline(prepared, unit, by)?
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    output::write_timeline(&mut out, &timeline, format(args.format))?;
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

fn period(flag: &str, value: &str) -> anyhow::Result<DateRange> {
    timex::parse_mentions_filter(value).with_context(|| {
        format!(
            "{flag} {value:?} is not a date: use YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Qn, YYYY-Wnn or FROM..TO"
        )
    })
}
