//! Command-line arguments (clap derive). Clap types stay in this file: each subcommand
//! turns its arguments into the library's validated config before doing anything.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// gazette: search engine for news corpora. Ingest articles into a passage index, then
/// query ranked passages by words, phrases, entities and dates.
#[derive(Parser, Debug)]
#[command(name = "gazette", version, about, long_about = None, max_term_width = 100)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read articles from files and folders into the index.
    Ingest(IngestArgs),
    /// Search the index for passages.
    Query(Box<QueryArgs>),
    /// Run a codebook of labelled queries over the same filters: counts per label, what
    /// no other label matched, co-occurrence, timelines or hits.
    Batch(Box<BatchArgs>),
    /// The words that occur near the query's matches, scored against their frequency in
    /// the index (logDice, MI, t-score or log-likelihood).
    Collocates(Box<CollocatesArgs>),
    /// The words over-represented in the passages the query matches, against the rest of
    /// the index or a reference query (log-likelihood and log ratio).
    Keyness(Box<KeynessArgs>),
    /// The co-mention network of the entities in the matching passages (every passage
    /// without a query): edge lists, JSON, GraphML or GEXF.
    Network(Box<NetworkArgs>),
    /// Other words for each word of the query: WordNet synonyms, derived forms and kinds
    /// the index holds, and the key words of its matches, each with the passages it would
    /// add and an example; ends with the expanded query (what `query --expand` runs).
    Expand(Box<ExpandArgs>),
    /// Show what the index holds.
    Stats(StatsArgs),
    /// Merge a shard set (built by `ingest --shards`, or shard by shard with `--shard`)
    /// into one ordinary index in a new folder.
    Merge(MergeArgs),
    /// List the index's entities, most mentioned first: passages, articles, type split and
    /// spellings (case, "the", possessives, corporate suffixes and aliases merged).
    Entities(EntitiesArgs),
    /// List the near-duplicate copies of an article (by article id or group id): who ran
    /// the story, and when.
    Copies(CopiesArgs),
    /// Print one whole article, passage by passage, with its entities and dates.
    Article(ArticleArgs),
    /// Plumbing of the Spark job (scripts/spark/), which groups near-duplicates across a
    /// shard set's machines: the steps of the grouping, as JSON lines.
    Groups(GroupsArgs),
    /// Print every passage of the index as JSON lines, by article id then passage, with
    /// its article's metadata, entity mentions (name keys included) and date mentions.
    Export(ExportArgs),
    /// Serve a search page and a JSON API over the index, on this machine by default.
    Serve(ServeArgs),
    /// Tag entities and dates in text, printing JSON lines (no index needed).
    Tag(TagArgs),
    /// Print the articles read from files as JSON lines (title, metadata, main text),
    /// without indexing them: what ingest would index. Exit 1 if a file gave none.
    Extract(ExtractArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), built from the same definitions as --help.
    Man,
}

#[derive(clap::Args, Debug)]
pub struct IndexArg {
    /// Index folder.
    #[arg(long, short = 'i', value_name = "DIR", default_value = "index")]
    pub index: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct IngestArgs {
    /// Files or folders to read (.txt, .md, .json, .jsonl, .ndjson, .html, .htm, .warc, and
    /// any of those gzipped).
    #[arg(value_name = "PATH", default_value = "corpus")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArg,
    /// Delete the index and build it afresh.
    #[arg(long)]
    pub rebuild: bool,
    /// Remove from the index the files under PATH that no longer exist.
    #[arg(long)]
    pub prune: bool,
    /// Follow symbolic links while walking folders.
    #[arg(long, short = 'L')]
    pub follow: bool,
    /// Worker threads for reading and tagging [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Memory for the index writer's buffers, in megabytes (the tagger and the pipeline
    /// take more on top).
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub memory: usize,
    /// Commit every this many seconds (fractions allowed), so an interrupted ingest keeps
    /// its work; commits fall only between whole files.
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    pub commit_every: f64,
    /// Write the files and records that could not be indexed, and warnings, as JSON lines
    /// to FILE.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// No progress bar, no warnings, no summary; only the error lines naming each file or
    /// record that did not go in.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Build shard K of N of a shard set into --index: read every file, index only the
    /// articles whose id falls to shard K (a fixed hash of the id; of the publication
    /// month with --partition-by month), so N machines or cluster tasks can build the N
    /// shards apart.
    #[arg(long, value_name = "K/N", conflicts_with = "shards")]
    pub shard: Option<gazette::shards::Shard>,
    /// Build a whole shard set of N shards in --index (shard folders and the shards.json
    /// manifest), one shard after another; every read command takes the set as an index.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub shards: Option<u32>,
    /// Plumbing of the Spark job (scripts/spark/): index the files of DIR, read elsewhere
    /// by `extract --staged`, instead of reading PATHs: DIR/files.jsonl lists every file in
    /// order, DIR/articles.jsonl holds this shard's articles. Needs --shard.
    #[arg(long, value_name = "DIR", requires = "shard", conflicts_with_all = ["prune", "shards"])]
    pub staged: Option<PathBuf>,
    /// With --shard or --shards: what decides an article's shard, `id` (the hash of its
    /// id: shards of about equal size) or `month` (the hash of its publication month: each
    /// month's articles in one shard, the undated ones together) [default: id]
    #[arg(long, value_name = "BY")]
    pub partition_by: Option<gazette::shards::By>,
}

/// A `--threads` value, or every core when it was not given.
pub fn threads_or_cores(threads: Option<usize>) -> usize {
    threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    /// Query: words (all required), "phrases", "phrases with slop"~N, AND/OR/NOT, +/-,
    /// parentheses, field:value (title, text, source, person, org, loc, misc, entity,
    /// published). May be "" when a filter is given.
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    #[command(flatten)]
    pub index: IndexArg,
    /// Match passages with any of the words instead of all of them.
    #[arg(long)]
    pub any: bool,
    /// Number of hits to show.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Skip this many hits first.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// Every matching passage, streamed, no limit.
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
    /// Print only the number of matching passages.
    #[arg(long, short = 'c')]
    pub count: bool,
    /// Order of hits.
    #[arg(long, value_enum, default_value_t = SortArg::Score)]
    pub sort: SortArg,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Also print the entities most mentioned in the matching passages.
    #[arg(long)]
    pub facets: bool,
    /// How many names per entity type --facets shows.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub facet_limit: usize,
    #[command(flatten)]
    pub timeline: TimelineArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Bold highlights in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Instead of hits, a concordance: one line per occurrence of the query's words and
    /// phrases in the hits, with the text to its left and right.
    #[arg(long, conflicts_with_all = ["count", "facets", "timeline"])]
    pub kwic: bool,
    /// Replace each bare word of the query by an OR of it and its WordNet relatives
    /// (synonyms, derived forms, direct hyponyms) that add passages together with the
    /// rest of the query; the query run is printed on stderr (text) or in `meta`. See
    /// `gazette expand` for the evidence.
    #[arg(long)]
    pub expand: bool,
    /// With --kwic: characters of context each side [default: 40; with --sentence, the
    /// whole sentence].
    #[arg(long, value_name = "N", requires = "kwic")]
    pub width: Option<usize>,
    /// With --kwic: contexts stop at the sentence around the match.
    #[arg(long, requires = "kwic")]
    pub sentence: bool,
    /// With --kwic: order of the lines: the hits' rank, the match, or the words nearest
    /// the match on its left or right (1L, 2L... or 1R, 2R...).
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = KwicSortArg::Rank, requires = "kwic")]
    pub kwic_sort: KwicSortArg,
    /// Threads that load and highlight a long answer (--all, a large --limit)
    /// [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub meta: MetaArg,
}

/// `--meta FILE`, shared by the commands whose JSON answers carry `meta`.
#[derive(clap::Args, Debug)]
pub struct MetaArg {
    /// Also write the answer's `meta` (gazette version, index fingerprint, the query as
    /// executed, every filter and option, the time it ran) as JSON to FILE, whatever the
    /// output format; JSON output carries it anyway.
    #[arg(long, value_name = "FILE")]
    pub meta: Option<PathBuf>,
}

/// The filters `query` and `batch` share: what passages a query may match at all.
#[derive(clap::Args, Debug)]
pub struct FilterArgs {
    /// Only passages from this source (case-insensitive; repeatable: any of them).
    #[arg(long, value_name = "SOURCE")]
    pub source: Vec<String>,
    /// Only articles published on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published on or before this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only passages mentioning this person (a surname alone works when unambiguous).
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Only passages mentioning this organisation.
    #[arg(long, value_name = "NAME")]
    pub org: Vec<String>,
    /// Only passages mentioning this place.
    #[arg(long, value_name = "NAME")]
    pub loc: Vec<String>,
    /// Only passages mentioning this name, of any type.
    #[arg(long, value_name = "NAME")]
    pub entity: Vec<String>,
    /// Only passages that talk about a time overlapping this: a day, month, quarter, week
    /// or year (2025-07-04, 2025-07, 2025-Q3, 2025-W42, 2025) or FROM..TO.
    #[arg(long, value_name = "WHEN")]
    pub mentions: Option<String>,
    /// Alias table (TSV: CANONICAL<TAB>ALIAS<TAB>...) on top of the built-in one and the
    /// index folder's aliases.tsv; repeatable.
    #[arg(long, value_name = "FILE")]
    pub aliases: Vec<PathBuf>,
    /// Count each story once: only passages of the first (earliest) article of each group
    /// of near-duplicate copies match.
    #[arg(long)]
    pub dedup: bool,
}

/// `--timeline` and its options, shared by `query` and `batch`.
#[derive(clap::Args, Debug)]
pub struct TimelineArgs {
    /// Instead of hits (or a batch's counts), count matching passages and articles per
    /// calendar bucket.
    #[arg(long, value_enum, value_name = "UNIT")]
    pub timeline: Option<UnitArg>,
    /// With --timeline: bucket by publication date, or by the dates passages mention.
    #[arg(long, value_enum, default_value_t = ByArg::Published, requires = "timeline")]
    pub by: ByArg,
    /// With --timeline: also count, per bucket, the passages and articles of the filters
    /// alone, and show the share of them the query matches.
    #[arg(long, requires = "timeline")]
    pub normalize: bool,
    /// With --timeline: also draw the timeline as a chart (FILE.svg or FILE.png); for a
    /// batch, one line per label.
    #[arg(long, value_name = "FILE", requires = "timeline")]
    pub plot: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct BatchArgs {
    /// Codebook: a TSV file, one LABEL<TAB>QUERY per line (QUERY as for `query`); lines
    /// starting with # and blank lines are skipped.
    #[arg(value_name = "CODEBOOK")]
    pub codebook: PathBuf,
    #[command(flatten)]
    pub index: IndexArg,
    /// Match passages with any of the words instead of all of them.
    #[arg(long)]
    pub any: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub timeline: TimelineArgs,
    /// Instead of counts, every hit of every label, with a `label` column.
    #[arg(long, conflicts_with_all = ["timeline", "cooccurrence"])]
    pub hits: bool,
    /// With --hits: order of each label's hits.
    #[arg(long, value_enum, default_value_t = SortArg::Score, requires = "hits")]
    pub sort: SortArg,
    /// Instead of counts, the passages and articles each pair of labels both matched.
    #[arg(long, conflicts_with = "timeline")]
    pub cooccurrence: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// With --hits: bold highlights in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Threads running the queries (and loading hits) [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub meta: MetaArg,
    /// Plumbing of the Spark job (scripts/spark/batch.sh): count shard K of the shard set
    /// only (names and near-duplicate groups still the whole set's) and print that part of
    /// the answer as JSON, for --merge.
    #[arg(long, value_name = "K", conflicts_with_all = ["hits", "merge"])]
    pub partial: Option<u32>,
    /// Plumbing of the Spark job: answer from the parts --partial printed for every shard
    /// of the set (one file each), added up, instead of searching.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with = "hits")]
    pub merge: Vec<PathBuf>,
}

/// What `collocates` and `keyness` share: a query over every matching passage.
#[derive(clap::Args, Debug)]
pub struct AnalysisArgs {
    /// Query, as for `query` (its words and phrases are what the analysis is about).
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    #[command(flatten)]
    pub index: IndexArg,
    /// Match passages with any of the words instead of all of them.
    #[arg(long)]
    pub any: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of words to show.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Fewest occurrences (collocates: co-occurrences; keyness: target passages) a word
    /// needs.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub min_freq: u64,
    /// Keep English stop words (the Snowball list: "the", "of", "he", ...).
    #[arg(long)]
    pub all_words: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Threads that load the matching passages [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub meta: MetaArg,
}

#[derive(clap::Args, Debug)]
pub struct CollocatesArgs {
    #[command(flatten)]
    pub common: AnalysisArgs,
    /// Words each side of a match.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub window: usize,
    /// Association measure to rank by.
    #[arg(long, value_enum, default_value_t = MeasureArg::Logdice)]
    pub measure: MeasureArg,
    /// Also the entities named near the matches (with their type).
    #[arg(long)]
    pub entities: bool,
}

#[derive(clap::Args, Debug)]
pub struct KeynessArgs {
    #[command(flatten)]
    pub common: AnalysisArgs,
    /// Compare with the passages of this query (less the target's) instead of the rest
    /// of the index.
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub reference: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ExpandArgs {
    /// Query, as for `query`; its bare words (not phrases, negated words or field
    /// clauses) are expanded.
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    #[command(flatten)]
    pub index: IndexArg,
    /// Match passages with any of the words instead of all of them.
    #[arg(long)]
    pub any: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Key words of the query's matches to propose besides WordNet's (shown, never put
    /// in the expanded query).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub keyness: usize,
    /// Output format (JSON lines, CSV and TSV: one row per candidate; the expanded query
    /// on stderr).
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Threads that load the matching passages for the key words [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub meta: MetaArg,
}

#[derive(clap::Args, Debug)]
pub struct NetworkArgs {
    /// Query, as for `query`; none (or "") for every passage under the filters.
    #[arg(value_name = "QUERY", allow_hyphen_values = true, default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub index: IndexArg,
    /// Match passages with any of the words instead of all of them.
    #[arg(long)]
    pub any: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Entity types that are nodes, comma-separated (PER, ORG, LOC, MISC) [default: all].
    #[arg(long, value_name = "TYPES", value_delimiter = ',')]
    pub types: Vec<String>,
    /// Fewest passages an edge needs.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min: u64,
    /// Output format: edge lists (csv, tsv, jsonl), nodes and edges (json), graphs (graphml,
    /// gexf), or a table (text).
    #[arg(long, short = 'f', value_enum, default_value_t = NetworkFormatArg::Text)]
    pub format: NetworkFormatArg,
    /// Threads that load the matching passages [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub meta: MetaArg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkFormatArg {
    Text,
    Json,
    Jsonl,
    Csv,
    Tsv,
    Graphml,
    Gexf,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeasureArg {
    Logdice,
    Mi,
    T,
    Ll,
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The shard set folder (holding shards.json).
    #[arg(value_name = "SHARD_SET")]
    pub set: PathBuf,
    /// The new index folder (missing or empty).
    #[arg(long, short = 'i', value_name = "DIR")]
    pub index: PathBuf,
    /// Threads for the merge [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    #[command(flatten)]
    pub index: IndexArg,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = StatsFormatArg::Text)]
    pub format: StatsFormatArg,
}

#[derive(clap::Args, Debug)]
pub struct EntitiesArgs {
    #[command(flatten)]
    pub index: IndexArg,
    /// Only entities whose majority type is this.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: Option<EntityTypeArg>,
    /// Only entities mentioned in at least N passages.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min: u64,
    /// At most N entities.
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Alias table (TSV: CANONICAL<TAB>ALIAS<TAB>...) on top of the built-in one and the
    /// index folder's aliases.tsv; repeatable.
    #[arg(long, value_name = "FILE")]
    pub aliases: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    #[command(flatten)]
    pub meta: MetaArg,
}

#[derive(clap::Args, Debug)]
pub struct CopiesArgs {
    /// An article id, or a group id (the id of a group's first article).
    #[arg(value_name = "ARTICLE_ID", required_unless_present = "all")]
    pub article_id: Option<String>,
    /// Every group of more than one article instead, ordered by group id.
    #[arg(long, conflicts_with = "article_id")]
    pub all: bool,
    #[command(flatten)]
    pub index: IndexArg,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    #[command(flatten)]
    pub meta: MetaArg,
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("step").required(true).multiple(false)))]
pub struct GroupsArgs {
    /// Print every article of the index with its LSH band keys and its sketch.
    #[arg(long, group = "step")]
    pub sketches: bool,
    /// Read candidate pairs of articles (`{"a": ARTICLE, "b": ARTICLE}`) on standard
    /// input; print those that are copies (`{"a": ID, "b": ID}`). Needs no index.
    #[arg(long, group = "step")]
    pub decide: bool,
    /// Read the connected components of "is a copy of" on standard input, a JSON array of
    /// articles per line, and make their groups the index's (its groups cache).
    #[arg(long = "import", group = "step")]
    pub import: bool,
    #[command(flatten)]
    pub index: IndexArg,
}

#[derive(clap::Args, Debug)]
pub struct ArticleArgs {
    /// The article's id (a hit's `article_id`).
    #[arg(value_name = "ARTICLE_ID")]
    pub article_id: String,
    #[command(flatten)]
    pub index: IndexArg,
    /// Output format (JSON lines: one passage per line).
    #[arg(long, short = 'f', value_enum, default_value_t = ArticleFormatArg::Text)]
    pub format: ArticleFormatArg,
    #[command(flatten)]
    pub meta: MetaArg,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub index: IndexArg,
    /// Alias table (TSV: CANONICAL<TAB>ALIAS<TAB>...) on top of the built-in one and the
    /// index folder's aliases.tsv, for the mentions' `entity`; repeatable.
    #[arg(long, value_name = "FILE")]
    pub aliases: Vec<PathBuf>,
    #[command(flatten)]
    pub meta: MetaArg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArticleFormatArg {
    Text,
    Json,
    Jsonl,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub index: IndexArg,
    /// Address to listen on; port 0 picks a free one (the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
    /// Require `Authorization: Bearer TOKEN` on every request; needed to listen on any
    /// address but loopback.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "GAZETTE_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Allow pages from this origin (e.g. http://localhost:3000) to call the API from a
    /// browser; none by default.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,
    /// Searches answered at once (each uses one thread) [default: all cores].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityTypeArg {
    #[value(name = "PER", alias = "per", alias = "person")]
    Per,
    #[value(name = "ORG", alias = "org")]
    Org,
    #[value(name = "LOC", alias = "loc")]
    Loc,
    #[value(name = "MISC", alias = "misc")]
    Misc,
}

#[derive(clap::Args, Debug)]
pub struct TagArgs {
    /// Files to tag, one document each; none or `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// What the input is: whole text documents, or JSON lines with `text` (and optional
    /// `id`, `published`).
    #[arg(long, value_enum, default_value_t = TagInputArg::Text)]
    pub input: TagInputArg,
    /// Publication date that relative dates ("yesterday", "in July") are resolved against.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    /// Files or folders to read, as for ingest.
    #[arg(
        value_name = "PATH",
        required_unless_present = "staged",
        conflicts_with = "staged"
    )]
    pub paths: Vec<PathBuf>,
    /// Plumbing of the Spark job (scripts/spark/): read the files listed on standard input
    /// (JSON lines: seq, local, path, key, id_base) and print each as one JSON line: its
    /// record, what reading it gave, and its articles, each with the shard of N its id
    /// falls to (what `ingest --staged` takes).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub staged: Option<u32>,
    /// With --staged: shards by `id` or by publication `month`, as `ingest
    /// --partition-by` [default: id]
    #[arg(long, value_name = "BY", requires = "staged")]
    pub partition_by: Option<gazette::shards::By>,
    /// Follow symbolic links while walking folders.
    #[arg(long, short = 'L')]
    pub follow: bool,
}

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortArg {
    Score,
    Date,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum KwicSortArg {
    Rank,
    Match,
    Left,
    Right,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitArg {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByArg {
    Published,
    Mentions,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Text,
    Json,
    Jsonl,
    Csv,
    Tsv,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatsFormatArg {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagInputArg {
    Text,
    Jsonl,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Args::command().debug_assert();
    }
}
