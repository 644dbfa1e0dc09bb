//! What the tool knows about networks and databases, as rules over what AWS reports:
//! addresses and routes, how network ACLs decide a flow, where targets are and how each
//! is registered, and what on a database's side breaks a link (MySQL's connection-error
//! limit, failover zones, TLS hostnames). Nothing here reads AWS but for the few reads a
//! rule needs (a database's parameters); the checks build on it.

pub mod addresses;
pub mod database;
pub mod network_acls;
pub mod targets;
