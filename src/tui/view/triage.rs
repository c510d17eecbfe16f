//! The leads' triage: orders that came back rejected, by us or by the bureau.

use crate::domain::Status;

pub const STATUSES: [Status; 2] = [Status::Rejected, Status::BureauRejected];
