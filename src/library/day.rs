//! `Day`: a calendar day, as the formats give them and as the user's calendar shows it.

use std::time::SystemTime;

use jiff::tz::TimeZone;

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

    /// The day a point in time falls on where the user is (the system's time zone): the date their
    /// calendar shows, which is what a digest saved then or an export made then is dated by. In UTC, an
    /// export made at 01:00 in Berlin would be named for the day before.
    pub fn of(time: SystemTime) -> Day {
        Day::in_zone(time, &TimeZone::system())
    }

    /// The day a point in time falls on in time zone `zone`.
    pub fn in_zone(time: SystemTime, zone: &TimeZone) -> Day {
        // A time beyond what jiff holds (years past ±9999) is taken at its end, as the year is clamped.
        let at = jiff::Timestamp::try_from(time).unwrap_or(if time < SystemTime::UNIX_EPOCH {
            jiff::Timestamp::MIN
        } else {
            jiff::Timestamp::MAX
        });
        let date = zone.to_datetime(at).date();
        let year = i32::from(date.year()).clamp(1, 9999) as u32;
        Day(year * 10000 + date.month() as u32 * 100 + date.day() as u32)
    }

    /// Today, where the user is (see `of`).
    pub fn today() -> Day {
        Day::of(SystemTime::now())
    }

    /// The day `days` days before this one, when the calendar has it.
    pub fn days_before(self, days: u32) -> Option<Day> {
        self.shifted(-i64::from(days))
    }

    /// The day `days` days after this one, when the calendar has it.
    pub fn days_after(self, days: u32) -> Option<Day> {
        self.shifted(i64::from(days))
    }

    fn shifted(self, days: i64) -> Option<Day> {
        let date = jiff::civil::Date::new(self.year() as i16, self.month() as i8, self.day() as i8).ok()?;
        let moved = date.checked_add(jiff::Span::new().days(days)).ok()?;
        Day::new(u32::try_from(moved.year()).ok()?, moved.month() as u32, moved.day() as u32)
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
        assert_eq!(Day::in_zone(std::time::UNIX_EPOCH, &TimeZone::UTC), Day::new(1970, 1, 1).unwrap());
        let leap = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_709_164_800); // 2024-02-29
        assert_eq!(Day::in_zone(leap, &TimeZone::UTC).to_string(), "2024-02-29");
    }

    #[test]
    fn a_day_is_the_date_where_the_user_is_not_in_utc() {
        let at = |secs| std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        let zone = |hours| TimeZone::fixed(jiff::tz::offset(hours));
        let leap = Day::new(2024, 2, 28).unwrap();
        assert_eq!(leap.days_after(1).map(|d| d.to_string()).as_deref(), Some("2024-02-29"));
        assert_eq!(leap.days_after(2).map(|d| d.to_string()).as_deref(), Some("2024-03-01"));
        assert_eq!(Day::new(2024, 1, 1).unwrap().days_before(1).map(|d| d.to_string()).as_deref(), Some("2023-12-31"));
        // 2024-03-13T23:30Z: half past midnight on the 14th in Berlin (UTC+1 in March), still the 13th in UTC.
        let berlin_after_midnight = at(1_710_372_600);
        assert_eq!(Day::in_zone(berlin_after_midnight, &zone(1)), Day::new(2024, 3, 14).unwrap());
        assert_eq!(Day::in_zone(berlin_after_midnight, &TimeZone::UTC), Day::new(2024, 3, 13).unwrap());
        // 2024-03-14T02:00Z: the 14th in UTC, still the evening of the 13th in New York (UTC-4 by then).
        let new_york_evening = at(1_710_381_600);
        assert_eq!(Day::in_zone(new_york_evening, &TimeZone::UTC), Day::new(2024, 3, 14).unwrap());
        assert_eq!(Day::in_zone(new_york_evening, &zone(-4)), Day::new(2024, 3, 13).unwrap());
        // Times past what a day can name keep to the years a `Day` has.
        assert_eq!(Day::in_zone(at(u64::MAX / 4), &TimeZone::UTC).year(), 9999);
    }
}
