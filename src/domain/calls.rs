//! Verification-call policy: when a reviewer may call an applicant.
//!
//! Calls are made on the working days of the official calendar ([`WorkCalendar`]: no
//! public holidays, adjusted Saturdays and Sundays included), 09:00–12:00 and
//! 13:30–18:00 Asia/Shanghai, and always say why.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};

use super::calendar::WorkCalendar;
use crate::queue::time::shanghai;

/// The calling windows of a working day, `[start, end)` in minutes after midnight.
const WINDOWS: [(i32, i32); 2] = [(9 * 60, 12 * 60), (13 * 60 + 30, 18 * 60)];

/// Why a proposed call time or reason is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// Neither `YYYY-MM-DD HH:MM` nor RFC 3339.
    BadFormat,
    /// Not after now.
    Past,
    /// A day off of a public-holiday break.
    Holiday { zh: String, en: String },
    /// A weekend day that is not an adjusted working day.
    NonWorkingDay,
    /// A working day, but outside 09:00–12:00 and 13:30–18:00.
    OutsideHours,
    /// The reason is empty or blank.
    EmptyReason,
}

impl CallError {
    /// One sentence for the dialog or the API.
    pub fn message(&self, en: bool) -> String {
        match (self, en) {
            (CallError::BadFormat, true) => "write the time as YYYY-MM-DD HH:MM".into(),
            (CallError::BadFormat, false) => "时间格式应为 YYYY-MM-DD HH:MM".into(),
            (CallError::Past, true) => "that time has already passed".into(),
            (CallError::Past, false) => "该时间已过去".into(),
            (CallError::Holiday { en: name, .. }, true) => {
                format!("that day is a public holiday ({name})")
            }
            (CallError::Holiday { zh: name, .. }, false) => format!("该日为法定节假日（{name}）"),
            (CallError::NonWorkingDay, true) => "that day is not a working day".into(),
            (CallError::NonWorkingDay, false) => "该日不是工作日".into(),
            (CallError::OutsideHours, true) => {
                "calls are made 09:00–12:00 and 13:30–18:00 (Beijing time)".into()
            }
            (CallError::OutsideHours, false) => {
                "核验电话须在 09:00–12:00 或 13:30–18:00（北京时间）拨打".into()
            }
            (CallError::EmptyReason, true) => "say why the call is needed".into(),
            (CallError::EmptyReason, false) => "请填写核验电话的原因".into(),
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(true))
    }
}

impl std::error::Error for CallError {}

fn minute_of_day(t: Time) -> i32 {
    i32::from(t.hour()) * 60 + i32::from(t.minute())
}

/// Whether `t` is on a working day of `cal`, within the calling windows.
pub fn within_working_hours(t: Timestamp, cal: &WorkCalendar) -> bool {
    check_slot(t, cal).is_ok()
}

/// The day and hour part of the policy: `Holiday`, `NonWorkingDay` or `OutsideHours`.
pub fn check_slot(t: Timestamp, cal: &WorkCalendar) -> Result<(), CallError> {
    let local = t.to_zoned(shanghai());
    if !cal.is_working_day(local.date()) {
        return Err(match cal.holiday(local.date()) {
            Some(h) => CallError::Holiday {
                zh: h.zh.clone(),
                en: h.en.clone(),
            },
            None => CallError::NonWorkingDay,
        });
    }
    let m = minute_of_day(local.time());
    if WINDOWS
        .iter()
        .any(|(start, end)| (*start..*end).contains(&m))
    {
        Ok(())
    } else {
        Err(CallError::OutsideHours)
    }
}

/// Whether the calendar has no official data for `t`'s date (it was judged by weekdays
/// alone); the UI warns about it without refusing.
pub fn outside_calendar(t: Timestamp, cal: &WorkCalendar) -> bool {
    !cal.covers(t.to_zoned(shanghai()).date())
}

/// The next half hour (`:00` or `:30`) strictly after `now_ms` that lies in working
/// hours; `None` only past the end of representable time.
pub fn next_call_slot(now_ms: i64, cal: &WorkCalendar) -> Option<Timestamp> {
    let tz = shanghai();
    let now = Timestamp::from_millisecond(now_ms).ok()?;
    let local = now.to_zoned(tz.clone()).datetime();
    // The first half-hour boundary strictly after now.
    let floor = local
        .with()
        .minute(if local.minute() < 30 { 0 } else { 30 })
        .second(0)
        .subsec_nanosecond(0)
        .build()
        .ok()?;
    let mut date = floor.date();
    let mut minute = minute_of_day(floor.time()) + 30;
    // Each pass either returns or moves to the next day; the calendar never has more
    // than a few weeks without a working day, so the bound is only a guard.
    for _ in 0..400 {
        if cal.is_working_day(date) {
            for (start, end) in WINDOWS {
                let m = minute.max(start);
                if m < end {
                    let dt = DateTime::from_parts(
                        date,
                        Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).ok()?,
                    );
                    return dt.to_zoned(tz).ok().map(|z| z.timestamp());
                }
            }
        }
        date = next_day(date)?;
        minute = 0;
    }
    None
}

fn next_day(date: Date) -> Option<Date> {
    date.tomorrow().ok()
}

/// `YYYY-MM-DD HH:MM` in Asia/Shanghai, the form [`parse_call_time`] reads.
pub fn slot_text(t: Timestamp) -> String {
    t.to_zoned(shanghai())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// Read `YYYY-MM-DD HH:MM` in Asia/Shanghai, or a full RFC 3339 time.
pub fn parse_call_time(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    let dt = DateTime::strptime("%Y-%m-%d %H:%M", s).ok()?;
    dt.to_zoned(shanghai()).ok().map(|z| z.timestamp())
}

/// Check a call the reviewer typed: the time (`when_text`) and the reason (`why`).
/// A time in a year the calendar does not cover is judged by weekdays and accepted;
/// ask [`outside_calendar`] to warn about it.
pub fn check_call(
    when_text: &str,
    why: &str,
    now_ms: i64,
    cal: &WorkCalendar,
) -> Result<Timestamp, CallError> {
    let t = parse_call_time(when_text).ok_or(CallError::BadFormat)?;
    if t.as_millisecond() <= now_ms {
        return Err(CallError::Past);
    }
    check_slot(t, cal)?;
    if why.trim().is_empty() {
        return Err(CallError::EmptyReason);
    }
    Ok(t)
}

/// Rejection reason after the applicant could not be reached twice.
pub const UNREACHABLE: &str = "CALL-UNREACHABLE";
/// Rejection reason after the applicant refused verification.
pub const REFUSED: &str = "CALL-REFUSED";
/// Rejection reason when the call found something the applicant must correct.
pub const NEEDS_CORRECTION: &str = "CALL-NEEDS-CORRECTION";

/// The words of a call-outcome rejection reason, in a language.
pub fn reason_text(code: &str, en: bool) -> &'static str {
    match (code, en) {
        (UNREACHABLE, true) => "The applicant could not be reached for the verification call.",
        (UNREACHABLE, false) => "核验电话两次无人接听，无法联系到申请人。",
        (REFUSED, true) => "The applicant refused the verification call.",
        (REFUSED, false) => "申请人拒绝电话核验。",
        (NEEDS_CORRECTION, true) => {
            "The verification call found information the applicant must correct."
        }
        (NEEDS_CORRECTION, false) => "电话核验发现信息有误，请修改后重新提交。",
        _ => "",
    }
}

/// What the reviewer does next after a call's outcome (pre-filled, never sent on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// Verified: approve.
    Approve,
    /// Reject with this reason code (see [`reason_text`]).
    Reject(&'static str),
    /// The first unanswered call: call again at this time (an hour later, moved to the
    /// next calling window when that falls outside one).
    Retry(Timestamp),
}

/// The desks' practice: approve after a verified call; after the first unanswered call
/// retry an hour later; after the second, reject as unreachable; reject when the
/// applicant refused or must correct something. `unanswered_before` counts the order's
/// earlier calls that went unanswered; `at_ms` is when this call was made.
pub fn next_step(
    outcome: crate::domain::CallOutcome,
    unanswered_before: usize,
    at_ms: i64,
    cal: &WorkCalendar,
) -> NextStep {
    use crate::domain::CallOutcome;
    match outcome {
        CallOutcome::Verified => NextStep::Approve,
        CallOutcome::Refused => NextStep::Reject(REFUSED),
        CallOutcome::NeedsCorrection => NextStep::Reject(NEEDS_CORRECTION),
        CallOutcome::NoAnswer if unanswered_before >= 1 => NextStep::Reject(UNREACHABLE),
        CallOutcome::NoAnswer => {
            let hour_later = at_ms + 3_600_000;
            let t = Timestamp::from_millisecond(hour_later).ok();
            match t {
                Some(t) if check_slot(t, cal).is_ok() => NextStep::Retry(t),
                // The next half-hour slot at or after the hour (one minute before it, so
                // a slot exactly on the hour is taken).
                _ => next_call_slot(hour_later - 60_000, cal)
                    .map(NextStep::Retry)
                    .unwrap_or(NextStep::Reject(UNREACHABLE)),
            }
        }
    }
}

/// How a scheduled call stands at `now_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallDue {
    /// Its outcome is recorded.
    Done,
    /// More than 15 minutes ahead.
    Later,
    /// From 15 minutes before to 30 minutes after its time.
    DueNow,
    /// More than 30 minutes past its time with no outcome.
    Overdue,
}

/// Where a call stands: due now within its window, overdue past it.
pub fn call_due(at_ms: i64, done: bool, now_ms: i64) -> CallDue {
    if done {
        CallDue::Done
    } else if now_ms > at_ms + 30 * 60_000 {
        CallDue::Overdue
    } else if now_ms >= at_ms - 15 * 60_000 {
        CallDue::DueNow
    } else {
        CallDue::Later
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::embedded()
    }

    #[test]
    fn windows_edges() {
        let c = cal();
        assert!(within_working_hours(ts("2026-11-23T09:00:00+08:00"), c));
        assert!(!within_working_hours(ts("2026-11-23T08:59:59+08:00"), c));
        assert!(within_working_hours(ts("2026-11-23T11:59:00+08:00"), c));
        assert!(!within_working_hours(ts("2026-11-23T12:00:00+08:00"), c));
        assert!(!within_working_hours(ts("2026-11-23T13:29:00+08:00"), c));
        assert!(within_working_hours(ts("2026-11-23T13:30:00+08:00"), c));
        assert!(!within_working_hours(ts("2026-11-23T18:00:00+08:00"), c));
    }

    #[test]
    fn holidays_refused_adjusted_saturdays_accepted() {
        let c = cal();
        // 2026-10-01: National Day (a Thursday). 2026-10-10: an adjusted working Saturday.
        assert_eq!(
            check_slot(ts("2026-10-01T10:00:00+08:00"), c),
            Err(CallError::Holiday {
                zh: "国庆节".into(),
                en: "National Day".into()
            })
        );
        assert_eq!(check_slot(ts("2026-10-10T10:00:00+08:00"), c), Ok(()));
        assert_eq!(
            check_slot(ts("2026-10-17T10:00:00+08:00"), c),
            Err(CallError::NonWorkingDay)
        );
    }

    #[test]
    fn slot_text_round_trips() {
        let t = ts("2026-11-23T02:30:00Z");
        assert_eq!(slot_text(t), "2026-11-23 10:30");
        assert_eq!(parse_call_time(&slot_text(t)), Some(t));
        assert_eq!(parse_call_time(" 2026-11-23T10:30:00+08:00 "), Some(t));
        assert_eq!(parse_call_time("2026-11-23 10:30:00"), None);
        assert_eq!(parse_call_time("tomorrow"), None);
    }

    #[test]
    fn next_step_follows_the_desks_practice() {
        use crate::domain::CallOutcome::*;
        let c = cal();
        let at = ts("2026-11-23T10:00:00+08:00").as_millisecond();
        assert_eq!(next_step(Verified, 0, at, c), NextStep::Approve);
        assert_eq!(next_step(Refused, 0, at, c), NextStep::Reject(REFUSED));
        assert_eq!(
            next_step(NeedsCorrection, 1, at, c),
            NextStep::Reject(NEEDS_CORRECTION)
        );
        // First unanswered: an hour later.
        assert_eq!(
            next_step(NoAnswer, 0, at, c),
            NextStep::Retry(ts("2026-11-23T11:00:00+08:00"))
        );
        // Second unanswered: reject as unreachable.
        assert_eq!(next_step(NoAnswer, 1, at, c), NextStep::Reject(UNREACHABLE));
        // An hour after 11:30 is lunch: the retry moves to 13:30.
        let late = ts("2026-11-23T11:30:00+08:00").as_millisecond();
        assert_eq!(
            next_step(NoAnswer, 0, late, c),
            NextStep::Retry(ts("2026-11-23T13:30:00+08:00"))
        );
        // An hour after 17:20 on a Friday is after hours: Monday 09:00.
        let friday = ts("2026-11-27T17:20:00+08:00").as_millisecond();
        assert_eq!(
            next_step(NoAnswer, 0, friday, c),
            NextStep::Retry(ts("2026-11-30T09:00:00+08:00"))
        );
        assert!(!reason_text(UNREACHABLE, true).is_empty());
        assert!(!reason_text(UNREACHABLE, false).is_empty());
    }

    #[test]
    fn due_now_and_overdue() {
        let at = 1_000_000_000;
        let m = 60_000;
        assert_eq!(call_due(at, false, at - 16 * m), CallDue::Later);
        assert_eq!(call_due(at, false, at - 15 * m), CallDue::DueNow);
        assert_eq!(call_due(at, false, at + 30 * m), CallDue::DueNow);
        assert_eq!(call_due(at, false, at + 31 * m), CallDue::Overdue);
        assert_eq!(call_due(at, true, at + 31 * m), CallDue::Done);
    }

    #[test]
    fn messages_in_both_languages() {
        let h = CallError::Holiday {
            zh: "春节".into(),
            en: "Spring Festival".into(),
        };
        assert_eq!(h.message(false), "该日为法定节假日（春节）");
        assert_eq!(
            h.to_string(),
            "that day is a public holiday (Spring Festival)"
        );
    }
}
