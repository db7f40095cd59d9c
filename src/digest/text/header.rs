//! The digest's header: its fixed lines ("new", "Subscribe"…) and date lines, and the day a date line names.

use crate::library::Day;

const HEADER_LINES: [&str; 4] =
    ["new", "get trending papers in your email inbox!", "subscribe", "byak and the research community"];

pub(super) fn is_header(text: &str) -> bool {
    let lower = text.to_lowercase();
    HEADER_LINES.contains(&lower.as_str()) || is_date(text)
}

/// A date line: a month name or its three-letter abbreviation, a day, and optionally a year ("Mar 14",
/// "March 14, 2024", "14 Mar 2024").
pub(super) fn is_date(text: &str) -> bool {
    date_parts(text).is_some()
}

/// The day of a date line (see `is_date`). Without a year, the year is the latest that puts the day on or
/// before `saved`, the day the digest was saved.
pub(crate) fn parse_date(text: &str, saved: Day) -> Option<Day> {
    let (month, day, year) = date_parts(text)?;
    if let Some(year) = year {
        return Day::new(year, month, day);
    }
    let year = if (month, day) > (saved.month(), saved.day()) { saved.year() - 1 } else { saved.year() };
    // "Feb 29" is from the latest leap year.
    (0..8).find_map(|back| Day::new(year.checked_sub(back)?, month, day))
}

/// Month (1-12), day and year of a date line.
fn date_parts(text: &str) -> Option<(u32, u32, Option<u32>)> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let words: Vec<String> =
        text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let month = |w: &str| {
        let at = MONTHS.iter().position(|m| *m == w || (w.len() == 3 && m.starts_with(w)))?;
        (w.len() >= 3).then_some(at as u32 + 1)
    };
    let day = |w: &str| w.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
    let year = |w: Option<&String>| match w {
        None => Some(None),
        Some(w) if w.len() == 4 => w.parse::<u32>().ok().map(Some),
        Some(_) => None,
    };
    match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [m, d] | [m, d, _] if month(m).is_some() && day(d).is_some() => Some((month(m)?, day(d)?, year(words.get(2))?)),
        [d, m] | [d, m, _] if month(m).is_some() && day(d).is_some() => Some((month(m)?, day(d)?, year(words.get(2))?)),
        _ => None,
    }
}
