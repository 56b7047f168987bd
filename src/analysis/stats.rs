//! The association and keyness measures, as plain functions of counts, so each can be
//! checked against a hand computation.

/// Frequencies of a node (the query's matches) and a collocate in a corpus of `n` tokens,
/// with `span` tokens looked at around each node occurrence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cooccurrence {
    /// Times the collocate occurred within the window of a node occurrence.
    pub observed: f64,
    /// Node occurrences.
    pub node: f64,
    /// Collocate occurrences in the whole corpus.
    pub collocate: f64,
    /// Tokens in the corpus.
    pub n: f64,
    /// Tokens in the window of one node occurrence (twice the window).
    pub span: f64,
}

impl Cooccurrence {
    /// Co-occurrences expected by chance: `node * collocate * span / n`.
    pub fn expected(&self) -> f64 {
        self.node * self.collocate * self.span / self.n
    }

    /// logDice (Rychlý 2008): `14 + log2(2 O / (f_node + f_collocate))`.
    pub fn log_dice(&self) -> f64 {
        14.0 + (2.0 * self.observed / (self.node + self.collocate)).log2()
    }

    /// Pointwise mutual information: `log2(O / E)`.
    pub fn mi(&self) -> f64 {
        (self.observed / self.expected()).log2()
    }

    /// t-score: `(O - E) / sqrt(O)`.
    pub fn t_score(&self) -> f64 {
        (self.observed - self.expected()) / self.observed.sqrt()
    }

    /// Log-likelihood (Dunning's G2) of the 2x2 table: window tokens that are or are not
    /// the collocate, against the rest of the corpus; negative when the collocate is
    /// rarer near the node than elsewhere.
    pub fn log_likelihood(&self) -> f64 {
        let r1 = self.node * self.span;
        let c1 = self.collocate;
        let o = [
            self.observed,
            r1 - self.observed,
            c1 - self.observed,
            self.n - r1 - c1 + self.observed,
        ];
        let r2 = self.n - r1;
        let c2 = self.n - c1;
        let e = [
            r1 * c1 / self.n,
            r1 * c2 / self.n,
            r2 * c1 / self.n,
            r2 * c2 / self.n,
        ];
        let g2 = 2.0 * o.iter().zip(e).map(|(&o, e)| term(o, e)).sum::<f64>();
        if self.observed < e[0] { -g2 } else { g2 }
    }
}

/// `o ln(o / e)`, 0 when `o` is 0.
fn term(o: f64, e: f64) -> f64 {
    if o > 0.0 && e > 0.0 {
        o * (o / e).ln()
    } else {
        0.0
    }
}

/// Keyness of a term found `a` times in a target of `t` units and `b` times in a
/// reference of `r` units: log-likelihood G2 (Rayson and Garside 2000) and the log ratio
/// (Hardie 2014: `log2((a / t) / (b / r))`, a zero frequency taken as 0.5).
pub fn keyness(a: f64, t: f64, b: f64, r: f64) -> (f64, f64) {
    let e1 = t * (a + b) / (t + r);
    let e2 = r * (a + b) / (t + r);
    let g2 = 2.0 * (term(a, e1) + term(b, e2));
    let ratio = (a.max(0.5) / t / (b.max(0.5) / r)).log2();
    (g2, ratio)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values worked out by hand (a calculator), not with these functions.
    #[test]
    fn association_measures_match_a_hand_computation() {
        let c = Cooccurrence {
            observed: 4.0,
            node: 10.0,
            collocate: 20.0,
            n: 1000.0,
            span: 10.0,
        };
        // E = 10 * 20 * 10 / 1000 = 2.
        assert!((c.expected() - 2.0).abs() < 1e-12);
        // 14 + log2(8 / 30) = 14 - 1.906891 = 12.093109.
        assert!((c.log_dice() - 12.093109).abs() < 1e-6);
        // log2(4 / 2) = 1.
        assert!((c.mi() - 1.0).abs() < 1e-12);
        // (4 - 2) / 2 = 1.
        assert!((c.t_score() - 1.0).abs() < 1e-12);
        // O = [4, 96, 16, 884], E = [2, 98, 18, 882]:
        // 2 * (4 ln 2 + 96 ln(96/98) + 16 ln(16/18) + 884 ln(884/882)) = 1.821749.
        assert!(
            (c.log_likelihood() - 1.821749).abs() < 1e-5,
            "{}",
            c.log_likelihood()
        );
    }

    #[test]
    fn keyness_matches_a_hand_computation() {
        // a = 10 of t = 100, b = 20 of r = 900: E1 = 3, E2 = 27;
        // G2 = 2 (10 ln(10/3) + 20 ln(20/27)) = 2 (12.039728 - 6.002092) = 12.075272.
        let (g2, ratio) = keyness(10.0, 100.0, 20.0, 900.0);
        assert!((g2 - 12.075272).abs() < 1e-5, "{g2}");
        // log2(0.1 / (20 / 900)) = log2(4.5) = 2.169925.
        assert!((ratio - 2.169925).abs() < 1e-6);
        // Absent from the reference: 0.5 instead of 0.
        let (_, ratio) = keyness(5.0, 100.0, 0.0, 900.0);
        assert!((ratio - (0.05f64 / (0.5 / 900.0)).log2()).abs() < 1e-9);
    }
}
