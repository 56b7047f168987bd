//! A request to the arguments of a subcommand: each API endpoint is a subcommand with
//! fixed flags (`--format json`, `--kwic`, ...), and its URL parameters are that
//! subcommand's long flags (`limit`, `since`, `person`, ...; `q` is the query). The
//! arguments are parsed by the same clap definitions as the command line, so names,
//! defaults, validation and error messages are the command line's.

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Args, Command};

/// One endpoint: the subcommand it runs and what the request may set.
pub struct Endpoint {
    pub name: &'static str,
    pub subcommand: &'static str,
    /// Flags the endpoint always passes.
    pub fixed: &'static [&'static str],
    /// The URL parameters that give the subcommand's positional argument, if it has one.
    pub positional: &'static [&'static str],
    /// Whether the request body is the command's input (POST).
    pub body: bool,
    /// What the answer is.
    pub content_type: &'static str,
}

/// Every endpoint of `/api/v1/`.
pub const ENDPOINTS: &[Endpoint] = &[
    json("search", "query", &[], &["q"]),
    json("timeline", "query", &[], &["q"]),
    json("kwic", "query", &["--kwic"], &["q"]),
    json("collocates", "collocates", &[], &["q"]),
    json("keyness", "keyness", &[], &["q"]),
    json("expand", "expand", &[], &["q"]),
    json("network", "network", &[], &["q"]),
    json("copies", "copies", &[], &["article-id", "id"]),
    json("article", "article", &[], &["article-id", "id"]),
    json("entities", "entities", &[], &[]),
    json("stats", "stats", &[], &[]),
    Endpoint {
        name: "batch",
        subcommand: "batch",
        fixed: &[],
        positional: &[],
        body: true,
        content_type: "application/json",
    },
    Endpoint {
        name: "tag",
        subcommand: "tag",
        fixed: &[],
        positional: &[],
        body: true,
        content_type: "application/x-ndjson",
    },
    Endpoint {
        name: "export",
        subcommand: "query",
        fixed: &["--all"],
        positional: &["q"],
        body: false,
        content_type: "application/x-ndjson",
    },
];

const fn json(
    name: &'static str,
    subcommand: &'static str,
    fixed: &'static [&'static str],
    positional: &'static [&'static str],
) -> Endpoint {
    Endpoint {
        name,
        subcommand,
        fixed,
        positional,
        body: false,
        content_type: "application/json",
    }
}

/// Flags no request may set: they name files on the server, choose its index or
/// threads, or change the output away from the endpoint's format.
const SERVER_ONLY: &[&str] = &[
    "index", "meta", "plot", "aliases", "threads", "format", "color", "help", "version",
];

/// Flags of `query` that its endpoints set themselves (`timeline`, `kwic`), or that would
/// answer in another shape (`count`).
const QUERY_SHAPES: &[&str] = &["count", "kwic", "timeline"];

/// Whether a request to `endpoint` may set the flag `long`.
fn settable(endpoint: &Endpoint, long: &str) -> bool {
    let server_only = SERVER_ONLY.contains(&long);
    let endpoint_sets = endpoint.subcommand == "query" && QUERY_SHAPES.contains(&long);
    let export_only = endpoint.name == "search" && long == "all";
    !(server_only || endpoint_sets || export_only)
}

/// Hits one `search` may ask for; every hit is what `export` is for.
pub const MAX_LIMIT: usize = 10_000;

/// Export formats: `format` of `/api/v1/export`.
pub const EXPORT_FORMATS: &[(&str, &str)] = &[
    ("jsonl", "application/x-ndjson"),
    ("csv", "text/csv; charset=utf-8"),
    ("tsv", "text/tab-separated-values; charset=utf-8"),
];

/// A request that cannot be an answer: the message says why, as the command line would.
#[derive(Debug)]
pub struct BadRequest(pub String);

/// The parsed command of a request, and what its answer is.
pub struct Parsed {
    pub command: Command,
    pub content_type: &'static str,
    /// `export`: the file name to offer.
    pub download: Option<String>,
}

/// The command `endpoint` runs on `index` for the URL parameters `params` (in order;
/// a repeated parameter is a repeated flag).
pub fn parse(
    endpoint: &Endpoint,
    params: &[(String, String)],
    index: &std::path::Path,
) -> Result<Parsed, BadRequest> {
    let cli = Args::command();
    let sub = cli
        .find_subcommand(endpoint.subcommand)
        .expect("every endpoint names a subcommand");
    let mut argv: Vec<String> = vec!["gazette".into(), endpoint.subcommand.into()];
    argv.extend(endpoint.fixed.iter().map(|s| s.to_string()));
    if sub.get_arguments().any(|a| a.get_long() == Some("index")) {
        argv.push(format!("--index={}", index.display()));
    }
    let mut content_type = endpoint.content_type;
    let mut download = None;
    let mut positional: Option<String> = None;
    let mut unit: Option<String> = None;
    for (name, value) in params {
        let name = name.replace('_', "-");
        if endpoint.positional.contains(&name.as_str()) {
            if positional.replace(value.clone()).is_some() {
                return Err(BadRequest(format!("`{name}` given twice")));
            }
            continue;
        }
        match (endpoint.name, name.as_str()) {
            ("timeline", "unit" | "timeline") => {
                unit = Some(value.clone());
                continue;
            }
            ("export", "format") => {
                let Some(&(_, ct)) = EXPORT_FORMATS.iter().find(|(f, _)| f == value) else {
                    return Err(BadRequest(format!(
                        "format {value:?} is not an export format: use jsonl, csv or tsv"
                    )));
                };
                content_type = ct;
                continue;
            }
            ("search" | "kwic", "limit") => {
                let n: usize = value
                    .parse()
                    .map_err(|_| BadRequest(format!("limit {value:?} is not a number of hits")))?;
                if n > MAX_LIMIT {
                    return Err(BadRequest(format!(
                        "limit {n} is more than {MAX_LIMIT}: page with offset, or use /api/v1/export for every hit"
                    )));
                }
            }
            ("search", "all") => {
                return Err(BadRequest(
                    "`all` is not a search parameter: /api/v1/export streams every hit".into(),
                ));
            }
            _ => {}
        }
        let known = sub
            .get_arguments()
            .find(|a| a.get_long() == Some(name.as_str()))
            .filter(|_| settable(endpoint, &name));
        let Some(arg) = known else {
            return Err(BadRequest(unknown_parameter(endpoint, sub, &name)));
        };
        if arg.get_action().takes_values() {
            argv.push(format!("--{name}={value}"));
        } else {
            match value.as_str() {
                "" | "true" | "1" | "yes" | "on" => argv.push(format!("--{name}")),
                "false" | "0" | "no" | "off" => {}
                other => {
                    return Err(BadRequest(format!(
                        "`{name}` is true or false, not {other:?}"
                    )));
                }
            }
        }
    }
    match endpoint.name {
        "timeline" => {
            argv.push(format!("--timeline={}", unit.as_deref().unwrap_or("month")));
            argv.push("--format=json".into());
        }
        "export" => {
            let format = EXPORT_FORMATS
                .iter()
                .find(|(_, ct)| *ct == content_type)
                .map_or("jsonl", |(f, _)| f);
            argv.push(format!("--format={format}"));
            download = Some(format!("gazette-export.{format}"));
        }
        "tag" => {}
        _ => argv.push("--format=json".into()),
    }
    if endpoint.name == "batch" {
        // The codebook is the request body; this stands for its file name in `meta`.
        argv.push("--".into());
        argv.push("request-body".into());
    } else if let Some(value) = positional {
        argv.push("--".into());
        argv.push(value);
    } else if endpoint.positional.contains(&"q") && endpoint.name != "network" {
        argv.push("--".into());
        argv.push(String::new());
    }
    let matches = Args::command()
        .try_get_matches_from(&argv)
        .map_err(|e| BadRequest(clap_message(&e)))?;
    let args = Args::from_arg_matches(&matches).map_err(|e| BadRequest(clap_message(&e)))?;
    Ok(Parsed {
        command: args.command,
        content_type,
        download,
    })
}

/// clap's message without its usage lines and colours: the first line, less `error: `.
fn clap_message(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid parameters");
    let message = first.strip_prefix("error: ").unwrap_or(first);
    // Flags are parameters here.
    message.replace("'--", "'").replace("`--", "`")
}

fn unknown_parameter(endpoint: &Endpoint, sub: &clap::Command, name: &str) -> String {
    let mut names: Vec<String> = endpoint.positional.iter().map(|s| s.to_string()).collect();
    if endpoint.name == "timeline" {
        names.push("unit".into());
    }
    if endpoint.name == "export" {
        names.push("format".into());
    }
    names.extend(
        sub.get_arguments()
            .filter_map(|a| a.get_long())
            .filter(|l| settable(endpoint, l))
            .filter(|l| {
                // Flags that need an option the endpoint never sets.
                let kwic_only = ["width", "sentence", "kwic-sort"];
                let timeline_only = ["by", "normalize"];
                (endpoint.name == "kwic" || !kwic_only.contains(l))
                    && (endpoint.name == "timeline" || !timeline_only.contains(l))
            })
            .map(str::to_string),
    );
    format!(
        "unknown parameter `{name}` for /api/v1/{}; its parameters: {}",
        endpoint.name,
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(name: &str) -> &'static Endpoint {
        ENDPOINTS.iter().find(|e| e.name == name).unwrap()
    }

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn query_args(p: &[(&str, &str)]) -> Result<Box<crate::cli::QueryArgs>, BadRequest> {
        match parse(endpoint("search"), &params(p), "idx".as_ref())?.command {
            Command::Query(a) => Ok(a),
            _ => panic!("search is a query"),
        }
    }

    #[test]
    fn parameters_are_the_long_flags() {
        let a = query_args(&[
            ("q", "oil prices"),
            ("since", "1987-03"),
            ("limit", "20"),
            ("person", "Putin"),
            ("person", "Assad"),
            ("dedup", "true"),
            ("facet_limit", "5"),
        ])
        .unwrap();
        assert_eq!(a.query, "oil prices");
        assert_eq!(a.filters.since.as_deref(), Some("1987-03"));
        assert_eq!(a.limit, 20);
        assert_eq!(a.filters.person, ["Putin", "Assad"]);
        assert!(a.filters.dedup);
        assert_eq!(a.facet_limit, 5);
        assert_eq!(a.index.index, std::path::Path::new("idx"));
        assert_eq!(a.format, crate::cli::FormatArg::Json);
    }

    #[test]
    fn a_query_cannot_pass_for_a_flag() {
        let a = query_args(&[("q", "--index=/etc")]).unwrap();
        assert_eq!(a.query, "--index=/etc");
        assert_eq!(a.index.index, std::path::Path::new("idx"));
        let a = query_args(&[("q", "x"), ("since", "--index=/etc")]).unwrap();
        assert_eq!(a.filters.since.as_deref(), Some("--index=/etc"));
    }

    #[test]
    fn server_only_flags_are_refused() {
        for name in ["index", "meta", "aliases", "format", "threads", "plot"] {
            let err = query_args(&[("q", "x"), (name, "/tmp/x")]).err().unwrap();
            assert!(
                err.0.contains(&format!("unknown parameter `{name}`")),
                "{}",
                err.0
            );
        }
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        let err = query_args(&[("q", "x"), ("limit", "ten")]).err().unwrap();
        assert!(err.0.contains("limit \"ten\""), "{}", err.0);
        let err = query_args(&[("q", "x"), ("limit", "99999999")])
            .err()
            .unwrap();
        assert!(err.0.contains("export"), "{}", err.0);
        let err = query_args(&[("q", "x"), ("dedup", "maybe")]).err().unwrap();
        assert!(err.0.contains("true or false"), "{}", err.0);
        let err = query_args(&[("q", "x"), ("sort", "alphabet")])
            .err()
            .unwrap();
        assert!(err.0.contains("alphabet"), "{}", err.0);
    }

    #[test]
    fn timeline_and_export_set_their_own_flags() {
        let p = parse(
            endpoint("timeline"),
            &params(&[("q", "x"), ("unit", "year"), ("normalize", "1")]),
            "idx".as_ref(),
        )
        .unwrap();
        let Command::Query(a) = p.command else {
            panic!()
        };
        assert_eq!(a.timeline.timeline, Some(crate::cli::UnitArg::Year));
        assert!(a.timeline.normalize);
        let p = parse(
            endpoint("export"),
            &params(&[("q", "x"), ("format", "csv")]),
            "idx".as_ref(),
        )
        .unwrap();
        let Command::Query(a) = p.command else {
            panic!()
        };
        assert!(a.all);
        assert_eq!(a.format, crate::cli::FormatArg::Csv);
        assert_eq!(p.download.as_deref(), Some("gazette-export.csv"));
    }
}
