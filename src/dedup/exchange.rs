//! The near-duplicate grouping in three steps that another engine can run apart: the
//! Spark job (`scripts/spark/ingest_job.py`) groups the articles of a whole shard set
//! across machines with them, and gets the groups [`super::compute`] would give.
//!
//! 1. [`write_sketches`]: each article of a shard as a JSON line, with its LSH band keys
//!    (`bands`, empty for an article too short to group) and its sketch (`sketch`,
//!    base64 of [`Sketch::to_bytes`]). The job pairs the articles that share a key of
//!    the same band: the candidate pairs.
//! 2. [`decide_pairs`]: candidate pairs in, the pairs that are copies out ([`copies`]).
//!    The job joins those into connected components.
//! 3. [`read_components`]: the components, each a JSON array of its articles' lines, in;
//!    the groups out, first article and similarities as [`super::compute`] sets them.
//!
//! Sketches travel whole, so every decision is made here, by the code a single ingest
//! runs. Pure: readers and writers, no index.

use std::io::{BufRead, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::groups::{Record, band_keys, from_components};
use super::{Groups, Sketch, copies};

/// One article as the steps exchange it.
#[derive(Debug, Serialize, Deserialize)]
pub struct SketchLine {
    pub id: String,
    /// Publication time, seconds since the epoch.
    pub published: Option<i64>,
    /// The band keys (each fits 48 bits, so any JSON reader keeps it exact); empty when
    /// the article is too short to group. Read back, they are ignored.
    #[serde(default)]
    pub bands: Vec<u64>,
    /// Base64 of the stored sketch bytes.
    pub sketch: String,
}

impl SketchLine {
    fn of(record: &Record) -> SketchLine {
        SketchLine {
            id: record.id.clone(),
            published: record.published,
            bands: band_keys(&record.sketch).map(Vec::from).unwrap_or_default(),
            sketch: STANDARD.encode(record.sketch.to_bytes()),
        }
    }

    fn record(self) -> Result<Record, ExchangeError> {
        let sketch = STANDARD
            .decode(&self.sketch)
            .ok()
            .and_then(|b| Sketch::from_bytes(&b))
            .ok_or_else(|| ExchangeError::Sketch(self.id.clone()))?;
        Ok(Record {
            id: self.id,
            published: self.published,
            sketch,
        })
    }
}

/// A candidate pair, as [`decide_pairs`] reads it.
#[derive(Debug, Deserialize)]
struct Pair {
    a: SketchLine,
    b: SketchLine,
}

/// A pair that is a copy, as [`decide_pairs`] writes it.
#[derive(Debug, Serialize)]
struct Edge<'a> {
    a: &'a str,
    b: &'a str,
}

/// What went wrong reading a step's input.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("line {line}: {source}")]
    Json {
        line: usize,
        source: serde_json::Error,
    },
    #[error("article {0:?}: not a sketch gazette wrote")]
    Sketch(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Step 1: one JSON line per record.
pub fn write_sketches(records: &[Record], out: &mut dyn Write) -> std::io::Result<()> {
    for record in records {
        serde_json::to_writer(&mut *out, &SketchLine::of(record))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Step 2: reads `{"a": ARTICLE, "b": ARTICLE}` lines (articles as step 1 writes them)
/// and writes `{"a": ID, "b": ID}` for each pair that is a copy. Blank lines are skipped.
/// The number of pairs read.
pub fn decide_pairs(input: impl BufRead, out: &mut dyn Write) -> Result<usize, ExchangeError> {
    let mut read = 0;
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let pair: Pair = serde_json::from_str(&line).map_err(|source| ExchangeError::Json {
            line: n + 1,
            source,
        })?;
        let (a, b) = (pair.a.record()?, pair.b.record()?);
        if copies(&a.sketch, &b.sketch) {
            serde_json::to_writer(&mut *out, &Edge { a: &a.id, b: &b.id })
                .map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        read += 1;
    }
    Ok(read)
}

/// Step 3: reads one JSON array of articles (as step 1 writes them) per line, each a
/// connected component of "is a copy of", and gives their groups.
pub fn read_components(input: impl BufRead) -> Result<Groups, ExchangeError> {
    let mut components = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let articles: Vec<SketchLine> =
            serde_json::from_str(&line).map_err(|source| ExchangeError::Json {
                line: n + 1,
                source,
            })?;
        components.push(
            articles
                .into_iter()
                .map(SketchLine::record)
                .collect::<Result<Vec<_>, _>>()?,
        );
    }
    Ok(from_components(components))
}

#[cfg(test)]
mod tests {
    use super::super::compute;
    use super::super::tests::record;
    use super::*;

    const STORY: &str = "The port authority said on Tuesday that container traffic fell by a \
        fifth in the third quarter, the steepest drop since the crisis, as shipping lines \
        cut calls and diverted vessels to rival harbours further south along the coast. \
        Dock workers' unions warned that hundreds of jobs were at risk if volumes did not \
        recover by the spring, and the city council asked the government for help.";

    /// The three steps, run as the Spark job runs them (candidate pairs by shared band
    /// key, components by union), give the groups `compute` gives.
    #[test]
    fn the_steps_give_the_groups_compute_gives() {
        let records = vec![
            record("c", Some(30), STORY),
            record("a", Some(10), &format!("{STORY} Reuters.")),
            record("b", None, &STORY.replace("Tuesday", "Wednesday")),
            record("d", Some(5), "A short brief."),
            record(
                "e",
                Some(1),
                "An unrelated report on grain prices, which rose for a third week as dry \
                 weather in the plains cut the harvest forecast and traders bought ahead of \
                 the winter, according to the exchange's figures released on Friday.",
            ),
        ];
        let mut sketches = Vec::new();
        write_sketches(&records, &mut sketches).unwrap();
        let lines: Vec<serde_json::Value> = sketches
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 5);
        assert!(
            lines[3]["bands"].as_array().unwrap().is_empty(),
            "the brief"
        );

        // Candidate pairs: shared key of the same band.
        let mut pairs = String::new();
        for i in 0..lines.len() {
            for j in i + 1..lines.len() {
                let (x, y) = (
                    lines[i]["bands"].as_array().unwrap(),
                    lines[j]["bands"].as_array().unwrap(),
                );
                if x.iter().zip(y).any(|(p, q)| p == q) {
                    pairs.push_str(&serde_json::json!({"a": lines[i], "b": lines[j]}).to_string());
                    pairs.push('\n');
                }
            }
        }
        let mut edges = Vec::new();
        let read = decide_pairs(pairs.as_bytes(), &mut edges).unwrap();
        assert!(read >= 3, "{read} candidate pairs");
        let edges = String::from_utf8(edges).unwrap();
        assert_eq!(edges.lines().count(), 3, "{edges}");
        assert!(!edges.contains("\"e\""), "{edges}");

        // One component, in no particular order.
        let component: Vec<&serde_json::Value> = [2, 0, 1].iter().map(|&i| &lines[i]).collect();
        let groups = read_components(
            format!(
                "{}\n{}\n",
                serde_json::json!(component),
                serde_json::json!([lines[4]])
            )
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(groups, compute(records));
        assert_eq!(groups.of("c").unwrap().first().unwrap().id, "a");
    }

    #[test]
    fn a_damaged_sketch_is_an_error_naming_the_article() {
        let line = r#"{"a": {"id": "x", "published": null, "sketch": "AAAA"}, "b": {"id": "y", "published": null, "sketch": "AAAA"}}"#;
        let err = decide_pairs(line.as_bytes(), &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("\"x\""), "{err}");
        let err = decide_pairs("{".as_bytes(), &mut Vec::new()).unwrap_err();
        assert!(err.to_string().starts_with("line 1:"), "{err}");
    }
}
