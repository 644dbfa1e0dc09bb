//! The command line: every flag defined once, turned into the engine's inputs by the
//! commands.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::spec::{PortValue, SpecDraft};

#[derive(Debug, Parser)]
#[command(
    name = "airbyte-plink",
    version,
    about = "Set up AWS PrivateLink from Airbyte Cloud to a database in your AWS account",
    long_about = "Builds an internal Network Load Balancer in front of your database, a VPC endpoint service on it, \
                  and grants Airbyte's AWS account access: planned before anything changes, safe to re-run."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// AWS profile to use (as for the AWS CLI)
    #[arg(long, global = true, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// AWS region of the database and the endpoint service (else the config file's, else
    /// AWS_REGION or the profile's, as for the AWS CLI)
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Send AWS API calls to this URL instead of AWS (e.g. a local emulator)
    #[arg(long, global = true, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Output format of results on stdout
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Human)]
    pub output: OutputFormat,
    /// Never prompt; fail instead when something is missing
    #[arg(long, global = true)]
    pub no_input: bool,
    /// Apply (or tear down) without asking for confirmation
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    /// More detail on stderr (-v: the tool's steps, -vv: every AWS request)
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system's
    #[arg(long, global = true, env = "AIRBYTE_PLINK_DNS_SERVER", value_name = "ADDR", value_parser = parse_dns_server)]
    pub dns_server: Option<SocketAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    /// JUnit XML, for CI test reports (`verify` only)
    Junit,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or update the PrivateLink stack for a database and print the service name for Airbyte
    Setup(SetupArgs),
    /// Show what setup would change, without changing anything; --out saves it for `setup --plan`
    Plan(PlanArgs),
    /// Accept Airbyte's pending connection to the endpoint service
    Accept(AcceptArgs),
    /// Show deployments with their resources, connections and target health
    Status(StatusArgs),
    /// Check a deployment end to end, read-only; exit 3 when a check fails
    Verify(VerifyArgs),
    /// Re-resolve hostname targets and register the database's current addresses
    SyncTargets(SyncTargetsArgs),
    /// Remove a deployment: reject connections, delete the service, listener, load balancer, target group and rules
    Teardown(TeardownArgs),
    /// Print the least-privilege IAM policy (JSON) for the commands you will run
    IamPolicy(IamPolicyArgs),
    /// Print a deployment as infrastructure-as-code, instead of creating it
    #[command(subcommand)]
    Export(ExportFormat),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish
    #[command(long_about = "Print the shell completion script. For bash: \
                            `airbyte-plink completions bash > ~/.local/share/bash-completion/completions/airbyte-plink`; \
                            for zsh, write `_airbyte-plink` into a directory on your $fpath.")]
    Completions(CompletionsArgs),
    /// Write the man pages (airbyte-plink.1 and one per command) into a directory
    #[command(hide = true)]
    Man(ManArgs),
}

#[derive(Debug, Subcommand)]
pub enum ExportFormat {
    /// A CloudFormation template (JSON) with the resources setup would create for the spec,
    /// and the values to hand to Airbyte as outputs
    Cloudformation(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Start from the spec of this existing deployment (as setup recorded it); flags override it
    #[arg(long, value_name = "NAME", conflicts_with = "config")]
    pub from_deployment: Option<String>,
}

#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    /// The commands the identity will run; repeatable or comma-separated
    #[arg(long = "for", value_enum, value_delimiter = ',', default_value = "all", value_name = "COMMAND")]
    pub commands: Vec<crate::aws::permissions::Use>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Where to write the pages
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
}

/// Which deployment a day-2 command is about.
#[derive(Debug, Args)]
pub struct Which {
    /// Deployment name (optional when the region has exactly one)
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    #[command(flatten)]
    pub which: Which,
    /// Wait until Airbyte's connection request arrives, then accept it
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits (e.g. 90s, 15m, 1h)
    #[arg(long, default_value = "15m", value_parser = parse_duration)]
    pub timeout: std::time::Duration,
    /// Also reject pending connections from other accounts
    #[arg(long)]
    pub reject_others: bool,
}

#[derive(Debug, Args)]
pub struct TeardownArgs {
    #[command(flatten)]
    pub which: Which,
    /// Show what would be removed, without removing anything
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: save the removal plan to this file, for `teardown --plan FILE`
    #[arg(long, value_name = "FILE", requires = "dry_run")]
    pub out: Option<PathBuf>,
    /// Apply a removal plan saved with `teardown --dry-run --out FILE`, refused if the deployment changed since
    #[arg(long, value_name = "FILE", conflicts_with = "dry_run")]
    pub plan: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub which: Which,
    /// Every deployment in the region (the default without --name)
    #[arg(long, conflicts_with = "name")]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub which: Which,
    /// The endpoint service to verify, instead of --name
    #[arg(long, value_name = "ID", conflicts_with = "name")]
    pub service_id: Option<String>,
    /// Warnings fail too (exit 3)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct SyncTargetsArgs {
    #[command(flatten)]
    pub which: Which,
    /// Show the change, make none
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SetupArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Show the plan and the resolved configuration (reusable with --config), change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write the resolved spec to this TOML file (for `--config` in later runs)
    #[arg(long, value_name = "FILE")]
    pub save_config: Option<PathBuf>,
    /// With --dry-run: save the plan to this file, for `setup --plan FILE`
    #[arg(long, value_name = "FILE", requires = "dry_run")]
    pub out: Option<PathBuf>,
    /// Apply a plan saved with `plan --out FILE`, exactly, without the spec; refused if the deployment changed since
    #[arg(long, value_name = "FILE", conflicts_with_all = ["dry_run", "save_config"])]
    pub plan: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Save the plan to this file, for `setup --plan FILE` (reviewable JSON)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The deployment spec as flags; each also has a key in the `--config` file.
#[derive(Debug, Args)]
pub struct SpecArgs {
    /// TOML file with the spec; flags override its values
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Deployment name, used for resource names and tags (≤32 letters, digits, hyphens)
    #[arg(long)]
    pub name: Option<String>,
    /// Where your Airbyte Cloud workspace runs: us (us-east-1) or eu (eu-west-3)
    #[arg(long, value_name = "us|eu")]
    pub airbyte_region: Option<String>,
    /// Airbyte's 12-digit AWS account ID (allowed as arn:aws:iam::<id>:root)
    #[arg(long, value_name = "ID")]
    pub airbyte_account_id: Option<String>,
    /// A full IAM role or user ARN to allow instead of the account root
    #[arg(long, value_name = "ARN", conflicts_with = "airbyte_account_id")]
    pub airbyte_principal: Option<String>,
    /// Database target: IPv4 address, EC2 instance ID (i-…) or DNS hostname; repeatable or comma-separated
    #[arg(long = "target", value_delimiter = ',', value_name = "TARGET")]
    pub targets: Vec<String>,
    /// TCP port the database listens on
    #[arg(long, value_parser = parse_port_value)]
    pub port: Option<PortValue>,
    /// VPC of the database
    #[arg(long, value_name = "VPC")]
    pub vpc_id: Option<String>,
    /// Private subnets for the load balancer, one per AZ; repeatable or comma-separated
    #[arg(long, value_delimiter = ',', value_name = "SUBNET")]
    pub subnets: Vec<String>,
    /// The database's security group: setup lets the load balancer's own group in on the port
    #[arg(long, value_name = "SG")]
    pub db_security_group: Option<String>,
    /// Turn cross-zone load balancing off (on by default, so every AZ reaches the database)
    #[arg(long, overrides_with = "cross_zone")]
    pub no_cross_zone: bool,
    /// Turn cross-zone load balancing on (the default; overrides the config file)
    #[arg(long, overrides_with = "no_cross_zone")]
    pub cross_zone: bool,
    /// Accept connections without review (by default each must be accepted)
    #[arg(long, overrides_with = "acceptance_required")]
    pub no_acceptance_required: bool,
    /// Require accepting each connection (the default; overrides the config file)
    #[arg(long, overrides_with = "no_acceptance_required")]
    pub acceptance_required: bool,
    /// Accept IP targets outside the VPC's CIDRs (reachable through peering or VPN)
    #[arg(long)]
    pub allow_targets_outside_vpc: bool,
    /// Extra tag for every resource; repeatable
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    pub tags: Vec<(String, String)>,
    /// The kind of database, told to Airbyte: postgres, mysql, mariadb, sqlserver or oracle (RDS says it for its own)
    #[arg(long, value_name = "KIND")]
    pub database_kind: Option<String>,
    /// Seconds between the load balancer's TCP health checks, 5–300 [default: 30]
    #[arg(long, value_name = "SECONDS")]
    pub health_check_interval: Option<i64>,
    /// Health checks in a row that make a target healthy, 2–10 [default: 2]
    #[arg(long, value_name = "N")]
    pub healthy_threshold: Option<i64>,
    /// Health checks in a row that make a target unhealthy, 2–10 [default: 3]
    #[arg(long, value_name = "N")]
    pub unhealthy_threshold: Option<i64>,
    /// Keep the targets on the database's current addresses with a Lambda function run on its RDS events and a schedule, with an alarm when no target is healthy (the default for an RDS or Aurora hostname)
    #[arg(long, overrides_with = "no_follow")]
    pub follow: bool,
    /// No follower and no alarm: run `sync-targets` yourself after a failover
    #[arg(long, overrides_with = "follow")]
    pub no_follow: bool,
    /// Minutes between the follower's scheduled runs, 1–1440 [default: 5]
    #[arg(long, value_name = "MINUTES")]
    pub follow_every: Option<i64>,
    /// SNS topic the alarm notifies when the target group has no healthy target
    #[arg(long, value_name = "ARN")]
    pub alarm_topic: Option<String>,
    /// Seconds a connection may carry no data before the load balancer forgets it, 60–6000 [default: 350, AWS's]; not with an Airbyte region other than the deployment's, which AWS does not support
    #[arg(long, value_name = "SECONDS")]
    pub idle_timeout: Option<i64>,
    /// Another database behind the same load balancer and endpoint service, on its own listener port (the database's port unless @LISTENER_PORT); repeatable
    #[arg(long = "database", value_name = "NAME=TARGET:PORT[@LISTENER_PORT]", value_parser = parse_database)]
    pub databases: Vec<crate::spec::DatabaseDraft>,
}

impl SpecArgs {
    /// The values given as flags, as a draft layered over the config file.
    pub fn to_draft(&self, region: Option<String>) -> SpecDraft {
        let flag = |on: bool, off: bool| match (on, off) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        };
        SpecDraft {
            name: self.name.clone(),
            region,
            airbyte_region: self.airbyte_region.clone(),
            airbyte_account_id: self.airbyte_account_id.clone(),
            airbyte_principal: self.airbyte_principal.clone(),
            targets: (!self.targets.is_empty()).then(|| self.targets.clone()),
            port: self.port.clone(),
            vpc_id: self.vpc_id.clone(),
            subnets: (!self.subnets.is_empty()).then(|| self.subnets.clone()),
            db_security_group: self.db_security_group.clone(),
            cross_zone: flag(self.cross_zone, self.no_cross_zone),
            acceptance_required: flag(self.acceptance_required, self.no_acceptance_required),
            allow_targets_outside_vpc: self.allow_targets_outside_vpc.then_some(true),
            tags: (!self.tags.is_empty()).then(|| self.tags.iter().cloned().collect()),
            database_kind: self.database_kind.clone(),
            health_check_interval: self.health_check_interval,
            healthy_threshold: self.healthy_threshold,
            unhealthy_threshold: self.unhealthy_threshold,
            follow: flag(self.follow, self.no_follow),
            follow_every_minutes: self.follow_every,
            alarm_topic: self.alarm_topic.clone(),
            idle_timeout: self.idle_timeout,
            databases: (!self.databases.is_empty()).then(|| self.databases.clone()),
        }
    }
}

fn parse_database(raw: &str) -> Result<crate::spec::DatabaseDraft, String> {
    crate::spec::DatabaseDraft::parse_flag(raw)
}

fn parse_port_value(raw: &str) -> Result<PortValue, String> {
    raw.trim().parse::<i64>().map(PortValue::Number).map_err(|_| format!("'{raw}' is not a number; use 1–65535"))
}

fn parse_duration(raw: &str) -> Result<std::time::Duration, String> {
    let raw = raw.trim();
    let (number, unit) = raw.split_at(raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len()));
    let number: u64 = number.parse().map_err(|_| format!("'{raw}' is not a duration; e.g. 90s, 15m, 1h"))?;
    let seconds = match unit {
        "s" | "" => number,
        "m" => number * 60,
        "h" => number * 3600,
        _ => return Err(format!("'{raw}' is not a duration; e.g. 90s, 15m, 1h")),
    };
    Ok(std::time::Duration::from_secs(seconds))
}

fn parse_tag(raw: &str) -> Result<(String, String), String> {
    crate::spec::fields::tag(raw)
}

fn parse_dns_server(raw: &str) -> Result<SocketAddr, String> {
    raw.parse::<SocketAddr>()
        .or_else(|_| raw.parse::<std::net::IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
        .map_err(|_| format!("'{raw}' is not an IP address or IP:PORT"))
}
