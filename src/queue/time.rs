//! Time helpers: the queue works in Unix milliseconds; people work in Asia/Shanghai.

use jiff::{Timestamp, tz::TimeZone};

/// Now in Unix milliseconds.
pub fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

pub fn shanghai() -> TimeZone {
    TimeZone::get("Asia/Shanghai").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(8)))
}

/// Working hours for verification calls: working days of the official calendar (no
/// public holidays; adjusted Saturdays and Sundays count), 09:00–12:00 and 13:30–18:00
/// Asia/Shanghai. See [`crate::domain::calls`].
pub fn within_working_hours(t: Timestamp) -> bool {
    crate::domain::calls::within_working_hours(t, crate::domain::calendar::WorkCalendar::embedded())
}

/// RFC 3339 in +08:00 for display and the wire.
pub fn rfc3339_shanghai(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(shanghai())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_hours() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        assert!(within_working_hours(t("2026-11-23T10:00:00+08:00"))); // Monday
        assert!(!within_working_hours(t("2026-11-23T12:30:00+08:00"))); // lunch
        assert!(!within_working_hours(t("2026-11-23T18:00:00+08:00")));
        assert!(!within_working_hours(t("2026-11-22T10:00:00+08:00"))); // Sunday
        assert!(!within_working_hours(t("2026-10-07T10:00:00+08:00"))); // National Day break (a Wednesday)
        assert!(within_working_hours(t("2026-10-10T10:00:00+08:00"))); // adjusted Saturday
        assert!(within_working_hours(t("2026-11-23T02:00:00Z"))); // 10:00 in Shanghai
        assert_eq!(rfc3339_shanghai(0), "1970-01-01T08:00:00+08:00");
    }
}
