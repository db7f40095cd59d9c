//! `Day`: a calendar day, as the formats give them, in one number.

/// A calendar day, as the formats give them: the day a paper appeared in a digest, or was published.
/// Ordered by date; kept as `yyyymmdd` in one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(u32);

impl Day {
    /// The day, when it is a real date of the Gregorian calendar.
    pub fn new(year: u32, month: u32, day: u32) -> Option<Day> {
        let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=9999).contains(&year) && (1..=days_in_month).contains(&day))
            .then_some(Day(year * 10000 + month * 100 + day))
    }

    /// The day at the start of an ISO 8601 date or date-time ("2024-03-14", "2024-03-14T08:00:00.000Z").
    pub fn parse_iso(text: &str) -> Option<Day> {
        let text = text.trim();
        let date = text.get(..10)?;
        let bytes = date.as_bytes();
        if bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| date.get(range)?.parse::<u32>().ok();
        Day::new(number(0..4)?, number(5..7)?, number(8..10)?)
    }

    /// The day (in UTC) of a point in time.
    pub fn of(time: std::time::SystemTime) -> Day {
        let secs = match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(since) => since.as_secs() as i64,
            Err(before) => -(before.duration().as_secs() as i64),
        };
        // Howard Hinnant's days-to-civil algorithm (http://howardhinnant.github.io/date_algorithms.html).
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(1, 9999) as u32;
        Day(year * 10000 + month * 100 + day)
    }

    pub fn today() -> Day {
        Day::of(std::time::SystemTime::now())
    }

    /// Month and day, as a list shows it: "Mar 14".
    pub fn short(self) -> String {
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let month = MONTHS.get(self.month() as usize - 1).unwrap_or(&"");
        format!("{month} {:2}", self.day())
    }

    pub fn year(self) -> u32 {
        self.0 / 10000
    }

    pub fn month(self) -> u32 {
        self.0 / 100 % 100
    }

    pub fn day(self) -> u32 {
        self.0 % 100
    }
}

impl std::fmt::Display for Day {
    /// ISO 8601: "2024-03-14".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year(), self.month(), self.day())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_check_and_print() {
        assert_eq!(Day::parse_iso("2024-03-14T08:00:00.000Z").map(|d| d.to_string()).as_deref(), Some("2024-03-14"));
        assert_eq!(Day::parse_iso("2024-02-30"), None);
        assert_eq!(Day::parse_iso("2024-02-29"), Day::new(2024, 2, 29));
        assert_eq!(Day::new(2023, 2, 29), None);
        assert_eq!(Day::of(std::time::UNIX_EPOCH), Day::new(1970, 1, 1).unwrap());
        let leap = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_709_164_800); // 2024-02-29
        assert_eq!(Day::of(leap).to_string(), "2024-02-29");
    }
}
