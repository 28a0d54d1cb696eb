//! Civil dates and times without a clock: `yyyyMMdd`, `HH:mm:ss` and
//! `yyyyMMddHHmmss` in Beijing time (UTC+8), to and from Unix seconds.

#[allow(unused_imports)]
use crate::prelude::*;

/// Beijing time is UTC+8 all year.
pub const BEIJING_OFFSET_SECONDS: i64 = 8 * 3600;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// A time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay {
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// Parses `yyyyMMdd`; `None` unless it is a real calendar date.
    pub fn parse_compact(text: &str) -> Option<Date> {
        if text.len() != 8 || !text.is_ascii() {
            return None;
        }
        let year = digits(crate::text::cut(text, 0..4))? as i32;
        let month = digits(crate::text::cut(text, 4..6))?;
        let day = digits(crate::text::cut(text, 6..8))?;
        if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl TimeOfDay {
    /// Parses `HH:mm:ss`.
    pub fn parse_colon(text: &str) -> Option<TimeOfDay> {
        let b = text.as_bytes();
        if b.len() != 8 || b[2] != b':' || b[5] != b':' {
            return None;
        }
        TimeOfDay::new(
            digits(crate::text::cut(text, 0..2))?,
            digits(crate::text::cut(text, 3..5))?,
            digits(crate::text::cut(text, 6..8))?,
        )
    }

    fn new(hour: u32, minute: u32, second: u32) -> Option<TimeOfDay> {
        (hour < 24 && minute < 60 && second < 60).then_some(TimeOfDay {
            hour,
            minute,
            second,
        })
    }

    fn seconds(self) -> i64 {
        i64::from(self.hour * 3600 + self.minute * 60 + self.second)
    }
}

/// Unix seconds of a Beijing-time civil date and time.
pub fn beijing_to_unix(date: Date, time: TimeOfDay) -> i64 {
    date.days_since_epoch() * 86_400 + time.seconds() - BEIJING_OFFSET_SECONDS
}

/// Parses `SignatureTime` (`yyyyMMddHHmmss`, Beijing time) to Unix seconds.
pub fn parse_signature_time(text: &str) -> Option<i64> {
    if text.len() != 14 || !text.is_ascii() {
        return None;
    }
    let date = Date::parse_compact(crate::text::cut(text, 0..8))?;
    let time = TimeOfDay::new(
        digits(crate::text::cut(text, 8..10))?,
        digits(crate::text::cut(text, 10..12))?,
        digits(crate::text::cut(text, 12..14))?,
    )?;
    Some(beijing_to_unix(date, time))
}

/// RFC 3339 rendering of Unix seconds at a fixed offset (`Z` for 0).
pub fn rfc3339(unix: i64, offset_seconds: i64) -> String {
    let local = unix + offset_seconds;
    let date = Date::from_days_since_epoch(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    let zone = if offset_seconds == 0 {
        "Z".to_string()
    } else {
        let sign = if offset_seconds < 0 { '-' } else { '+' };
        let off = offset_seconds.abs();
        format!("{sign}{:02}:{:02}", off / 3600, (off % 3600) / 60)
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
        // i64: one integer formatter fewer in the module.
        i64::from(date.year),
        date.month,
        date.day,
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_calendar_dates() {
        assert!(Date::parse_compact("20240229").is_some());
        assert!(Date::parse_compact("20230229").is_none());
        assert!(Date::parse_compact("19000229").is_none());
        assert!(Date::parse_compact("20000229").is_some());
        assert!(Date::parse_compact("20241301").is_none());
        assert!(Date::parse_compact("2024010").is_none());
        assert!(Date::parse_compact("2024-1-1").is_none());
        assert!(Date::parse_compact("２０２４０１０１").is_none());
    }

    #[test]
    fn signature_time_is_beijing_time() {
        // 2025-02-03 08:39:11 +08:00 = 2025-02-03 00:39:11 UTC
        assert_eq!(parse_signature_time("20250203083911"), Some(1_738_543_151));
        assert_eq!(rfc3339(1_738_543_151, 0), "2025-02-03T00:39:11Z");
        assert_eq!(
            rfc3339(1_738_543_151, BEIJING_OFFSET_SECONDS),
            "2025-02-03T08:39:11+08:00"
        );
        assert!(parse_signature_time("20250203243911").is_none());
    }

    #[test]
    fn day_numbers_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let d = Date::from_days_since_epoch(days);
            assert_eq!(d.days_since_epoch(), days);
        }
    }

    #[test]
    fn times_parse() {
        assert!(TimeOfDay::parse_colon("23:59:59").is_some());
        assert!(TimeOfDay::parse_colon("24:00:00").is_none());
        assert!(TimeOfDay::parse_colon("8:00:00").is_none());
    }
}
