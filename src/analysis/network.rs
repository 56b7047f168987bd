//! Who is mentioned with whom: the co-mention network of the entities in the passages a
//! query matches.
//!
//! Takes the hits of a query (every one, with their entities), gives a [`Network`]: a node
//! per entity (its type and the matching passages naming it), an edge per pair of
//! entities named in one passage, weighted by those passages and their articles, with the
//! first and last publication date among them. Entities are the hits' canonical names,
//! so names merge as facets merge them.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::EntityKind;
use crate::search::{Prepared, Search, SearchError};

/// What to keep.
#[derive(Clone, Debug)]
pub struct Options {
    /// Entity types taken as nodes (all when empty).
    pub types: Vec<EntityKind>,
    /// Fewest passages an edge needs.
    pub min_passages: u64,
}

/// One entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Node {
    /// `type:name`, unique.
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Matching passages naming it.
    pub passages: u64,
}

/// Two entities named in the same passages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Node ids, `source` < `target`.
    pub source: String,
    pub target: String,
    pub passages: u64,
    pub articles: u64,
    /// First and last publication day of those passages (none when undated).
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

/// Nodes (those with a kept edge), by passages; edges by passages.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Network {
    /// Matching passages looked at.
    pub passages: usize,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Default)]
struct EdgeTally {
    passages: u64,
    articles: HashSet<String>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
}

/// The co-mention network of the hits of `prepared` (built with `all`).
pub fn network(
    search: &Search,
    prepared: &Prepared,
    options: &Options,
    threads: usize,
) -> Result<Network, SearchError> {
    let mut nodes: BTreeMap<(EntityKind, String), u64> = BTreeMap::new();
    let mut edges: BTreeMap<(usize, usize), EdgeTally> = BTreeMap::new();
    let mut ids: BTreeMap<(EntityKind, String), usize> = BTreeMap::new();
    let summary = search.run(prepared, threads, &mut |hit| {
        let named: BTreeSet<(EntityKind, String)> = hit
            .entities
            .iter()
            .filter(|e| options.types.is_empty() || options.types.contains(&e.kind))
            .map(|e| (e.kind, e.canonical.clone()))
            .collect();
        let day = hit.published.map(|d| d.date_naive());
        let mut numbered = Vec::with_capacity(named.len());
        for entity in named {
            *nodes.entry(entity.clone()).or_default() += 1;
            let next = ids.len();
            numbered.push(*ids.entry(entity).or_insert(next));
        }
        for (i, &a) in numbered.iter().enumerate() {
            for &b in &numbered[i + 1..] {
                let tally = edges.entry((a.min(b), a.max(b))).or_default();
                tally.passages += 1;
                if !tally.articles.contains(&hit.article_id) {
                    tally.articles.insert(hit.article_id.clone());
                }
                if let Some(day) = day {
                    tally.first = Some(tally.first.map_or(day, |f| f.min(day)));
                    tally.last = Some(tally.last.map_or(day, |l| l.max(day)));
                }
            }
        }
        Ok(())
    })?;
    let names: Vec<(EntityKind, String)> = {
        let mut by_id = vec![None; ids.len()];
        for (entity, id) in ids {
            by_id[id] = Some(entity);
        }
        by_id
            .into_iter()
            .map(|e| e.expect("every id named"))
            .collect()
    };
    let id_of = |(kind, name): &(EntityKind, String)| format!("{}:{name}", kind.field_name());
    let mut kept_nodes = BTreeSet::new();
    let mut out_edges: Vec<Edge> = edges
        .into_iter()
        .filter(|(_, t)| t.passages >= options.min_passages.max(1))
        .map(|((a, b), t)| {
            kept_nodes.insert(a);
            kept_nodes.insert(b);
            let (x, y) = (id_of(&names[a]), id_of(&names[b]));
            let (source, target) = if x <= y { (x, y) } else { (y, x) };
            Edge {
                source,
                target,
                passages: t.passages,
                articles: t.articles.len() as u64,
                first: t.first,
                last: t.last,
            }
        })
        .collect();
    out_edges.sort_by(|a, b| {
        b.passages
            .cmp(&a.passages)
            .then_with(|| (&a.source, &a.target).cmp(&(&b.source, &b.target)))
    });
    let mut out_nodes: Vec<Node> = kept_nodes
        .into_iter()
        .map(|i| {
            let entity = &names[i];
            Node {
                id: id_of(entity),
                name: entity.1.clone(),
                kind: entity.0,
                passages: nodes[entity],
            }
        })
        .collect();
    out_nodes.sort_by(|a, b| b.passages.cmp(&a.passages).then_with(|| a.id.cmp(&b.id)));
    Ok(Network {
        passages: summary.total,
        nodes: out_nodes,
        edges: out_edges,
    })
}
