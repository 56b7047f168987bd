//! Reference times: what "a year earlier", "that quarter" or "the year-ago period" are
//! relative to.
//!
//! News text moves its focus: a results story names "the third quarter", then compares
//! with "a year earlier" and "the year-ago quarter". [`References`] remembers the last
//! times a text mentioned (filled by `extract` in text order); [`from_reference`] resolves
//! the expressions that depend on them, or says they do not.

use chrono::{Datelike, Duration, NaiveDate};

use super::resolve::{Expr, Unit};
use super::value::{Value, add_months, iso_week};

/// Times the text mentioned before the expression being resolved: reference points for
/// "a year earlier" and "the quarter".
#[derive(Clone, Debug, Default)]
pub(crate) struct References {
    quarter: Option<(i32, u32)>,
    last: Option<Value>,
}

impl References {
    /// Records a resolved mention as the latest reference time, if it is one. A quarter
    /// still under way at publication (`anchor`) is a forecast ("expects fourth-quarter
    /// profit to fall"), not the reported period that "a year earlier" and "the year-ago
    /// quarter" compare with, so it does not replace the quarter under discussion.
    pub(crate) fn note(&mut self, value: &Value, anchor: Option<NaiveDate>) {
        match *value {
            Value::Quarter(y, q) => {
                let reported = match (anchor, value.range()) {
                    (Some(anchor), Some(range)) => range.end < anchor,
                    _ => true,
                };
                if reported || self.quarter.is_none() {
                    self.quarter = Some((y, q));
                }
                self.last = Some(value.clone());
            }
            Value::Day(..)
            | Value::Week(..)
            | Value::Month(..)
            | Value::Half(..)
            | Value::Year(_) => {
                self.last = Some(value.clone());
            }
            _ => {}
        }
    }
}

/// The value of an expression that depends on the reference times, or `None` when it does
/// not or no reference applies (the caller then falls back to the anchor).
pub(crate) fn from_reference(
    expr: &Expr,
    anchor: Option<NaiveDate>,
    refs: &References,
) -> Option<Value> {
    match *expr {
        Expr::FromReference { unit, n } => {
            if let Some(v) = shift_reference(unit, n, anchor, refs) {
                return Some(v);
            }
        }
        Expr::YearAgo { .. } => {
            if let Some((y, q)) = refs.quarter {
                return Some(Value::Quarter(y - 1, q));
            }
        }
        Expr::ReferenceQuarter { latest: false } => {
            if let Some((y, q)) = refs.quarter {
                return Some(Value::Quarter(y, q));
            }
        }
        Expr::ReferenceQuarterOf { year } => {
            return Some(match refs.quarter {
                Some((_, q)) => Value::Quarter(year, q),
                None => Value::Year(year),
            });
        }
        Expr::Ago {
            unit: Unit::Year,
            n: -1,
        } => {
            if let (Some(_), Some((y, q))) = (anchor, refs.quarter) {
                return Some(Value::Quarter(y - 1, q));
            }
        }
        _ => {}
    }
    None
}

/// "a year earlier" and the like: shift the last mentioned time (else the anchor day) by
/// `n` units, keeping its granularity when the unit is at least as coarse.
fn shift_reference(
    unit: Unit,
    n: i64,
    anchor: Option<NaiveDate>,
    refs: &References,
) -> Option<Value> {
    // "that quarter", "the previous quarter" count from the quarter under discussion.
    let quarter = refs.quarter.map(|(y, q)| Value::Quarter(y, q));
    let base = match unit {
        Unit::Quarter => quarter.or(refs.last.clone()),
        _ => refs.last.clone(),
    }
    .or(anchor.map(Value::Day))?;
    if n == 0 {
        return same_period(unit, &base);
    }
    let years = n as i32;
    let v = match (unit, base) {
        (Unit::Year, Value::Year(y)) => Value::Year(y + years),
        (Unit::Year, Value::Quarter(y, q)) => Value::Quarter(y + years, q),
        (Unit::Year, Value::Half(y, h)) => Value::Half(y + years, h),
        (Unit::Year, Value::Month(y, m)) => Value::Month(y + years, m),
        (Unit::Year, Value::Day(d)) => Value::Year(d.year() + years),
        (Unit::Year, Value::Week(y, _)) => Value::Year(y + years),
        (Unit::Quarter, Value::Quarter(y, q)) => {
            let index = y as i64 * 4 + q as i64 - 1 + n;
            Value::Quarter(index.div_euclid(4) as i32, index.rem_euclid(4) as u32 + 1)
        }
        (Unit::Month, Value::Month(y, m)) => {
            let (y, m) = add_months(y, m, n);
            Value::Month(y, m)
        }
        (Unit::Month, Value::Day(d)) => {
            let (y, m) = add_months(d.year(), d.month(), n);
            Value::Month(y, m)
        }
        (Unit::Week, Value::Day(d)) => {
            let (y, w) = iso_week(d + Duration::weeks(n));
            Value::Week(y, w)
        }
        (Unit::Day, Value::Day(d)) => Value::Day(d + Duration::days(n)),
        _ => return None,
    };
    Some(v)
}

/// "that year", "that same day": the period of the unit containing the reference time.
fn same_period(unit: Unit, base: &Value) -> Option<Value> {
    let start = base.range()?.start;
    let v = match (unit, base) {
        (Unit::Year, _) => Value::Year(start.year()),
        (Unit::Quarter, Value::Quarter(..)) => base.clone(),
        (Unit::Quarter, Value::Month(..) | Value::Day(_)) => {
            Value::Quarter(start.year(), (start.month() - 1) / 3 + 1)
        }
        (Unit::Month, Value::Month(..) | Value::Day(_)) => {
            Value::Month(start.year(), start.month())
        }
        (Unit::Week, Value::Week(..)) => base.clone(),
        (Unit::Week, Value::Day(d)) => {
            let (y, w) = iso_week(*d);
            Value::Week(y, w)
        }
        (Unit::Day, Value::Day(_)) => base.clone(),
        // A day or week inside a coarser reference ("His name was crossed out that same
        // day", after "in October"): that period with the finer part unknown.
        (Unit::Day, Value::Month(y, m)) => Value::Partial(format!("{y:04}-{m:02}-XX")),
        (Unit::Day, Value::Year(y)) => Value::Partial(format!("{y:04}-XX-XX")),
        (Unit::Week, Value::Month(y, _) | Value::Year(y)) => Value::Partial(format!("{y:04}-WXX")),
        (Unit::Month, Value::Year(y)) => Value::Partial(format!("{y:04}-XX")),
        _ => return None,
    };
    Some(v)
}
