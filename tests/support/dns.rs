//! A DNS server on loopback whose A records a test sets, so hostname targets do not
//! depend on the machine's DNS.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::{Arc, Mutex};

use hickory_proto::op::{Message, OpCode, ResponseCode};
use hickory_proto::rr::rdata::A;
use hickory_proto::rr::{RData, Record, RecordType};

pub struct DnsServer {
    pub address: SocketAddr,
    records: Arc<Mutex<BTreeMap<String, Vec<Ipv4Addr>>>>,
}

impl DnsServer {
    pub fn start() -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind the test DNS server");
        let address = socket.local_addr().unwrap();
        let records: Arc<Mutex<BTreeMap<String, Vec<Ipv4Addr>>>> = Arc::default();
        let served = records.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 1500];
            while let Ok((len, peer)) = socket.recv_from(&mut buf) {
                let Ok(query) = Message::from_vec(&buf[..len]) else { continue };
                let answer = respond(&query, &served.lock().unwrap());
                let _ = socket.send_to(&answer.to_vec().unwrap(), peer);
            }
        });
        DnsServer { address, records }
    }

    /// Answers `host` with these addresses from now on (none: NXDOMAIN).
    pub fn set(&self, host: &str, addresses: &[&str]) {
        let parsed = addresses.iter().map(|a| a.parse().expect("an IPv4 address")).collect();
        self.records.lock().unwrap().insert(host.trim_end_matches('.').to_ascii_lowercase(), parsed);
    }
}

fn respond(query: &Message, records: &BTreeMap<String, Vec<Ipv4Addr>>) -> Message {
    let mut response = Message::response(query.metadata.id, OpCode::Query);
    response.metadata.recursion_desired = query.metadata.recursion_desired;
    response.metadata.recursion_available = true;
    let mut known = false;
    for q in &query.queries {
        response.add_query(q.clone());
        let host = q.name().to_ascii().trim_end_matches('.').to_ascii_lowercase();
        if let Some(addresses) = records.get(&host).filter(|a| !a.is_empty()) {
            known = true;
            if q.query_type() == RecordType::A {
                for ip in addresses {
                    response.add_answer(Record::from_rdata(q.name().clone(), 30, RData::A(A(*ip))));
                }
            }
        }
    }
    if !known {
        response.metadata.response_code = ResponseCode::NXDomain;
    }
    response
}
