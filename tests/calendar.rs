//! China's working calendar (assets/calendar/cn-workdays.toml) and the policies built on
//! it: review deadlines, the deadline column's labels, and verification-call times.
//! Known dates come from the State Council's notices for 2026 (and earlier years).

use icp_review::domain::calendar::{Due, WorkCalendar};
use icp_review::domain::calls::{
    CallError, check_call, next_call_slot, outside_calendar, parse_call_time, slot_text,
    within_working_hours,
};
use jiff::civil::{Date, date};
use jiff::{Span, Timestamp};
use proptest::prelude::*;

fn cal() -> &'static WorkCalendar {
    WorkCalendar::embedded()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn ms(s: &str) -> i64 {
    ts(s).as_millisecond()
}

/// Days after 1970-01-01 as a date.
fn day(n: i64) -> Date {
    date(1970, 1, 1)
        .checked_add(Span::new().days(n))
        .expect("in range")
}

// ---- the calendar itself ----------------------------------------------------------

#[test]
fn covers_several_years_through_2026() {
    let years = cal().years();
    assert_eq!(*years.start(), 2020);
    assert!(*years.end() >= 2026, "{years:?}");
    assert!(cal().covers(date(2020, 1, 1)) && cal().covers(date(2026, 12, 31)));
    assert!(!cal().covers(date(2019, 12, 31)));
}

#[test]
fn spring_festival_2026_is_off_and_its_adjusted_saturdays_are_worked() {
    let c = cal();
    for d in 15..=23 {
        let when = date(2026, 2, d);
        assert!(!c.is_working_day(when), "{when}");
        let h = c.holiday(when).expect("named");
        assert_eq!((h.zh.as_str(), h.en.as_str()), ("春节", "Spring Festival"));
    }
    // Near misses: the working days either side of the break.
    assert!(c.is_working_day(date(2026, 2, 13)));
    assert!(c.is_working_day(date(2026, 2, 24)));
    // Saturday 14 and Saturday 28 February 2026 are worked (调休上班).
    for when in [date(2026, 2, 14), date(2026, 2, 28)] {
        assert!(c.is_working_day(when), "{when}");
        assert!(c.holiday(when).is_none());
        assert_eq!(c.adjusted_workday(when).unwrap().zh, "春节");
    }
    // A Saturday that is not adjusted stays off.
    assert!(!c.is_working_day(date(2026, 3, 7)));
    assert!(c.adjusted_workday(date(2026, 3, 7)).is_none());
}

#[test]
fn adjusted_sundays_and_national_day() {
    let c = cal();
    // Sunday 4 January 2026 is worked for New Year's Day; Sunday 11 January is not.
    assert!(c.is_working_day(date(2026, 1, 4)));
    assert!(!c.is_working_day(date(2026, 1, 11)));
    // Sunday 28 September 2025 is worked for National Day.
    assert!(c.is_working_day(date(2025, 9, 28)));
    // National Day 2026: 1–7 October off (Thursday 1 to Wednesday 7), Thursday 8 back.
    for d in 1..=7 {
        assert!(!c.is_working_day(date(2026, 10, d)), "2026-10-{d:02}");
        assert_eq!(c.holiday(date(2026, 10, d)).unwrap().en, "National Day");
    }
    assert!(c.is_working_day(date(2026, 10, 8)));
    assert!(c.holiday(date(2026, 10, 8)).is_none());
}

#[test]
fn every_covered_year_has_a_plausible_number_of_working_days() {
    let c = cal();
    for year in c.years() {
        let n = c.working_days_between(date(year, 1, 1), date(year + 1, 1, 1));
        // The official calendar keeps 245–252 working days a year.
        assert!((245..=252).contains(&n), "{year}: {n}");
        let weekdays = (0..366)
            .filter_map(|i| date(year, 1, 1).checked_add(Span::new().days(i)).ok())
            .filter(|d| d.year() == year && d.weekday().to_monday_one_offset() <= 5)
            .count() as i64;
        assert_ne!(n, weekdays, "{year}: holidays made no difference");
    }
}

#[test]
fn outside_the_covered_years_weekdays_are_working_days() {
    let c = cal();
    // 1 October 2027 is a Friday: no official data, so it counts as a working day.
    assert!(c.is_working_day(date(2027, 10, 1)));
    assert!(!c.is_working_day(date(2027, 10, 2)));
    assert!(c.is_working_day(date(2019, 10, 1)));
    assert_eq!(
        c.working_days_between(date(2027, 1, 4), date(2027, 1, 11)),
        5
    );
    // Huge spans are weekday arithmetic: 1000 whole weeks far in the future.
    let a = date(3000, 1, 1);
    let b = a.checked_add(Span::new().weeks(1000)).unwrap();
    assert_eq!(c.working_days_between(a, b), 5000);
    assert_eq!(c.working_days_between(b, a), -5000);
}

fn naive_between(c: &WorkCalendar, from: Date, to: Date) -> i64 {
    let (lo, hi, sign) = if from <= to {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    let mut n = 0;
    let mut d = lo;
    while d < hi {
        if c.is_working_day(d) {
            n += 1;
        }
        d = d.tomorrow().unwrap();
    }
    sign * n
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Pairs within and around the covered years (2015–2031), in either order.
    #[test]
    fn between_matches_a_day_by_day_count(a in 16_436i64..22_645, b in 16_436i64..22_645) {
        let (from, to) = (day(a), day(b));
        prop_assert_eq!(cal().working_days_between(from, to), naive_between(cal(), from, to));
    }

    /// Pairs anywhere in jiff's range, at most ~8 years apart.
    #[test]
    fn between_matches_far_from_the_data(a in -4_000_000i64..2_900_000, len in -3000i64..3000) {
        let (from, to) = (day(a), day(a + len));
        prop_assert_eq!(cal().working_days_between(from, to), naive_between(cal(), from, to));
    }

    /// Any three dates: counts add up, whatever the distances.
    #[test]
    fn between_is_additive(a in -4_000_000i64..2_900_000, b in -4_000_000i64..2_900_000, m in 16_436i64..22_645) {
        let (a, b, m) = (day(a), day(b), day(m));
        let c = cal();
        prop_assert_eq!(c.working_days_between(a, m) + c.working_days_between(m, b), c.working_days_between(a, b));
    }

    /// The next call slot is in working hours, on the half hour, after now, and no
    /// earlier half hour would do.
    #[test]
    fn next_call_slot_is_the_first_good_half_hour(now in ms("2019-12-01T00:00:00Z")..ms("2027-02-01T00:00:00Z")) {
        let c = cal();
        let slot = next_call_slot(now, c).expect("a slot");
        prop_assert!(slot.as_millisecond() > now);
        prop_assert!(within_working_hours(slot, c));
        prop_assert_eq!(slot.as_millisecond() % 1_800_000, 0);
        let mut t = now - now.rem_euclid(1_800_000) + 1_800_000;
        while t < slot.as_millisecond() {
            prop_assert!(!within_working_hours(Timestamp::from_millisecond(t).unwrap(), c), "{} was free", t);
            t += 1_800_000;
        }
    }
}

// ---- deadlines ----------------------------------------------------------------------

#[test]
fn deadline_skips_the_national_day_break() {
    let c = cal();
    // Wednesday 30 September 2026, 15:00, three working days: 1–7 October are off,
    // then Thursday 8, Friday 9 and the adjusted Saturday 10 October.
    assert_eq!(
        c.deadline(ts("2026-09-30T15:00:00+08:00"), 3),
        ts("2026-10-10T15:00:00+08:00")
    );
    // Near miss: two working days from Monday 28 September stay before the break.
    assert_eq!(
        c.deadline(ts("2026-09-28T15:00:00+08:00"), 2),
        ts("2026-09-30T15:00:00+08:00")
    );
    assert_eq!(
        c.deadline(ts("2026-09-28T15:00:00+08:00"), 0),
        ts("2026-09-28T15:00:00+08:00")
    );
}

#[test]
fn deadline_from_a_day_off_counts_from_the_next_working_morning() {
    let c = cal();
    // Submitted on Saturday 3 October 2026 (holiday): counting starts Thursday 8 at 00:00.
    assert_eq!(
        c.deadline(ts("2026-10-03T11:00:00+08:00"), 1),
        ts("2026-10-09T00:00:00+08:00")
    );
    // A plain Sunday evening: Monday 00:00 + 1 working day.
    assert_eq!(
        c.deadline(ts("2026-11-22T20:00:00+08:00"), 1),
        ts("2026-11-24T00:00:00+08:00")
    );
    // Clock time is Shanghai's, whatever offset the submission was written in.
    assert_eq!(
        c.deadline(ts("2026-11-23T01:00:00Z"), 1),
        ts("2026-11-24T09:00:00+08:00")
    );
}

#[test]
fn deadline_past_the_covered_years_and_absurd_spans() {
    let c = cal();
    // Thursday 31 December 2026 + 1: Friday 1 January 2027 by weekdays (no 2027 data).
    assert_eq!(
        c.deadline(ts("2026-12-31T10:00:00+08:00"), 1),
        ts("2027-01-01T10:00:00+08:00")
    );
    assert_eq!(
        c.deadline(ts("2026-12-31T10:00:00+08:00"), u32::MAX),
        Timestamp::MAX
    );
}

// ---- the deadline column --------------------------------------------------------------

#[test]
fn due_under_a_day_is_clock_time() {
    let c = cal();
    let now = ts("2026-11-23T10:00:00+08:00");
    let due = c.due(ts("2026-11-23T13:10:00+08:00"), now);
    assert_eq!(due, Due::DueIn { minutes: 190 });
    assert_eq!(due.label(true), "due in 3 h");
    assert_eq!(due.label(false), "还剩3小时");
    let late = c.due(ts("2026-11-23T08:00:00+08:00"), now);
    assert_eq!(late, Due::Overdue { minutes: 120 });
    assert_eq!(late.label(true), "overdue 2 h");
    assert_eq!(late.label(false), "超时2小时");
    assert_eq!(c.due(now, now).label(true), "due in 0 min");
}

#[test]
fn due_beyond_a_day_is_working_days() {
    let c = cal();
    let now = ts("2026-11-23T10:00:00+08:00"); // Monday
    let due = c.due(ts("2026-11-26T10:00:00+08:00"), now);
    assert_eq!(due, Due::DueInDays(3));
    assert_eq!(due.label(true), "due in 3 working days");
    assert_eq!(due.label(false), "还剩3个工作日");
    let late = c.due(
        ts("2026-11-23T10:00:00+08:00"),
        ts("2026-11-24T11:00:00+08:00"),
    );
    assert_eq!(late, Due::OverdueDays(1));
    assert_eq!(late.label(true), "overdue 1 working day");
    assert_eq!(late.label(false), "超时1个工作日");
    // Over the Spring Festival break only Friday 13 and the adjusted Saturday 14 count.
    assert_eq!(
        c.due(
            ts("2026-02-13T10:00:00+08:00"),
            ts("2026-02-24T10:00:00+08:00")
        ),
        Due::OverdueDays(2)
    );
    // A weekend with no working day between stays in hours.
    assert_eq!(
        c.due(
            ts("2026-11-30T09:00:00+08:00"),
            ts("2026-11-28T10:00:00+08:00")
        )
        .label(true),
        "due in 47 h"
    );
}

// ---- verification calls -------------------------------------------------------------

/// Monday 28 September 2026, 09:00.
const NOW: &str = "2026-09-28T09:00:00+08:00";
const WHY: &str = "confirm the site leader's mobile";

fn check(when: &str, why: &str) -> Result<Timestamp, CallError> {
    check_call(when, why, ms(NOW), cal())
}

#[test]
fn call_checks_each_refusal_and_its_near_miss() {
    let cases: [(&str, &str, CallError, &str, &str); 6] = [
        (
            "2026/09/29 10:00",
            WHY,
            CallError::BadFormat,
            "2026-09-29 10:00",
            WHY,
        ),
        (
            "2026-09-28 09:00",
            WHY,
            CallError::Past,
            "2026-09-28 09:30",
            WHY,
        ),
        (
            "2026-10-01 10:00",
            WHY,
            CallError::Holiday {
                zh: "国庆节".into(),
                en: "National Day".into(),
            },
            "2026-09-30 10:00",
            WHY,
        ),
        // Saturday 17 October is off; Saturday 10 October is an adjusted working day.
        (
            "2026-10-17 10:00",
            WHY,
            CallError::NonWorkingDay,
            "2026-10-10 10:00",
            WHY,
        ),
        (
            "2026-09-29 12:15",
            WHY,
            CallError::OutsideHours,
            "2026-09-29 11:45",
            WHY,
        ),
        (
            "2026-09-29 10:00",
            " \t ",
            CallError::EmptyReason,
            "2026-09-29 10:00",
            "x",
        ),
    ];
    for (when, why, err, ok_when, ok_why) in cases {
        assert_eq!(check(when, why), Err(err.clone()), "{when} / {why:?}");
        let t = check(ok_when, ok_why).unwrap_or_else(|e| panic!("{ok_when}: {e}"));
        assert_eq!(slot_text(t), ok_when);
        assert!(!err.message(true).is_empty() && !err.message(false).is_empty());
    }
    assert_eq!(check("2026-09-29 10:00", ""), Err(CallError::EmptyReason));
}

#[test]
fn a_call_beyond_the_calendar_is_judged_by_weekdays_and_flagged() {
    let c = cal();
    // Monday 1 March 2027: accepted, but the UI is told the calendar has no data.
    let t = check("2027-03-01 10:00", WHY).expect("a weekday outside the data");
    assert!(outside_calendar(t, c));
    assert_eq!(
        check("2027-03-06 10:00", WHY),
        Err(CallError::NonWorkingDay)
    );
    // Near miss: a 2026 date is inside the data.
    assert!(!outside_calendar(ts("2026-09-29T10:00:00+08:00"), c));
}

#[test]
fn call_times_read_in_either_form() {
    assert_eq!(
        parse_call_time("2026-09-29 10:00"),
        Some(ts("2026-09-29T10:00:00+08:00"))
    );
    assert_eq!(
        parse_call_time("2026-09-29T02:00:00Z"),
        Some(ts("2026-09-29T10:00:00+08:00"))
    );
    assert_eq!(parse_call_time("29/09/2026 10:00"), None);
    assert_eq!(parse_call_time(""), None);
}

#[test]
fn next_call_slot_skips_lunch_evenings_and_holidays() {
    let c = cal();
    let slot = |now: &str| slot_text(next_call_slot(ms(now), c).expect("a slot"));
    assert_eq!(slot("2026-11-23T07:10:00+08:00"), "2026-11-23 09:00");
    assert_eq!(slot("2026-11-23T11:29:59+08:00"), "2026-11-23 11:30");
    // Strictly after now: at 11:30 sharp the next is after lunch.
    assert_eq!(slot("2026-11-23T11:30:00+08:00"), "2026-11-23 13:30");
    assert_eq!(slot("2026-11-23T11:40:00+08:00"), "2026-11-23 13:30");
    // Wednesday 30 September, after hours: 1–7 October are the National Day break.
    assert_eq!(slot("2026-09-30T17:45:00+08:00"), "2026-10-08 09:00");
    // Near miss: the evening before an ordinary Thursday.
    assert_eq!(slot("2026-11-25T17:45:00+08:00"), "2026-11-26 09:00");
    // Friday 9 October evening: Saturday 10 October is an adjusted working day.
    assert_eq!(slot("2026-10-09T18:10:00+08:00"), "2026-10-10 09:00");
    // Spring Festival 2026: after the adjusted Saturday 14 February, back on the 24th.
    assert_eq!(slot("2026-02-14T18:00:00+08:00"), "2026-02-24 09:00");
}

// ---- the file format --------------------------------------------------------------------

const GOOD: &str = r#"
[years.2030]
holidays = [{ date = 2030-10-01, zh = "国庆节", en = "National Day" }]
workdays = [{ date = 2030-09-29, zh = "国庆节", en = "National Day" }]
"#;

#[test]
fn a_small_file_parses() {
    let c = WorkCalendar::parse(GOOD, "t.toml").expect("parses");
    assert_eq!(c.years(), 2030..=2030);
    assert!(!c.is_working_day(date(2030, 10, 1))); // a Tuesday off
    assert!(c.is_working_day(date(2030, 9, 29))); // a Sunday worked
    assert_eq!(
        c.working_days_between(date(2030, 9, 29), date(2030, 10, 2)),
        2
    );
}

#[test]
fn bad_files_are_refused_naming_the_file_and_key() {
    for (text, expected) in [
        ("years = 3", "t.toml: years: expected a table"),
        ("[years.2030]\nholidays = [", "t.toml: not valid TOML"),
        (
            "[years.2030]\nholidays = []\nworkdays = ]",
            "t.toml: not valid TOML: ",
        ),
        (
            "other = 1\n[years.2030]\nholidays = []\nworkdays = []",
            "t.toml: other: unknown key",
        ),
        (
            "[years.abc]\nholidays = []\nworkdays = []",
            "t.toml: years.abc: not a year",
        ),
        (
            "[years.2030]\nholidays = []",
            "t.toml: years.2030.workdays: missing",
        ),
        (
            "[years.2030]\nworkdays = []\nholidays = [{ date = 2031-01-01, zh = \"元旦\", en = \"New Year's Day\" }]",
            "t.toml: years.2030.holidays[0].date: 2031-01-01 is not in 2030",
        ),
        (
            "[years.2030]\nholidays = []\nworkdays = [{ date = 2030-10-01, zh = \"国庆节\", en = \"National Day\" }]",
            "t.toml: years.2030.workdays[0].date: 2030-10-01 is a Tuesday",
        ),
        (
            "[years.2030]\nworkdays = []\nholidays = [{ date = \"2030-10-01\", zh = \"国庆节\", en = \"National Day\" }]",
            "t.toml: years.2030.holidays[0].date: expected a plain date",
        ),
        (
            "[years.2030]\nworkdays = []\nholidays = [{ date = 2030-10-01T10:00:00, zh = \"国庆节\", en = \"National Day\" }]",
            "t.toml: years.2030.holidays[0].date: expected a plain date",
        ),
        (
            "[years.2030]\nworkdays = []\nholidays = [{ date = 2030-10-01, en = \"National Day\" }]",
            "t.toml: years.2030.holidays[0].zh: missing",
        ),
        (
            "[years.2030]\nworkdays = []\nholidays = [{ date = 2030-10-01, zh = \" \", en = \"National Day\" }]",
            "t.toml: years.2030.holidays[0].zh: must be a non-empty name",
        ),
        (
            "[years.2030]\nworkdays = []\nholidays = [{ date = 2030-10-01, zh = \"a\", en = \"b\" }, { date = 2030-10-01, zh = \"a\", en = \"b\" }]",
            "t.toml: years.2030.holidays[1].date: 2030-10-01 is listed twice",
        ),
        (
            "[years.2030]\nholidays = []\nworkdays = []\n[years.2032]\nholidays = []\nworkdays = []",
            "t.toml: years.2031: missing",
        ),
        ("", "t.toml: years: missing"),
    ] {
        let err = WorkCalendar::parse(text, "t.toml")
            .err()
            .unwrap_or_else(|| panic!("accepted {text:?}"));
        assert!(
            err.starts_with(expected),
            "{text:?}\n  got: {err}\n  want: {expected}"
        );
    }
    let err = WorkCalendar::parse("[years.2030]\nholidays = []\nworkdays = ]", "t.toml")
        .expect_err("refused");
    assert!(err.contains("(line 3, column 12)"), "{err}");
}
