//! Saving and loading a [`Tagger`] as the bytes of `models/ner.bin`.
//!
//! Takes a tagger and gives a compact binary (or the reverse). Layout: the magic
//! `GZNER` and a format byte, then a deflate stream holding, little-endian: the weight
//! scale (f32); the feature rows (count, then per row its u32 key, a u16 mask of the
//! labels with non-zero weight and one i16 per such label, weight = i16 * scale); the
//! gazetteer (count, then per name its u16 type mask, u16 length and UTF-8 bytes); the
//! casing table (count, then per word its bucket byte, u16 length and bytes); and the
//! word clusters (count, then per word its u16 fine cluster, u16 length and bytes; then
//! count and one coarse group byte per fine cluster).
//! Quantising to i16 with one scale and skipping zero weights keeps the file small.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;

use super::Tagger;
use super::casing::CaseStats;
use super::clusters::WordClusters;
use super::features::LABELS;
use super::gazetteer::Gazetteer;
use super::weights::Weights;

const MAGIC: &[u8; 6] = b"GZNER\x05";

/// Why a model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a gazette NER model (bad header)")]
    BadMagic,
    #[error("NER model is truncated or corrupt")]
    Truncated,
    #[error("NER model holds text that is not UTF-8")]
    BadText,
    #[error("reading NER model")]
    Io(#[from] std::io::Error),
}

impl Tagger {
    /// Serialises the model (see the module doc for the layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let (scale, rows) = self.weights.quantised();
        let mut rows: Vec<(u32, &[i16; LABELS])> = rows.collect();
        // Sorted keys make the file independent of the table's layout.
        rows.sort_unstable_by_key(|(key, _)| *key);
        let mut body = Vec::new();
        body.extend_from_slice(&scale.to_le_bytes());
        put_u32(&mut body, rows.len());
        for (key, row) in rows {
            let mask = (0..LABELS)
                .filter(|&l| row[l] != 0)
                .fold(0u16, |m, l| m | 1 << l);
            body.extend_from_slice(&key.to_le_bytes());
            body.extend_from_slice(&mask.to_le_bytes());
            for v in row.iter().filter(|v| **v != 0) {
                body.extend_from_slice(&v.to_le_bytes());
            }
        }
        let names = self.gazetteer.names();
        put_u32(&mut body, names.len());
        for (name, mask) in names {
            body.extend_from_slice(&mask.to_le_bytes());
            put_str(&mut body, name);
        }
        let casing = self.casing.entries();
        put_u32(&mut body, casing.len());
        for (word, bucket) in casing {
            body.push(bucket);
            put_str(&mut body, word);
        }
        let (words, coarse) = self.clusters.entries();
        put_u32(&mut body, words.len());
        for (word, fine) in words {
            body.extend_from_slice(&fine.to_le_bytes());
            put_str(&mut body, word);
        }
        put_u32(&mut body, coarse.len());
        body.extend_from_slice(coarse);
        let mut out = MAGIC.to_vec();
        let mut enc = DeflateEncoder::new(&mut out, Compression::best());
        enc.write_all(&body).expect("writing to a Vec cannot fail");
        enc.finish().expect("writing to a Vec cannot fail");
        out
    }

    /// Loads a model saved by [`Tagger::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        let packed = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or(ModelError::BadMagic)?;
        let mut body = Vec::new();
        DeflateDecoder::new(packed).read_to_end(&mut body)?;
        let mut r = Reader { bytes: &body };
        let scale = f32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes"));
        let n = r.u32()?;
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let key = u32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes"));
            let mask = u16::from_le_bytes(r.take(2)?.try_into().expect("2 bytes"));
            let mut row = [0i16; LABELS];
            for (l, w) in row.iter_mut().enumerate() {
                if mask & (1 << l) != 0 {
                    *w = i16::from_le_bytes(r.take(2)?.try_into().expect("2 bytes"));
                }
            }
            rows.push((key, row));
        }
        let n = r.u32()?;
        let mut names = Vec::with_capacity(n);
        for _ in 0..n {
            let mask = u16::from_le_bytes(r.take(2)?.try_into().expect("2 bytes"));
            names.push((r.str()?, mask));
        }
        let gazetteer = Gazetteer::from_names(names);
        let n = r.u32()?;
        let mut casing = Vec::with_capacity(n);
        for _ in 0..n {
            let bucket = r.take(1)?[0];
            casing.push((r.str()?, bucket));
        }
        let casing = CaseStats::from_entries(casing);
        let n = r.u32()?;
        let mut words = Vec::with_capacity(n);
        for _ in 0..n {
            let fine = u16::from_le_bytes(r.take(2)?.try_into().expect("2 bytes"));
            words.push((r.str()?, fine));
        }
        let n = r.u32()?;
        let clusters = WordClusters::from_entries(words, r.take(n)?.to_vec());
        if !r.bytes.is_empty() {
            return Err(ModelError::Truncated);
        }
        let weights = Weights::from_quantised(scale, rows.into_iter());
        Ok(Tagger::new(weights, gazetteer, casing, clusters))
    }
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).expect("count fits in u32").to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    let len = u16::try_from(s.len()).expect("names and words are short");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// A cursor over the decompressed body.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.bytes.len() < n {
            return Err(ModelError::Truncated);
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn u32(&mut self) -> Result<usize, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")) as usize)
    }

    fn str(&mut self) -> Result<&'a str, ModelError> {
        let len = u16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes"));
        std::str::from_utf8(self.take(usize::from(len))?).map_err(|_| ModelError::BadText)
    }
}
