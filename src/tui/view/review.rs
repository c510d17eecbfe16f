//! The review queue: orders waiting for a first review, oldest (closest to its deadline)
//! first.

use crate::domain::Status;

pub const STATUSES: [Status; 3] = [Status::Pending, Status::Resubmitted, Status::AwaitingCall];
