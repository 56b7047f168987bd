//! `gazette tag`: entities and dates of free text as JSON lines, for scripts and for
//! measuring the taggers. Output lines come in input order.

use std::io::{BufRead, Read, Write};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use gazette::model::{DateMention, EntityMention};
use gazette::{ner, process, timex};
use serde::{Deserialize, Serialize};

use crate::cli::{TagArgs, TagInputArg};
use crate::exit::Code;

/// One output line.
#[derive(Serialize)]
struct Tagged<'a> {
    id: &'a str,
    entities: Vec<EntityMention>,
    dates: Vec<DateMention>,
}

/// One `--input jsonl` line.
#[derive(Deserialize)]
struct InputDoc {
    text: String,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    published: Option<String>,
}

/// Tags the files of `args`, or `stdin` when there are none (or `-`).
pub fn run(args: &TagArgs, stdin: &mut dyn Read, out: &mut dyn Write) -> anyhow::Result<Code> {
    let published = match &args.published {
        Some(s) => Some(anchor(s).with_context(|| format!("--published {s:?} is not a date"))?),
        None => None,
    };
    let tagger = ner::Tagger::builtin();
    let mut out = out;
    let inputs: Vec<Option<&std::path::Path>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files
            .iter()
            .map(|p| (p.as_os_str() != "-").then_some(p.as_path()))
            .collect()
    };
    for input in inputs {
        let name = input.map_or("-".to_string(), |p| p.display().to_string());
        let mut bytes = Vec::new();
        match input {
            Some(p) => {
                std::fs::File::open(p)
                    .and_then(|mut f| f.read_to_end(&mut bytes))
                    .with_context(|| format!("reading {name}"))?;
            }
            None => {
                stdin
                    .read_to_end(&mut bytes)
                    .context("reading standard input")?;
            }
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|e| {
            encoding_rs::WINDOWS_1252
                .decode(e.as_bytes())
                .0
                .into_owned()
        });
        match args.input {
            TagInputArg::Text => {
                let (entities, dates) = process::tag_text(&text, published, tagger);
                write_line(
                    &mut out,
                    &Tagged {
                        id: &name,
                        entities,
                        dates,
                    },
                )?;
            }
            TagInputArg::Jsonl => {
                for (n, line) in text.as_bytes().lines().enumerate() {
                    let line = line?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    let doc: InputDoc = serde_json::from_str(&line).with_context(|| {
                        format!("{name}:{}: not a JSON object with `text`", n + 1)
                    })?;
                    let anchor_day = match &doc.published {
                        Some(p) => match anchor(p) {
                            Some(d) => Some(d),
                            None => bail!("{name}:{}: `published` {p:?} is not a date", n + 1),
                        },
                        None => published,
                    };
                    let id = match doc.id {
                        Some(serde_json::Value::String(s)) => s,
                        Some(other) => other.to_string(),
                        None => (n + 1).to_string(),
                    };
                    let (entities, dates) = process::tag_text(&doc.text, anchor_day, tagger);
                    write_line(
                        &mut out,
                        &Tagged {
                            id: &id,
                            entities,
                            dates,
                        },
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(Code::Success)
}

fn anchor(s: &str) -> Option<NaiveDate> {
    timex::published_day(s)
}

fn write_line(out: &mut impl Write, tagged: &Tagged) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, tagged)?;
    out.write_all(b"\n")
}
