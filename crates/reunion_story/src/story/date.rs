//! The calendar days of a story's consent, and today's date where it is played.

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses "YYYY-MM-DD".
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.split('-');
        let year: i32 = it.next()?.parse().ok()?;
        let month: u8 = it.next()?.parse().ok()?;
        let day: u8 = it.next()?.parse().ok()?;
        if it.next().is_some() || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        (day <= days[usize::from(month - 1)]).then_some(Date { year, month, day })
    }

    /// Today where the story is played: the local date of this machine, in its time
    /// zone (`TZ`, else `/etc/localtime`; UTC when neither says), from the system
    /// clock. A story's `retire_after` is compared with this date, so a story retired
    /// on the 23rd is not played on the 24th in Seoul, even while it is still the 23rd
    /// in UTC.
    pub fn today() -> Date {
        Date::of(&jiff::ZonedDateTime::now())
    }

    /// The calendar day of an instant in a time zone.
    pub fn of(instant: &jiff::ZonedDateTime) -> Date {
        let day = instant.date();
        Date {
            year: i32::from(day.year()),
            month: day.month().unsigned_abs(),
            day: day.day().unsigned_abs(),
        }
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_local_date_where_the_story_is_played() {
        // 23 November 2036, 15:30 UTC: already the 24th in Seoul (UTC+9).
        let instant: jiff::Timestamp = "2036-11-23T15:30:00Z".parse().expect("an instant");
        let seoul = jiff::tz::TimeZone::get("Asia/Seoul").expect("the tz database knows Seoul");
        let in_seoul = Date::of(&instant.to_zoned_datetime(seoul));
        let in_utc = Date::of(&instant.to_zoned_datetime(jiff::tz::TimeZone::UTC));
        assert_eq!(in_seoul, Date::parse("2036-11-24").expect("a date"));
        assert_eq!(in_utc, Date::parse("2036-11-23").expect("a date"));
        // A story retired after the 23rd is past it in Seoul, not yet in UTC.
        let retire_after = Date::parse("2036-11-23").expect("a date");
        assert!(retire_after < in_seoul);
        assert!(retire_after >= in_utc);
        // And a New Year's Eve evening in Los Angeles is still the old year there.
        let la = jiff::tz::TimeZone::get("America/Los_Angeles").expect("known");
        let eve: jiff::Timestamp = "2037-01-01T05:00:00Z".parse().expect("an instant");
        assert_eq!(
            Date::of(&eve.to_zoned_datetime(la)),
            Date::parse("2036-12-31").expect("a date")
        );
    }
}
