//! Hostname resolution for database targets (RDS and Aurora endpoints).
//!
//! The resolver can be pointed at a specific DNS server (`--dns-server`), which users
//! need when their database names live in a private hosted zone reachable only through
//! a VPN resolver, and which the tests use to control answers.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ProtocolConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;

#[allow(async_fn_in_trait)] // used only generically inside this binary
pub trait Resolve {
    /// The IPv4 addresses `host` resolves to now, or why it does not resolve.
    async fn ipv4(&self, host: &str) -> Result<Vec<Ipv4Addr>, String>;
}

pub struct DnsResolver {
    inner: TokioResolver,
}

impl DnsResolver {
    /// The system's resolver, or the one DNS server given.
    pub fn new(server: Option<SocketAddr>) -> Result<Self, String> {
        let builder = match server {
            Some(addr) => {
                let mut udp = ConnectionConfig::new(ProtocolConfig::Udp);
                udp.port = addr.port();
                let mut tcp = ConnectionConfig::new(ProtocolConfig::Tcp);
                tcp.port = addr.port();
                let mut config = ResolverConfig::default();
                config.add_name_server(NameServerConfig::new(addr.ip(), true, vec![udp, tcp]));
                TokioResolver::builder_with_config(config, TokioRuntimeProvider::default())
            }
            None => TokioResolver::builder_tokio()
                .map_err(|e| format!("cannot read the system's DNS configuration: {e}"))?,
        };
        let inner = builder.build().map_err(|e| format!("cannot set up DNS resolution: {e}"))?;
        Ok(DnsResolver { inner })
    }
}

impl Resolve for DnsResolver {
    async fn ipv4(&self, host: &str) -> Result<Vec<Ipv4Addr>, String> {
        let lookup = self.inner.lookup_ip(host).await.map_err(|e| e.to_string())?;
        let mut addresses: Vec<Ipv4Addr> = lookup
            .iter()
            .filter_map(|ip| match ip {
                IpAddr::V4(v4) => Some(v4),
                IpAddr::V6(_) => None,
            })
            .collect();
        addresses.sort();
        addresses.dedup();
        if addresses.is_empty() { Err("no IPv4 address (A record)".into()) } else { Ok(addresses) }
    }
}
