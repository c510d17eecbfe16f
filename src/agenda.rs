//! The call agenda: scheduled verification calls by day (Asia/Shanghai), and the same
//! calls as an iCalendar file that calendar apps open (one event per call, the order id
//! and phone in it, the reviewer as organiser). Used by `icp-review calls` and the TUI.

use crate::domain::calls::{CallDue, call_due};
use crate::queue::CallEntry;
use crate::queue::time::shanghai;
use icalendar::{Calendar, Component, EventLike, Property};
use jiff::civil::Date;

/// How long a call is booked for in a calendar.
pub const CALL_MINUTES: i64 = 15;

/// Calls of one day, in time order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaDay {
    pub day: Date,
    pub calls: Vec<CallEntry>,
}

/// The calls grouped by their Shanghai day, days and calls in time order.
pub fn by_day(calls: &[CallEntry]) -> Vec<AgendaDay> {
    let mut sorted: Vec<&CallEntry> = calls.iter().collect();
    sorted.sort_by(|a, b| a.at_ms.cmp(&b.at_ms).then(a.order.cmp(&b.order)));
    let mut out: Vec<AgendaDay> = Vec::new();
    for c in sorted {
        let Ok(t) = jiff::Timestamp::from_millisecond(c.at_ms) else {
            continue;
        };
        let day = t.to_zoned(shanghai()).date();
        match out.last_mut() {
            Some(d) if d.day == day => d.calls.push(c.clone()),
            _ => out.push(AgendaDay {
                day,
                calls: vec![c.clone()],
            }),
        }
    }
    out
}

/// Where a call of the agenda stands now.
pub fn due(c: &CallEntry, now_ms: i64) -> CallDue {
    call_due(c.at_ms, c.outcome.is_some(), now_ms)
}

/// `20261123T020000Z`.
fn ics_utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

/// The calls as an iCalendar document (VCALENDAR with one VEVENT per call).
pub fn to_ics(calls: &[CallEntry], stamp_ms: i64) -> String {
    let mut cal = Calendar::new();
    cal.name("ICP verification calls");
    for c in calls {
        let mut e = icalendar::Event::new();
        e.uid(&format!("call-{}-{}@icp-review", c.order, c.at_ms))
            .summary(&format!("ICP verification call {} {}", c.order, c.phone))
            .description(&format!(
                "order: {}\nphone: {}\nwho: {}\nreviewer: {}",
                c.order, c.phone, c.who, c.reviewer
            ))
            .add_property("DTSTAMP", ics_utc(stamp_ms))
            .add_property("DTSTART", ics_utc(c.at_ms))
            .add_property("DTEND", ics_utc(c.at_ms + CALL_MINUTES * 60_000))
            .location(&format!("tel:{}", c.phone))
            .append_property(
                Property::new(
                    "ORGANIZER",
                    format!("urn:x-icp-review:reviewer:{}", c.reviewer),
                )
                .add_parameter("CN", &c.reviewer)
                .done(),
            );
        if let Some(o) = c.outcome {
            e.add_property("X-ICP-OUTCOME", o.as_str());
        }
        cal.push(e.done());
    }
    cal.done().to_string()
}
