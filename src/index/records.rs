//! Counting an index's file records and the files they describe.

use std::collections::HashSet;

use tantivy::Term;
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

/// The file records of an index: records, and the files they describe. A single index
/// holds one record per file; each shard of a shard set holds one for every file it read.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FileRecords {
    pub records: u64,
    pub files: u64,
}

impl FileRecords {
    /// The records beyond one per file.
    pub fn extra(&self) -> u64 {
        self.records - self.files
    }
}

/// Counts the live file records of `searcher` and the distinct files they name (from the
/// `record_key` term dictionaries; a term of a segment with deletions counts only when one
/// of its documents is alive).
pub fn file_records(
    searcher: &tantivy::Searcher,
    f: &crate::schema::Fields,
) -> tantivy::Result<FileRecords> {
    let query = TermQuery::new(
        Term::from_field_text(f.kind, crate::schema::KIND_FILE),
        IndexRecordOption::Basic,
    );
    let records = searcher.search(&query, &Count)? as u64;
    let readers = searcher.segment_readers();
    // One segment without deletions (any index after its ingest or merge): every term
    // is a live file, and the dictionary knows how many it holds.
    if let [reader] = readers
        && !reader.has_deletes()
    {
        let files = reader.inverted_index(f.record_key)?.terms().num_terms() as u64;
        return Ok(FileRecords { records, files });
    }
    let mut keys: HashSet<Vec<u8>> = HashSet::new();
    for reader in readers {
        let inverted = reader.inverted_index(f.record_key)?;
        let mut terms = inverted.terms().stream()?;
        let alive = reader.alive_bitset();
        while terms.advance() {
            let live = match alive {
                None => true,
                Some(bits) => {
                    use tantivy::DocSet;
                    let mut postings = inverted
                        .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
                    let mut live = false;
                    while postings.doc() != tantivy::TERMINATED {
                        if bits.is_alive(postings.doc()) {
                            live = true;
                            break;
                        }
                        postings.advance();
                    }
                    live
                }
            };
            if live {
                keys.insert(terms.key().to_vec());
            }
        }
    }
    let files = (keys.len() as u64).min(records);
    Ok(FileRecords { records, files })
}
