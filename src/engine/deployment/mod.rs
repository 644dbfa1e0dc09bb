//! A deployment: what it should be ([`desired`], from the spec and what preflight
//! found), what exists of it ([`observe`], the one read model), what setup records on
//! its resources and how they are owned ([`tags`]), and what Airbyte is told
//! ([`handover`]).

pub mod desired;
pub mod follower;
pub mod handover;
pub mod observe;
pub mod observe_follower;
pub mod tags;
