//! What the unit and snapshot tests share: an in-memory AWS account behind the seam
//! ([`fake`]) and one sample deployment set up in it ([`fixtures`]); and a test of the
//! code's layout (no import circles).

pub mod fake;
pub mod fixtures;
mod layout;
