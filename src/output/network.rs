//! Printing a co-mention network: an edge table (text), edge lists (CSV/TSV, JSON lines),
//! nodes and edges (JSON), and the graph formats Gephi, Cytoscape and NetworkX open
//! (GraphML, GEXF), with each node's type and passages and each edge's weights.
//!
//! The two XML formats are written directly: their shape here is fixed and small, and
//! every value goes through [`xml_escape`].

use std::io::{self, Write};

use super::Format;
use super::codebook::write_long;
use crate::analysis::network::{Edge, Network};
use crate::meta::{Meta, WithMeta};

/// Output formats of `gazette network`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkFormat {
    /// The formats of every command (JSON lines and CSV/TSV: one edge per row).
    Table(Format),
    Graphml,
    Gexf,
}

const EDGE_COLUMNS: &[&str] = &["source", "target", "passages", "articles", "first", "last"];

fn edge_cells(e: &Edge) -> Vec<String> {
    let day = |d: Option<chrono::NaiveDate>| d.map_or(String::new(), |d| d.to_string());
    vec![
        e.source.clone(),
        e.target.clone(),
        e.passages.to_string(),
        e.articles.to_string(),
        day(e.first),
        day(e.last),
    ]
}

pub fn write_network(
    out: &mut impl Write,
    net: &Network,
    format: NetworkFormat,
    meta: Option<&Meta>,
) -> io::Result<()> {
    match format {
        NetworkFormat::Table(Format::Json) => {
            match meta {
                Some(meta) => {
                    serde_json::to_writer_pretty(&mut *out, &WithMeta { meta, answer: net })?
                }
                None => serde_json::to_writer_pretty(&mut *out, net)?,
            }
            writeln!(out)?;
        }
        NetworkFormat::Table(Format::Text) => {
            let chars = |s: &str| s.chars().count();
            let ws = net
                .edges
                .iter()
                .map(|e| chars(&e.source))
                .max()
                .unwrap_or(0)
                .max(6);
            let wt = net
                .edges
                .iter()
                .map(|e| chars(&e.target))
                .max()
                .unwrap_or(0)
                .max(6);
            writeln!(
                out,
                "{} entities, {} edges, from {} matching passages",
                net.nodes.len(),
                net.edges.len(),
                net.passages
            )?;
            writeln!(
                out,
                "{:<ws$}  {:<wt$}  {:>8}  {:>8}  published",
                "source", "target", "passages", "articles"
            )?;
            for e in &net.edges {
                let days = match (e.first, e.last) {
                    (Some(f), Some(l)) => format!("{f}..{l}"),
                    _ => "-".into(),
                };
                writeln!(
                    out,
                    "{:<ws$}  {:<wt$}  {:>8}  {:>8}  {days}",
                    e.source, e.target, e.passages, e.articles
                )?;
            }
        }
        NetworkFormat::Table(format) => {
            write_long(out, &net.edges, (format, meta), EDGE_COLUMNS, edge_cells)?;
        }
        NetworkFormat::Graphml => write_graphml(out, net)?,
        NetworkFormat::Gexf => write_gexf(out, net)?,
    }
    out.flush()
}

fn write_graphml(out: &mut impl Write, net: &Network) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns">"#
    )?;
    for (id, target, name, ty) in [
        ("label", "node", "label", "string"),
        ("type", "node", "type", "string"),
        ("node_passages", "node", "passages", "long"),
        ("passages", "edge", "passages", "long"),
        ("articles", "edge", "articles", "long"),
        ("first", "edge", "first", "string"),
        ("last", "edge", "last", "string"),
    ] {
        writeln!(
            out,
            r#"  <key id="{id}" for="{target}" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(
        out,
        r#"  <graph id="co-mentions" edgedefault="undirected">"#
    )?;
    for n in &net.nodes {
        writeln!(out, r#"    <node id="{}">"#, xml_escape(&n.id))?;
        writeln!(
            out,
            r#"      <data key="label">{}</data>"#,
            xml_escape(&n.name)
        )?;
        writeln!(out, r#"      <data key="type">{}</data>"#, n.kind.tag())?;
        writeln!(
            out,
            r#"      <data key="node_passages">{}</data>"#,
            n.passages
        )?;
        writeln!(out, "    </node>")?;
    }
    for (i, e) in net.edges.iter().enumerate() {
        writeln!(
            out,
            r#"    <edge id="e{i}" source="{}" target="{}">"#,
            xml_escape(&e.source),
            xml_escape(&e.target)
        )?;
        writeln!(out, r#"      <data key="passages">{}</data>"#, e.passages)?;
        writeln!(out, r#"      <data key="articles">{}</data>"#, e.articles)?;
        if let (Some(f), Some(l)) = (e.first, e.last) {
            writeln!(out, r#"      <data key="first">{f}</data>"#)?;
            writeln!(out, r#"      <data key="last">{l}</data>"#)?;
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}

fn write_gexf(out: &mut impl Write, net: &Network) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<gexf xmlns="http://gexf.net/1.3" version="1.3">"#)?;
    writeln!(
        out,
        r#"  <graph mode="static" defaultedgetype="undirected">"#
    )?;
    writeln!(out, r#"    <attributes class="node">"#)?;
    writeln!(
        out,
        r#"      <attribute id="0" title="type" type="string"/>"#
    )?;
    writeln!(
        out,
        r#"      <attribute id="1" title="passages" type="long"/>"#
    )?;
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <attributes class="edge">"#)?;
    writeln!(
        out,
        r#"      <attribute id="0" title="articles" type="long"/>"#
    )?;
    writeln!(
        out,
        r#"      <attribute id="1" title="first" type="string"/>"#
    )?;
    writeln!(
        out,
        r#"      <attribute id="2" title="last" type="string"/>"#
    )?;
    writeln!(out, "    </attributes>")?;
    writeln!(out, "    <nodes>")?;
    for n in &net.nodes {
        writeln!(
            out,
            r#"      <node id="{}" label="{}"><attvalues><attvalue for="0" value="{}"/><attvalue for="1" value="{}"/></attvalues></node>"#,
            xml_escape(&n.id),
            xml_escape(&n.name),
            n.kind.tag(),
            n.passages
        )?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    for (i, e) in net.edges.iter().enumerate() {
        let day = |d: Option<chrono::NaiveDate>| d.map_or(String::new(), |d| d.to_string());
        writeln!(
            out,
            r#"      <edge id="{i}" source="{}" target="{}" weight="{}"><attvalues><attvalue for="0" value="{}"/><attvalue for="1" value="{}"/><attvalue for="2" value="{}"/></attvalues></edge>"#,
            xml_escape(&e.source),
            xml_escape(&e.target),
            e.passages,
            e.articles,
            day(e.first),
            day(e.last)
        )?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")
}

/// `s` with the five XML special characters escaped, for text and attribute values.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_values_are_escaped() {
        assert_eq!(
            xml_escape(r#"AT&T "Bell" <Labs> O'Neil"#),
            "AT&amp;T &quot;Bell&quot; &lt;Labs&gt; O&apos;Neil"
        );
        assert_eq!(xml_escape("a\u{1}b"), "ab");
    }
}
