//! The order model of `spec/order-format.md` (wire format `icp-order/1`).
//!
//! Parsing goes through [`parse_order`], which reports the JSON path of the first
//! problem (`sites[0].leader.mobile: invalid type: …`). Unknown fields are ignored
//! here; the store keeps the original JSON text so nothing is lost.

pub mod calendar;
pub mod calls;
pub mod diff;
mod labels;
mod order;
mod parse;
pub mod person;
pub mod safe;

pub use order::*;
pub use parse::{ParseError, limits, parse_order, parse_order_value, parse_strict};
