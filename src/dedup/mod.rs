//! Near-duplicate articles: what one article's body looks like to the grouping, and the
//! measure that decides whether two articles are copies of one story.
//!
//! Takes an article body, gives a [`Sketch`]: the hashes of its word shingles (every
//! run of [`SHINGLE_WORDS`] normalised words) and a MinHash signature of them. The
//! workers make a sketch per article and the index stores it with the article (an
//! `article` record); [`groups`] finds candidate pairs among the signatures (LSH) and
//! decides on [`containment`], the share of the shorter article's shingles found in the
//! longer, so a copy cut to fit is not lost the way it is under Jaccard similarity.
//! Pure and index-free.

pub mod exchange;
pub mod groups;
pub mod table;

pub use groups::{Group, Member, Record, compute};
pub use table::{Groups, MemberRef};

/// Words per shingle. Five words make a shingle rarely shared by two different stories
/// except through a quotation or a set phrase, while one changed word alters only five.
pub const SHINGLE_WORDS: usize = 5;

/// MinHash values per signature: [`BANDS`] bands of [`ROWS`] rows.
pub const SIGNATURE_LEN: usize = BANDS * ROWS;
/// LSH bands. With 32 bands of 3 rows, two articles whose shingle sets have Jaccard
/// similarity 0.5 become candidates with probability 0.986, 0.33 (a copy cut to a third)
/// with 0.69, unrelated articles (0.02) with 0.0003: generous, since the decision is made
/// on the exact containment afterwards.
pub const BANDS: usize = 32;
/// Rows per LSH band.
pub const ROWS: usize = 3;

/// The share of the shorter article's shingles that must be in the longer one for the two
/// to be copies. Fixed before any corpus was looked at: a fifth of the shingles may
/// differ, which a changed headline (not part of the body), a byline, a copyright line or
/// an edited sentence stay well inside (each changed line of w words alters at most
/// w + 4 shingles), while two reports written from one template differ in every sentence
/// that carries a name or a number.
pub const THRESHOLD: f64 = 0.8;

/// Articles with fewer shingles than this are never grouped: in a few lines of text a
/// template's fixed words are most of the shingles, so a copy cannot be told from a
/// sibling report.
pub const MIN_SHINGLES: usize = 20;

/// The shorter article must have at least this share of the longer one's shingles: a
/// round-up that quotes a brief whole is not a copy of it, and without this rule such a
/// round-up would chain every brief it quotes into one group.
pub const MIN_LENGTH_RATIO: f64 = 0.5;

/// What the grouping knows of one article's body, in 16-bit hashes: stored with every
/// article, so their size is the index's. Two unrelated articles of n shingles share
/// about n²/65,536 16-bit hashes by chance (0.6% of 400 shingles, 3% of 2,000), far
/// below the threshold; a band of three 16-bit MinHash values collides by chance with
/// probability 2^-48 beyond what the full values would.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sketch {
    /// Distinct shingle hashes, sorted.
    pub shingles: Vec<u16>,
    /// MinHash signature, [`SIGNATURE_LEN`] values (all `u16::MAX` with no shingles).
    pub signature: Vec<u16>,
}

impl Sketch {
    /// The sketch of an article body.
    pub fn of(body: &str) -> Sketch {
        let hashes = shingle_hashes(body);
        let signature = minhash(&hashes);
        let mut shingles: Vec<u16> = hashes.iter().map(|&h| (h >> 48) as u16).collect();
        shingles.sort_unstable();
        shingles.dedup();
        Sketch {
            shingles,
            signature,
        }
    }

    /// Whether the article has enough text to be grouped at all (see [`MIN_SHINGLES`]).
    pub fn groupable(&self) -> bool {
        self.shingles.len() >= MIN_SHINGLES
    }

    /// The sketch as stored in the index: a format byte, the signature length (`u32`),
    /// the signature, then the shingles, little-endian `u16`s.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(5 + 2 * (self.signature.len() + self.shingles.len()));
        out.push(FORMAT);
        out.extend((self.signature.len() as u32).to_le_bytes());
        for v in self.signature.iter().chain(&self.shingles) {
            out.extend(v.to_le_bytes());
        }
        out
    }

    /// Reads [`Sketch::to_bytes`]; `None` for bytes of another format.
    pub fn from_bytes(bytes: &[u8]) -> Option<Sketch> {
        let (&format, rest) = bytes.split_first()?;
        if format != FORMAT || rest.len() < 4 || (rest.len() - 4) % 2 != 0 {
            return None;
        }
        let n = u32::from_le_bytes(rest[..4].try_into().ok()?) as usize;
        let values: Vec<u16> = rest[4..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        if values.len() < n {
            return None;
        }
        let shingles = values[n..].to_vec();
        let mut signature = values;
        signature.truncate(n);
        Some(Sketch {
            shingles,
            signature,
        })
    }
}

/// Version of the stored sketch bytes.
const FORMAT: u8 = 2;

/// The share of the smaller shingle set found in the other (0 when either is empty).
/// Symmetric: `containment(a, b) == containment(b, a)`.
pub fn containment(a: &[u16], b: &[u16]) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    shared(a, b) as f64 / smaller as f64
}

/// Whether two sketches are copies of one story: both long enough, of comparable length
/// and containment at least [`THRESHOLD`].
pub fn copies(a: &Sketch, b: &Sketch) -> bool {
    let (short, long) = if a.shingles.len() <= b.shingles.len() {
        (a, b)
    } else {
        (b, a)
    };
    short.groupable()
        && short.shingles.len() as f64 >= MIN_LENGTH_RATIO * long.shingles.len() as f64
        && containment(&a.shingles, &b.shingles) >= THRESHOLD
}

/// Elements two sorted, distinct lists share.
fn shared(a: &[u16], b: &[u16]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The normalised words of a text: runs of letters and digits, each character
/// lowercased. Punctuation, spacing, line breaks and quotes' styles so do not tell copies
/// apart. (The shingles hash the same words without building them.)
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().flat_map(char::to_lowercase).collect())
}

/// 64-bit hashes of every shingle of `body`, in text order (repeats kept). A body shorter
/// than one shingle has none.
fn shingle_hashes(body: &str) -> Vec<u64> {
    let words = word_hashes(body);
    if words.len() < SHINGLE_WORDS {
        return Vec::new();
    }
    words
        .windows(SHINGLE_WORDS)
        .map(|window| {
            let mut h: u64 = 0;
            for &w in window {
                h = (h.rotate_left(23) ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
            mix(h)
        })
        .collect()
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// The hash of every word of [`words`], without allocating it: FNV-1a over the bytes of
/// its lowercased characters, then mixed. Fixed across runs and platforms, unlike the
/// standard library's seeded hasher.
fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let (mut h, mut in_word) = (FNV_OFFSET, false);
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            h = (h ^ u64::from(c.to_ascii_lowercase() as u8)).wrapping_mul(FNV_PRIME);
            in_word = true;
        } else if !c.is_ascii() && c.is_alphanumeric() {
            let mut buf = [0u8; 4];
            for lower in c.to_lowercase() {
                for &b in lower.encode_utf8(&mut buf).as_bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
                }
            }
            in_word = true;
        } else if in_word {
            out.push(mix(h));
            (h, in_word) = (FNV_OFFSET, false);
        }
    }
    if in_word {
        out.push(mix(h));
    }
    out
}

/// The splitmix64 finaliser: every input bit affects every output bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The MinHash signature: per row, the least value of a hash `a*lo + b*hi + c` (mod
/// 2^32) of the (already mixed) shingle hashes' halves, each row with its own odd `a`,
/// `b` and its `c`, kept to its top 16 bits. 32-bit arithmetic over all rows at once,
/// which the compiler vectorises: this runs on every article of an ingest.
fn minhash(hashes: &[u64]) -> Vec<u16> {
    // The loop below is 32-bit multiplies and minimums over the signature, which baseline
    // x86-64 (SSE2) has no instruction for; with AVX2 it runs 8 lanes wide. Same integer
    // arithmetic either way, so the same signature.
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { minhash_avx2(hashes) };
    }
    minhash_with(hashes)
}

/// [`minhash`] compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn minhash_avx2(hashes: &[u64]) -> Vec<u16> {
    minhash_with(hashes)
}

/// The MinHash signature of `hashes` (inlined into each caller, so into each instruction
/// set [`minhash`] picks).
#[inline(always)]
fn minhash_with(hashes: &[u64]) -> Vec<u16> {
    let mut a = [0u32; SIGNATURE_LEN];
    let mut b = [0u32; SIGNATURE_LEN];
    let mut c = [0u32; SIGNATURE_LEN];
    for i in 0..SIGNATURE_LEN {
        let seed = mix(0x5851_f42d_4c95_7f2d ^ i as u64);
        a[i] = seed as u32 | 1;
        b[i] = (seed >> 32) as u32 | 1;
        c[i] = mix(0x1405_7b7e_f767_814f ^ i as u64) as u32;
    }
    let mut min = [u32::MAX; SIGNATURE_LEN];
    for &h in hashes {
        let (lo, hi) = (h as u32, (h >> 32) as u32);
        for i in 0..SIGNATURE_LEN {
            let v = a[i]
                .wrapping_mul(lo)
                .wrapping_add(b[i].wrapping_mul(hi))
                .wrapping_add(c[i]);
            min[i] = min[i].min(v);
        }
    }
    min.iter().map(|&v| (v >> 16) as u16).collect()
}

#[cfg(test)]
mod tests;
