//! The interactive wizard: asks, on a terminal, for every part of the spec that the
//! config file and flags left open, offering what the account has (databases, VPCs,
//! subnets, security groups) and explaining each choice in a sentence. It fills the same
//! [`SpecDraft`] the scripted mode does; the engine never knows it ran.

pub mod choices;
pub mod prompt;

use futures::future::try_join;

use crate::aws::{Cloud, HealthCheck, Identity};
use crate::failure::Failure;
use crate::spec::fields::{self, AirbyteRegion, Engine};
use crate::spec::{PortValue, SpecDraft};
use choices::TargetChoice;

pub fn welcome() {
    eprintln!(
        "{}",
        console::style("airbyte-plink: AWS PrivateLink from Airbyte Cloud to your database").bold().for_stderr()
    );
    prompt::say(
        "This creates, in your AWS account: an internal Network Load Balancer in front of the \
         database, a VPC endpoint service on it that only Airbyte's AWS account may connect to, \
         and, if you choose, a rule in the database's security group. The load balancer and the \
         endpoint service incur AWS charges. Nothing changes until you confirm the plan.",
    );
}

pub fn ask_region(current: Option<&str>) -> Result<String, Failure> {
    prompt::input("AWS region of the database", current.map(str::to_string), |value| {
        fields::region_name(value).map(drop)
    })
}

pub fn show_identity(identity: &Identity, region: &str) {
    eprintln!("AWS account {}, region {region}, as {}", identity.account, identity.arn);
    prompt::say("(For another account or region, run again with --profile NAME or --region REGION.)");
}

/// The draft with every missing answer asked for. Also tells whether anything was asked.
pub async fn complete<C: Cloud>(cloud: &C, region: &str, mut draft: SpecDraft) -> Result<(SpecDraft, bool), Failure> {
    let before = draft.clone();
    if draft.airbyte_region.is_none() {
        draft.airbyte_region = Some(ask_airbyte_region(region)?);
    }
    if draft.airbyte_account_id.is_none() && draft.airbyte_principal.is_none() {
        prompt::say("Airbyte gives you its AWS account ID with the Private Links settings of your workspace.");
        draft.airbyte_account_id = Some(prompt::input("Airbyte's AWS account ID (12 digits)", None, |value| {
            fields::account_id(value).map(drop)
        })?);
    }

    let vpcs = cloud.vpcs().await.map_err(Failure::Cloud)?;
    let chose_target = draft.targets.is_none();
    let mut others = Vec::new();
    let hint = match &draft.targets {
        Some(targets) => TargetChoice {
            targets: targets.clone(),
            port: None,
            vpc_id: None,
            security_groups: Vec::new(),
            label: targets.first().cloned().unwrap_or_default(),
            engine: None,
        },
        None => {
            let (choice, rest) = ask_target(cloud, &vpcs).await?;
            draft.targets = Some(choice.targets.clone());
            others = rest;
            choice
        }
    };
    if draft.port.is_none() {
        if hint.port.is_none() {
            prompt::say(&format!("Common ports: {}.", choices::COMMON_PORTS));
        }
        let port = prompt::input("Database port", hint.port.map(|p| p.to_string()), |value| {
            value.parse::<i64>().map_err(|_| format!("'{value}' is not a number")).and_then(fields::port).map(drop)
        })?;
        draft.port = Some(PortValue::Number(port.parse().expect("validated as a number")));
    }
    if draft.databases.is_none() {
        let own_port = draft.port.as_ref().and_then(|p| p.to_string().parse().ok());
        draft.databases = ask_more_databases(&others, &hint, own_port)?;
    }
    // Targets given as flags may be RDS endpoints, whose kind preflight reads; the kind
    // is asked for a target chosen here that RDS does not describe.
    let engine = match (&draft.database_kind, hint.engine) {
        (Some(given), _) => Engine::parse(given).ok(),
        (None, Some(from_rds)) => Some(from_rds),
        (None, None) if !chose_target => None,
        (None, None) => {
            let kind = ask_engine()?;
            draft.database_kind = kind.map(|k| k.as_str().to_string());
            kind
        }
    };
    // One health check serves every database's group: MySQL's limit matters if any is one.
    let mysql_among_others =
        draft.databases.iter().flatten().any(|d| {
            d.database_kind.as_deref().and_then(|k| Engine::parse(k).ok()).is_some_and(Engine::is_mysql_family)
        });
    if (engine.is_some_and(Engine::is_mysql_family) || mysql_among_others) && draft.health_check_interval.is_none() {
        let default = HealthCheck::FOR_DATABASES.interval_seconds;
        prompt::say(&format!(
            "MySQL counts each health check the load balancer makes as a connection error, and blocks a host after \
             max_connect_errors of them; setup warns when that limit is low. Fewer checks make fewer errors \
             ({default} s between checks is the default)."
        ));
        let interval = prompt::input("Seconds between health checks (5-300)", Some(default.to_string()), |value| {
            match value.trim().parse::<i64>() {
                Ok(n) if (5..=300).contains(&n) => Ok(()),
                _ => Err(format!("'{value}' is not a number of seconds from 5 to 300")),
            }
        })?;
        draft.health_check_interval = Some(interval.trim().parse().expect("validated"));
    }
    if draft.vpc_id.is_none() {
        draft.vpc_id = Some(ask_vpc(&vpcs, hint.vpc_id.as_deref())?);
    }
    let vpc_id = draft.vpc_id.clone().expect("set above");
    if draft.subnets.is_none() {
        let cross_region = draft
            .airbyte_region
            .as_deref()
            .and_then(|r| AirbyteRegion::parse(r).ok())
            .is_some_and(|a| a.aws_region() != region);
        draft.subnets = Some(ask_subnets(cloud, &vpc_id, cross_region).await?);
    }
    if draft.db_security_group.is_none() {
        draft.db_security_group = ask_security_group(cloud, &vpc_id, &hint.security_groups, &draft).await?;
    }
    if draft.name.is_none() {
        prompt::say("The deployment name names the load balancer and tags everything this tool creates.");
        let default = choices::default_name(&hint.label);
        draft.name =
            Some(prompt::input("Deployment name", Some(default), |value| fields::deployment_name(value).map(drop))?);
    }
    let asked = draft != before;
    Ok((draft, asked))
}

/// The kind of a database RDS does not describe: Airbyte asks for it with the service
/// name. `None`: another kind, which the handover leaves to the person.
fn ask_engine() -> Result<Option<Engine>, Failure> {
    let mut items: Vec<String> = Engine::ALL.iter().map(|e| e.display_name().to_string()).collect();
    items.push("Another kind".into());
    let chosen = prompt::select("What kind of database is it? (Airbyte asks for it)", &items, 0)?;
    Ok(Engine::ALL.get(chosen).copied())
}

fn ask_airbyte_region(region: &str) -> Result<String, Failure> {
    let options = [AirbyteRegion::Us, AirbyteRegion::Eu];
    let items: Vec<String> =
        options.iter().map(|r| format!("{} ({})", r.as_str().to_uppercase(), r.aws_region())).collect();
    let default = options.iter().position(|r| r.aws_region() == region).unwrap_or(0);
    let chosen = options[prompt::select("Where does your Airbyte Cloud workspace run?", &items, default)?];
    if chosen.aws_region() != region {
        prompt::say(&format!(
            "Airbyte connects from {} and your database is in {region}: the endpoint service will \
             accept cross-region connections from {} (your identity needs the vpce:AllowMultiRegion \
             permission).",
            chosen.aws_region(),
            chosen.aws_region()
        ));
    }
    Ok(chosen.as_str().to_string())
}

/// The database chosen, and the others listed in its VPC, which may share its service.
async fn ask_target<C: Cloud>(
    cloud: &C,
    vpcs: &[crate::aws::Vpc],
) -> Result<(TargetChoice, Vec<(String, TargetChoice)>), Failure> {
    let (databases, instances) =
        try_join(cloud.databases(), cloud.running_instances()).await.map_err(Failure::Cloud)?;
    let mut listed: Vec<(String, TargetChoice)> =
        databases.iter().map(|db| (choices::database_label(db), choices::database_choice(db))).collect();
    listed.extend(instances.iter().map(|i| (choices::instance_label(i), choices::instance_choice(i))));
    let mut items: Vec<String> = listed.iter().map(|(label, _)| label.clone()).collect();
    items.push("Type IP addresses or a hostname".into());
    let chosen = prompt::select("Which database should Airbyte reach?", &items, 0)?;
    let Some((_, choice)) = listed.get(chosen).cloned() else {
        let typed = prompt::input("IP addresses or hostname (comma-separated)", None, choices::validate_typed_targets)?;
        return Ok((choices::typed_choice(&typed, vpcs), Vec::new()));
    };
    if chosen < databases.len() {
        prompt::say("Its endpoint is kept by name, so `setup` can follow it when RDS moves the address.");
    }
    listed.remove(chosen);
    listed.retain(|(_, other)| other.vpc_id.is_some() && other.vpc_id == choice.vpc_id);
    Ok((choice, listed))
}

/// More databases of the same VPC behind the same load balancer and service, each on its
/// own listener port; `None` when there are none to offer or none is chosen.
fn ask_more_databases(
    others: &[(String, TargetChoice)],
    own: &TargetChoice,
    own_port: Option<u16>,
) -> Result<Option<Vec<crate::spec::DatabaseDraft>>, Failure> {
    if others.is_empty() {
        return Ok(None);
    }
    prompt::say(
        "Other databases of the same VPC can share this load balancer and endpoint service: each gets a \
         listener on its own port, and Airbyte one Private Link for all. Space selects, enter confirms \
         (none selected: this database only).",
    );
    let labels: Vec<String> = others.iter().map(|(label, _)| label.clone()).collect();
    let chosen =
        prompt::multi_select("Other databases behind the same endpoint service", &labels, &vec![false; labels.len()])?;
    if chosen.is_empty() {
        return Ok(None);
    }
    let count = chosen.len() + 1;
    prompt::say(&format!(
        "One load balancer and one endpoint service serve all {count} databases. AWS bills each load balancer \
         and each endpoint service by the hour: this runs {} fewer of each than a deployment per database, and \
         Airbyte needs one Private Link instead of {count}.",
        count - 1
    ));
    let room = fields::MAX_NAME_LEN.saturating_sub(choices::default_name(&own.label).len() + 1);
    let mut names: Vec<String> = Vec::new();
    let mut ports: Vec<u16> = own_port.into_iter().collect();
    let mut drafts = Vec::new();
    for &index in &chosen {
        let (label, choice) = &others[index];
        let port = match choice.port {
            Some(port) => port,
            None => prompt::input(&format!("Port of {label}"), None, |value| {
                value.parse::<i64>().map_err(|_| format!("'{value}' is not a number")).and_then(fields::port).map(drop)
            })?
            .parse()
            .expect("validated as a port"),
        };
        let name = choices::database_name(&choice.label, &own.label, room, &names);
        let listener_port = choices::free_listener_port(port, &ports);
        names.push(name.clone());
        ports.push(listener_port);
        drafts.push(crate::spec::DatabaseDraft {
            name: Some(name),
            targets: Some(choice.targets.clone()),
            port: Some(PortValue::Number(port.into())),
            listener_port: Some(PortValue::Number(listener_port.into())),
            db_security_group: None,
            database_kind: choice.engine.map(|e| e.as_str().to_string()),
        });
    }
    let groups: Vec<String> = chosen.iter().filter_map(|&i| others[i].1.security_groups.first().cloned()).collect();
    if !groups.is_empty() {
        let mut shown = groups.clone();
        shown.sort();
        shown.dedup();
        let open = prompt::confirm(
            &format!(
                "Add one rule to their security groups ({}), inbound TCP on each one's port from the load balancer's group?",
                shown.join(", ")
            ),
            true,
        )?;
        if open {
            for (draft, &index) in drafts.iter_mut().zip(&chosen) {
                draft.db_security_group = others[index].1.security_groups.first().cloned();
            }
        }
    }
    for draft in &drafts {
        let port = draft.listener_port.as_ref().map(PortValue::to_string).unwrap_or_default();
        eprintln!(
            "{} Database {}: port {port} through the load balancer",
            console::style("✔").green().for_stderr(),
            draft.name.as_deref().unwrap_or_default()
        );
    }
    Ok(Some(drafts))
}

fn ask_vpc(vpcs: &[crate::aws::Vpc], suggested: Option<&str>) -> Result<String, Failure> {
    if vpcs.is_empty() {
        return Err(Failure::Usage("this region has no VPC; choose the database's region with --region".into()));
    }
    let items: Vec<String> = vpcs.iter().map(choices::vpc_label).collect();
    let default = suggested.and_then(|id| vpcs.iter().position(|v| v.id == id)).unwrap_or(0);
    let chosen = prompt::select("VPC of the database", &items, default)?;
    Ok(vpcs[chosen].id.clone())
}

async fn ask_subnets<C: Cloud>(cloud: &C, vpc_id: &str, cross_region: bool) -> Result<Vec<String>, Failure> {
    let (subnets, route_tables) =
        try_join(cloud.subnets_of_vpc(vpc_id), cloud.route_tables(vpc_id)).await.map_err(Failure::Cloud)?;
    let options = choices::subnet_options(&subnets, &route_tables, cross_region);
    if options.iter().all(|o| o.unusable_because.is_some()) {
        return Err(Failure::Usage(format!(
            "{vpc_id} has no private subnet; the load balancer must be internal. Create a private subnet (no route to an internet gateway) and run again"
        )));
    }
    prompt::say(
        "The load balancer takes one private subnet per Availability Zone; Airbyte can connect \
         through the zones you choose (two or more for redundancy). Space selects, enter confirms.",
    );
    let labels: Vec<String> = options.iter().map(choices::SubnetOption::label).collect();
    let mut checked = choices::default_subnets(&options);
    loop {
        let chosen = prompt::multi_select("Subnets for the load balancer", &labels, &checked)?;
        match choices::check_subnet_selection(&options, &chosen, cross_region) {
            Ok(()) => {
                let picked: Vec<String> =
                    chosen.iter().map(|&i| format!("{} ({})", options[i].subnet.id, options[i].subnet.az_id)).collect();
                eprintln!("{} Subnets: {}", console::style("✔").green().for_stderr(), picked.join(", "));
                if chosen.len() == 1 {
                    prompt::say("Only one AZ: it works, but without redundancy.");
                }
                return Ok(chosen.iter().map(|&i| options[i].subnet.id.clone()).collect());
            }
            Err(why) => {
                eprintln!("{} {why}", console::style("✗").red().for_stderr());
                checked =
                    (0..options.len()).map(|i| chosen.contains(&i) && options[i].unusable_because.is_none()).collect();
            }
        }
    }
}

async fn ask_security_group<C: Cloud>(
    cloud: &C,
    vpc_id: &str,
    suggested: &[String],
    draft: &SpecDraft,
) -> Result<Option<String>, Failure> {
    let groups = cloud.security_groups_of_vpc(vpc_id).await.map_err(Failure::Cloud)?;
    let groups = choices::database_group_candidates(groups);
    let port = draft.port.as_ref().map(PortValue::to_string).unwrap_or_default();
    prompt::say(&format!(
        "The database's security group must let the load balancer in: the tool can add one rule to \
         it, inbound TCP {port} from the load balancer's own security group (and removes it when it \
         is no longer needed)."
    ));
    let mut items = vec!["Leave security groups unchanged (I'll allow the load balancer myself)".to_string()];
    items.extend(groups.iter().map(choices::security_group_label));
    let default = groups.iter().position(|g| suggested.contains(&g.id)).map(|i| i + 1).unwrap_or(0);
    let chosen = prompt::select("Security group of the database", &items, default)?;
    Ok(chosen.checked_sub(1).map(|i| groups[i].id.clone()))
}
