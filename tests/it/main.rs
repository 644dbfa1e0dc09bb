//! The integration tests, in one binary so that the AWS SDK and the shared support are
//! compiled and linked once. Each module is one area of the tool; each test runs the
//! real `airbyte-plink` binary, almost always against an emulator of its own (moto with
//! the fidelity layer in `tests/emulator/`, seeded with a sample network), and checks
//! what AWS holds afterwards with the SDK, not with the tool's own output.
//!
//! `cargo test --test it setup::` runs one area; `./scripts/test --fast` runs none of
//! these, only the unit and snapshot tests inside the binary's crate.

mod support;

mod as_on_aws;
mod bench;
mod catalogue;
mod databases;
mod export;
mod faults;
mod fidelity;
mod follower;
mod iam;
mod lifecycle;
mod listeners;
mod reference;
mod regions;
mod saved_plans;
mod secrets;
mod setup;
mod several_databases;
mod signals;
mod teardown;
mod wizard;
