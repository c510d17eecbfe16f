//! The call agenda: calls grouped by Shanghai day, due-now and overdue, and the iCalendar
//! export parsed back by the `icalendar` crate's own parser, field by field.

use icalendar::{Calendar, CalendarComponent, Component, EventLike};
use icp_review::agenda::{by_day, due, to_ics};
use icp_review::domain::CallOutcome;
use icp_review::domain::calls::CallDue;
use icp_review::queue::CallEntry;

fn ms(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().expect("time").as_millisecond()
}

fn call(order: &str, at: &str, phone: &str, reviewer: &str) -> CallEntry {
    CallEntry {
        order: order.into(),
        at: at.into(),
        at_ms: ms(at),
        who: "subject_leader".into(),
        phone: phone.into(),
        reviewer: reviewer.into(),
        outcome: None,
    }
}

fn calls() -> Vec<CallEntry> {
    let mut done = call("EX-3", "2026-11-24T09:00:00+08:00", "13900000003", "bob");
    done.outcome = Some(CallOutcome::Verified);
    vec![
        call("EX-2", "2026-11-23T14:00:00+08:00", "13900000002", "alice"),
        done,
        // 07:30 in Shanghai on the 24th is still the 23rd in UTC: grouped by Shanghai day.
        call("EX-4", "2026-11-23T23:30:00Z", "13900000004", "alice"),
        call("EX-1", "2026-11-23T10:00:00+08:00", "13900000001", "alice"),
    ]
}

#[test]
fn grouped_by_shanghai_day_in_time_order() {
    let days = by_day(&calls());
    let got: Vec<(String, Vec<&str>)> = days
        .iter()
        .map(|d| {
            (
                d.day.to_string(),
                d.calls.iter().map(|c| c.order.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("2026-11-23".to_string(), vec!["EX-1", "EX-2"]),
            ("2026-11-24".to_string(), vec!["EX-4", "EX-3"]),
        ]
    );
}

#[test]
fn due_now_and_overdue_at_ten_past_two() {
    let now = ms("2026-11-23T14:10:00+08:00");
    let c = calls();
    assert_eq!(due(&c[3], now), CallDue::Overdue, "10:00 with no outcome");
    assert_eq!(due(&c[0], now), CallDue::DueNow, "14:00");
    assert_eq!(due(&c[1], now), CallDue::Done);
    assert_eq!(due(&c[2], now), CallDue::Later);
}

#[test]
fn ics_parses_back_field_by_field() {
    let stamp = ms("2026-11-23T08:00:00+08:00");
    let text = to_ics(&calls(), stamp);
    assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
    let cal: Calendar = text.parse().expect("the icalendar parser reads it");
    let events: Vec<&icalendar::Event> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 4, "one event per call");
    for (e, c) in events.iter().zip(calls()) {
        assert_eq!(
            e.get_uid(),
            Some(format!("call-{}-{}@icp-review", c.order, c.at_ms).as_str())
        );
        let summary = e.get_summary().expect("summary");
        assert!(
            summary.contains(&c.order) && summary.contains(&c.phone),
            "{summary}"
        );
        let desc = e.get_description().expect("description");
        assert!(desc.contains(&format!("order: {}", c.order)), "{desc}");
        assert!(desc.contains(&format!("phone: {}", c.phone)), "{desc}");
        assert_eq!(e.get_location(), Some(format!("tel:{}", c.phone).as_str()));
        // Start and end, in UTC, fifteen minutes apart.
        let start = match e.get_start().expect("DTSTART") {
            icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t)) => {
                t.timestamp_millis()
            }
            other => panic!("start is not a UTC time: {other:?}"),
        };
        assert_eq!(start, c.at_ms);
        let end = match e.get_end().expect("DTEND") {
            icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t)) => {
                t.timestamp_millis()
            }
            other => panic!("end is not a UTC time: {other:?}"),
        };
        assert_eq!(end - start, 15 * 60_000);
        assert_eq!(e.get_timestamp().map(|t| t.timestamp_millis()), Some(stamp));
        // The reviewer is the organiser, by name.
        let org = e.properties().get("ORGANIZER").expect("organiser");
        assert_eq!(
            org.value(),
            format!("urn:x-icp-review:reviewer:{}", c.reviewer)
        );
        assert_eq!(
            org.params().get("CN").map(|p| p.value()),
            Some(c.reviewer.as_str())
        );
        assert_eq!(
            e.property_value("X-ICP-OUTCOME"),
            c.outcome.map(|o| o.as_str())
        );
    }
}

#[test]
fn ics_escapes_text_that_would_break_a_line() {
    let mut c = call("EX-9", "2026-11-23T10:00:00+08:00", "139; x", "li,wei");
    c.who = "site_leader:0\nINJECTED:1".into();
    let text = to_ics(&[c], 0);
    assert!(!text.contains("\nINJECTED:1"), "{text}");
    let cal: Calendar = text.parse().expect("parses");
    let e = cal.events().next().expect("event");
    assert!(e.get_description().expect("desc").contains("INJECTED:1"));
    assert!(e.properties().get("INJECTED").is_none());
}
