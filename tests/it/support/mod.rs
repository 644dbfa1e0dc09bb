//! Test support: the emulator (moto with the fidelity layer, seeded), the binary under
//! test pointed at it, an independent SDK client to check what AWS holds, and the
//! emulator's DNS server, whose answers a test controls.

pub mod pty;
pub mod state;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command as StdCommand, Stdio};

use assert_cmd::Command;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::Credentials;
use serde::Deserialize;

/// The access key the binary under test signs with; the checker uses another, so the
/// request log tells the tool's calls apart.
pub const TOOL_ACCESS_KEY: &str = "AKIAPLINKTOOL";
const CHECKER_ACCESS_KEY: &str = "AKIAPLINKCHECKER";

/// The sample network `tests/emulator/seed.py` creates in a region.
#[derive(Debug, Clone, Deserialize)]
pub struct Seed {
    pub vpc_id: String,
    pub vpc_cidr: String,
    pub private_subnets: Vec<String>,
    pub private_subnet_cidrs: Vec<String>,
    pub private_subnet_same_az: String,
    pub public_subnet: String,
    pub public_route_table: String,
    pub internet_gateway: String,
    pub db_security_group: String,
    pub db_instance_id: String,
    pub rds_endpoint: String,
    pub rds_port: u16,
    pub rds_address: String,
    /// `sample-aurora`, Aurora MySQL on the engine's default DB cluster parameter group
    /// (`default.aurora-mysql8.0`), with a writer on the default DB parameter group.
    pub aurora_endpoint: String,
    pub aurora_port: u16,
    pub aurora_address: String,
    pub aurora_cluster_parameter_group: String,
    pub aurora_parameter_group: String,
    /// `sample-aurora-tuned`: max_connect_errors raised in its DB cluster parameter group
    /// and in its writer's DB parameter group (both `sample-aurora-tuned`).
    pub aurora_tuned_endpoint: String,
    pub aurora_tuned_address: String,
    pub aurora_tuned_cluster_parameter_group: String,
    pub aurora_tuned_parameter_group: String,
    /// `sample-mysql`, RDS MySQL on the engine's default DB parameter group
    /// (`default.mysql8.0`), in DB subnet group `sample-three-zones`.
    pub mysql_endpoint: String,
    pub mysql_port: u16,
    pub mysql_address: String,
    pub mysql_parameter_group: String,
    /// `sample-mysql-tuned`: DB parameter group `sample-mysql-tuned`, max_connect_errors
    /// raised to 1000000.
    pub mysql_tuned_endpoint: String,
    pub mysql_tuned_address: String,
    pub mysql_tuned_parameter_group: String,
    /// `sample-private-acl`, the private subnets' network ACL: TCP within the VPC only.
    pub private_network_acl: String,
    pub other_vpc_id: String,
    pub other_vpc_subnet: String,
}

#[derive(Debug, Deserialize)]
struct Ready {
    endpoint: String,
    proxy: String,
    dns: String,
    seed: BTreeMap<String, Seed>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Request {
    pub service: String,
    pub action: String,
    pub access_key: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FaultStats {
    pub mutations: u64,
    pub injected: BTreeMap<String, u64>,
    pub cut: bool,
    /// When each mutating call reached the proxy, in seconds since the Unix epoch.
    pub mutation_times: Vec<f64>,
}

/// One emulator process per test: every test starts from the same seeded account.
pub struct Emulator {
    pub endpoint: String,
    /// The fault-injecting proxy in front of the emulator (`tests/emulator/fault_proxy.py`).
    pub proxy: String,
    /// `IP:PORT` of the emulator's DNS server, for `--dns-server`.
    pub dns: String,
    seeds: BTreeMap<String, Seed>,
    child: Child,
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python with the pinned emulator installed (`scripts/test` makes it).
pub fn emulator_python() -> PathBuf {
    let python = std::env::var_os("PLINK_EMULATOR_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join(".venv/bin/python"));
    assert!(
        python.exists(),
        "the emulator's Python is missing at {}; run ./scripts/test, which installs it",
        python.display()
    );
    python
}

/// A command-line tool installed with the emulator (cfn-lint, say), next to its Python.
pub fn emulator_tool(name: &str) -> PathBuf {
    emulator_python().parent().expect("the Python is in a bin directory").join(name)
}

impl Emulator {
    /// Starts the emulator with the sample network seeded in `regions`.
    pub fn start(regions: &[&str]) -> Self {
        let mut child = StdCommand::new(emulator_python())
            .arg(manifest_dir().join("tests/emulator/plink_emulator.py"))
            .args(["--port", "0", "--seed", &regions.join(",")])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the emulator");
        let stdout = child.stdout.take().expect("emulator stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read the emulator's READY line");
        let ready: Ready = match line.strip_prefix("READY ") {
            Some(json) => serde_json::from_str(json).expect("parse the READY line"),
            None => {
                let _ = child.kill();
                panic!("the emulator did not start: {line:?}");
            }
        };
        Emulator { endpoint: ready.endpoint, proxy: ready.proxy, dns: ready.dns, seeds: ready.seed, child }
    }

    pub fn seed(&self, region: &str) -> &Seed {
        &self.seeds[region]
    }

    /// The binary under test, signed as the tool's identity, pointed at the emulator,
    /// with no terminal, profile or ambient AWS settings.
    pub fn plink(&self) -> Command {
        Command::from_std(self.plink_process())
    }

    /// The same, as a process to spawn and interact with while it runs.
    pub fn plink_process(&self) -> StdCommand {
        let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_airbyte-plink"));
        for var in [
            "AWS_PROFILE",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_SESSION_TOKEN",
            "AIRBYTE_PLINK_DNS_SERVER",
            "NO_COLOR",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ACCESS_KEY_ID", TOOL_ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", "tool-secret")
            .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("CI", "true");
        cmd
    }

    /// An SDK configuration for checking state independently of the tool.
    pub async fn sdk(&self, region: &str) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .endpoint_url(&self.endpoint)
            .credentials_provider(Credentials::new(CHECKER_ACCESS_KEY, "checker-secret", None, None, "tests"))
            .load()
            .await
    }

    pub fn requests(&self) -> Vec<Request> {
        let body = http("GET", &self.endpoint, "/_plink/requests", "");
        serde_json::from_str(&body).expect("the request log is JSON")
    }

    pub fn clear_requests(&self) {
        http("DELETE", &self.endpoint, "/_plink/requests", "");
    }

    /// The mutating API calls the tool made since the log was last cleared.
    pub fn tool_mutations(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| r.access_key == TOOL_ACCESS_KEY && is_mutating(&r.action))
            .map(|r| r.action)
            .collect()
    }

    /// Makes AWS deny these actions to every caller, as IAM would.
    pub fn deny(&self, actions: &[&str]) {
        http("POST", &self.endpoint, "/_plink/deny", &serde_json::to_string(actions).unwrap());
    }

    /// Makes the emulator's DNS answer `host` with these addresses (none: NXDOMAIN).
    pub fn set_dns(&self, host: &str, addresses: &[&str]) {
        http("POST", &self.endpoint, "/_plink/dns", &serde_json::json!({ host: addresses }).to_string());
    }

    /// Runs Lambda function `name` (in the first seeded region) on `event` as Lambda does:
    /// `{"ok", "result" or "error", "calls": [{"service", "action"}], "logs": [...]}`.
    pub fn invoke_function(&self, name: &str, event: serde_json::Value) -> serde_json::Value {
        self.control("/_plink/lambda/invoke", serde_json::json!({ "function": name, "event": event }))
    }

    /// Delivers `event` on the default bus as EventBridge does, to the Lambda targets of
    /// the rules it matches: `{"invocations": [{"rule", "function", "invoked", ...}]}`.
    pub fn put_event(&self, event: serde_json::Value) -> serde_json::Value {
        self.control("/_plink/events/put", serde_json::json!({ "event": event }))
    }

    /// Runs scheduled rule `rule` as its schedule does: `{"invocations": [...]}`.
    pub fn fire_schedule(&self, rule: &str) -> serde_json::Value {
        self.control("/_plink/events/schedule", serde_json::json!({ "rule": rule }))
    }

    /// Fails Aurora cluster or Multi-AZ instance `database` over to another zone, as RDS
    /// does, and delivers RDS's failover events: `{"old_address", "new_address", "events",
    /// "invocations"}`.
    pub fn failover(&self, database: &str) -> serde_json::Value {
        self.control("/_plink/rds/failover", serde_json::json!({ "database": database }))
    }

    fn control(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let answer = http("POST", &self.endpoint, path, &body.to_string());
        serde_json::from_str(&answer).unwrap_or_else(|e| panic!("{path} answers JSON ({e}): {answer}"))
    }

    /// Makes DescribeTargetHealth report `state` for this target.
    pub fn set_target_health(&self, target_group_arn: &str, target_id: &str, state: &str) {
        self.set_target_health_for(target_group_arn, target_id, state, None);
    }

    /// The same, with the reason code AWS gives for the state.
    pub fn set_target_health_for(&self, target_group_arn: &str, target_id: &str, state: &str, reason: Option<&str>) {
        let body = serde_json::json!({
            "target_group_arn": target_group_arn, "target_id": target_id, "state": state, "reason": reason
        });
        http("POST", &self.endpoint, "/_plink/target-health", &body.to_string());
    }

    /// Keeps each new load balancer `provisioning` for this long, as AWS does for minutes.
    pub fn set_provisioning(&self, seconds: f64) {
        http("POST", &self.endpoint, "/_plink/provisioning", &serde_json::json!({ "seconds": seconds }).to_string());
    }

    /// Keeps each new or modified endpoint service `Pending` for `seconds`, and a new one
    /// unknown to calls naming its ID for `unlisted` seconds, as AWS does.
    pub fn set_service_pending(&self, seconds: f64, unlisted: f64) {
        let body = serde_json::json!({ "seconds": seconds, "unlisted": unlisted });
        http("POST", &self.endpoint, "/_plink/service-pending", &body.to_string());
    }

    /// How supported regions of endpoint services behave: an added one stays `Pending`
    /// for `pending` seconds, then is `Available`, or `Failed` if it is in `failing`; a
    /// removed one stays `Deleting` for `deleting` seconds, then is `Deleted`. Regions in
    /// `refused` are refused as cross-Region, as AWS refuses those it does not offer.
    pub fn set_supported_regions(&self, pending: f64, deleting: f64, failing: &[&str], refused: &[&str]) {
        let body =
            serde_json::json!({ "pending": pending, "deleting": deleting, "failing": failing, "refused": refused });
        http("POST", &self.endpoint, "/_plink/supported-regions", &body.to_string());
    }

    /// Makes removing a subnet from a network load balancer take `seconds`, the subnet
    /// listed (and its zone taken) until then.
    pub fn set_subnet_removal(&self, seconds: f64) {
        http("POST", &self.endpoint, "/_plink/subnet-removal", &serde_json::json!({ "seconds": seconds }).to_string());
    }

    /// A private /28 subnet in `beside`'s AZ with 7 free addresses: 16, less AWS's 5, less
    /// 4 network interfaces; a load balancer needs 8.
    pub async fn crowded_subnet(&self, region: &str, vpc: &str, beside: &str) -> String {
        let ec2 = aws_sdk_ec2::Client::new(&self.sdk(region).await);
        let found = ec2.describe_subnets().subnet_ids(beside).send().await.unwrap();
        let zone = found.subnets()[0].availability_zone().unwrap().to_string();
        let made = ec2.create_subnet().vpc_id(vpc).cidr_block("10.0.9.0/28").availability_zone(zone).send().await;
        let id = made.unwrap().subnet().unwrap().subnet_id().unwrap().to_string();
        for _ in 0..4 {
            ec2.create_network_interface().subnet_id(&id).send().await.unwrap();
        }
        let subnets = ec2.describe_subnets().subnet_ids(&id).send().await.unwrap();
        assert_eq!(subnets.subnets()[0].available_ip_address_count(), Some(7));
        id
    }

    /// Makes a subnet added to a network load balancer take `seconds` to be ready for its
    /// endpoint service, as AWS takes "a few minutes".
    pub fn set_zone_ready(&self, seconds: f64) {
        http("POST", &self.endpoint, "/_plink/zone-ready", &serde_json::json!({ "seconds": seconds }).to_string());
    }

    /// Switches AWS's request rate limits on or off (token buckets per action, as AWS
    /// documents them for EC2 and ELB).
    pub fn set_throttling(&self, on: bool) {
        http("POST", &self.endpoint, "/_plink/throttling", &serde_json::json!({ "on": on }).to_string());
    }

    /// How many requests the rate limits have refused since they were switched on.
    pub fn throttled(&self) -> u64 {
        let body = http("GET", &self.endpoint, "/_plink/throttling", "");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["refused"].as_u64().unwrap()
    }

    /// Keeps an accepted connection `pending` (AWS setting it up) for `seconds` before it
    /// is `available`.
    pub fn set_accept_pending(&self, seconds: f64) {
        http("POST", &self.endpoint, "/_plink/accepting", &serde_json::json!({ "seconds": seconds }).to_string());
    }

    /// With `false`, parameter groups list a parameter left at its engine default without
    /// a value, as AWS may (fidelity.rds_parameter_listing).
    pub fn set_parameter_default_values(&self, values: bool) {
        http(
            "POST",
            &self.endpoint,
            "/_plink/parameter-defaults",
            &serde_json::json!({ "values": values }).to_string(),
        );
    }

    /// Keeps the security groups of a deleted load balancer in use (by its network
    /// interfaces) for `seconds`, as AWS does for a while.
    pub fn set_group_release(&self, seconds: f64) {
        http("POST", &self.endpoint, "/_plink/group-release", &serde_json::json!({ "seconds": seconds }).to_string());
    }

    /// Makes a new IAM role unusable by Lambda for `seconds`, as IAM's eventual
    /// consistency does (fidelity.lambda_execution_role).
    pub fn set_role_propagation(&self, seconds: f64) {
        self.control("/_plink/role-propagation", serde_json::json!({ "seconds": seconds }));
    }

    /// Keeps a new Lambda function `Pending`, and an update `InProgress`, for `seconds`
    /// (fidelity.lambda_function_states).
    pub fn set_function_pending(&self, seconds: f64) {
        self.control("/_plink/function-pending", serde_json::json!({ "seconds": seconds }));
    }

    /// An EC2 client acting as another AWS account (Airbyte's, or a stranger's), through
    /// `sts:AssumeRole` as a consumer would.
    pub async fn ec2_as(&self, account: &str, region: &str) -> aws_sdk_ec2::Client {
        let sts = aws_sdk_sts::Client::new(&self.sdk(region).await);
        let role = sts
            .assume_role()
            .role_arn(format!("arn:aws:iam::{account}:role/privatelink"))
            .role_session_name("tests")
            .send()
            .await
            .expect("assume a role in the other account");
        let c = role.credentials().expect("credentials");
        let credentials = Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            None,
            "tests",
        );
        let config = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .endpoint_url(&self.endpoint)
            .credentials_provider(credentials)
            .load()
            .await;
        aws_sdk_ec2::Client::new(&config)
    }

    /// An interface endpoint to `service_name`, created from `account`'s own VPC in
    /// us-east-1, as Airbyte (or a stranger) would.
    pub async fn interface_endpoint(&self, account: &str, service_name: &str) -> String {
        let ec2 = self.ec2_as(account, "us-east-1").await;
        let vpc = ec2.create_vpc().cidr_block("10.50.0.0/16").send().await.unwrap();
        let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
        let subnet = ec2.create_subnet().vpc_id(&vpc).cidr_block("10.50.1.0/24").send().await.unwrap();
        let subnet = subnet.subnet().unwrap().subnet_id().unwrap().to_string();
        let endpoint = ec2
            .create_vpc_endpoint()
            .vpc_id(&vpc)
            .service_name(service_name)
            .vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Interface)
            .subnet_ids(subnet)
            .send()
            .await
            .expect("create the interface endpoint");
        endpoint.vpc_endpoint().unwrap().vpc_endpoint_id().unwrap().to_string()
    }

    /// The state of `account`'s interface endpoint, as its owner sees it.
    pub async fn endpoint_state(&self, account: &str, endpoint_id: &str) -> String {
        let ec2 = self.ec2_as(account, "us-east-1").await;
        let out = ec2.describe_vpc_endpoints().vpc_endpoint_ids(endpoint_id).send().await.unwrap();
        out.vpc_endpoints()[0].state().unwrap().as_str().to_string()
    }

    /// Makes AWS answer `action` with the error `code` (a quota, say) until
    /// [`Emulator::allow_all`].
    pub fn fail(&self, action: &str, code: &str, message: &str) {
        let body = serde_json::json!({ action: { "code": code, "message": message } });
        http("POST", &self.endpoint, "/_plink/fail", &body.to_string());
    }

    /// The binary under test, reaching the emulator through the fault proxy.
    pub fn plink_through_proxy(&self) -> Command {
        let mut cmd = self.plink();
        cmd.env("AWS_ENDPOINT_URL", &self.proxy);
        cmd
    }

    /// Configures the proxy's faults (see `fault_proxy.py` for the keys).
    pub fn faults(&self, config: serde_json::Value) {
        http("POST", &self.proxy, "/_proxy/faults", &config.to_string());
    }

    /// What the proxy did since it was last configured.
    pub fn fault_stats(&self) -> FaultStats {
        serde_json::from_str(&http("GET", &self.proxy, "/_proxy/faults", "")).expect("the proxy's stats are JSON")
    }

    /// Makes every action succeed again (undoes `deny` and `fail`).
    pub fn allow_all(&self) {
        http("DELETE", &self.endpoint, "/_plink/deny", "");
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn is_mutating(action: &str) -> bool {
    !["Describe", "Get", "List"].iter().any(|read| action.starts_with(read))
}

/// A minimal HTTP/1.1 client for the emulator's control endpoints.
fn http(method: &str, endpoint: &str, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let address = endpoint.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connect to the emulator");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send to the emulator");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read from the emulator");
    let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
    assert!(head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"), "{method} {path}: {head}");
    body.to_string()
}

/// The arguments of a complete `setup` for the seeded network in `region`: the sample
/// database instance behind the first two private subnets, for Airbyte's US region.
pub fn setup_args(seed: &Seed, region: &str, name: &str) -> Vec<String> {
    [
        "setup",
        "--no-input",
        "--region",
        region,
        "--name",
        name,
        "--airbyte-region",
        "us",
        "--airbyte-account-id",
        AIRBYTE_ACCOUNT,
        "--target",
        &seed.db_instance_id,
        "--port",
        "5432",
        "--vpc-id",
        &seed.vpc_id,
        "--subnets",
        &format!("{},{}", seed.private_subnets[0], seed.private_subnets[1]),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// `setup_args`, also opening the database's security group to the load balancer.
pub fn setup_args_opening_group(seed: &Seed, region: &str, name: &str) -> Vec<String> {
    let mut args = setup_args(seed, region, name);
    args.extend(["--db-security-group".to_string(), seed.db_security_group.clone()]);
    args
}

/// `args` with the value after `flag` replaced (a flag given twice would add to a list
/// or be refused).
pub fn replace(mut args: Vec<String>, flag: &str, value: &str) -> Vec<String> {
    let at = args.iter().position(|a| a == flag).unwrap_or_else(|| panic!("{flag} is in the arguments"));
    args[at + 1] = value.to_string();
    args
}

/// The account ID the tests give as Airbyte's.
pub const AIRBYTE_ACCOUNT: &str = "111122223333";

/// The output of a run that must have succeeded.
pub fn ok(output: std::process::Output) -> std::process::Output {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

pub fn stdout_json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}
