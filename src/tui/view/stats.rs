//! The stats screen: the leads' report over the last days, computed by
//! [`crate::report::compute`] when its input arrives.

use crate::report::Report;

/// Days the stats screen reports on (today included).
pub const STATS_DAYS: i64 = 30;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsState {
    pub(in crate::tui) req: u64,
    pub(in crate::tui) report: Option<Report>,
}

impl StatsState {
    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }
}
