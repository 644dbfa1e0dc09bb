//! The catalogue of bad input: every way a flag, the config file, the environment or
//! the account can be wrong, each refused with one clear message naming what to fix and
//! the documented exit code. Nothing is created, or, where AWS refuses partway through
//! setup, the message says how to finish or undo, and teardown removes the part made.

use crate::support::{AIRBYTE_ACCOUNT, Emulator, replace, setup_args, state};

const REGION: &str = "us-west-2";
/// The image the seed runs its database instance from (tests/emulator/seed.py).
const SAMPLE_IMAGE: &str = "ami-999844e0";

/// What AWS does differently for a case.
#[derive(Clone)]
enum Aws {
    /// IAM denies this action.
    Denies(&'static str),
    /// This action fails with this error code (a quota, say).
    Fails(&'static str, &'static str, &'static str),
}

#[derive(Default)]
struct Case {
    what: &'static str,
    args: Vec<String>,
    /// Variables set (`Some`) or removed (`None`) for this run.
    env: Vec<(&'static str, Option<String>)>,
    aws: Vec<Aws>,
    exit_code: i32,
    /// Every one of these must appear in stderr.
    says: Vec<String>,
    /// AWS refuses partway through setup, so part of the deployment may exist; the
    /// message must say how to finish or undo.
    partial: bool,
}

fn check(emulator: &Emulator, case: &Case) {
    emulator.clear_requests();
    for aws in &case.aws {
        match aws {
            Aws::Denies(action) => emulator.deny(&[action]),
            Aws::Fails(action, code, message) => emulator.fail(action, code, message),
        }
    }
    let mut command = emulator.plink();
    command.args(&case.args);
    for (name, value) in &case.env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let output = command.output().expect("run airbyte-plink");
    emulator.allow_all();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let what = case.what;
    assert_eq!(output.status.code(), Some(case.exit_code), "{what}: exit code; stderr:\n{stderr}");
    for needle in &case.says {
        assert!(stderr.contains(needle.as_str()), "{what}: stderr lacks {needle:?}:\n{stderr}");
    }
    let errors = stderr.lines().filter(|l| l.starts_with("error")).count();
    assert_eq!(errors, 1, "{what}: one error message:\n{stderr}");
    assert!(output.stdout.is_empty(), "{what}: no result on stdout");
    if case.partial {
        assert!(stderr.contains("run the same command again"), "{what}: says how to finish:\n{stderr}");
        assert!(stderr.contains("airbyte-plink teardown --name orders-db"), "{what}: says how to undo:\n{stderr}");
    } else {
        assert_eq!(emulator.tool_mutations(), Vec::<String>::new(), "{what}: nothing was changed");
    }
}

async fn other_vpc_default_security_group(emulator: &Emulator, vpc: &str) -> String {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    let groups = ec2.describe_security_groups().filters(state::filter("vpc-id", vpc)).send().await.unwrap();
    groups.security_groups()[0].group_id().unwrap().to_string()
}

/// A second instance in the sample network's first private subnet, stopped.
async fn stopped_instance(emulator: &Emulator, subnet: &str) -> String {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    let run = ec2.run_instances().image_id(SAMPLE_IMAGE).min_count(1).max_count(1).subnet_id(subnet).send().await;
    let id = run.unwrap().instances()[0].instance_id().unwrap().to_string();
    ec2.stop_instances().instance_ids(&id).send().await.unwrap();
    id
}

#[tokio::test]
async fn every_bad_input_is_refused_with_one_clear_message_and_nothing_left_half_made() {
    let region = REGION;
    let emulator = Emulator::start(&[region]);
    emulator.set_dns("public.example.com", &["52.1.2.3"]);
    emulator.set_dns("loopback.example.com", &["127.0.0.1"]);
    let seed = emulator.seed(region).clone();
    let base = || setup_args(&seed, region, "orders-db");
    let with_dns = |args: Vec<String>| {
        let mut args = args;
        args.extend(["--dns-server".to_string(), emulator.dns.clone()]);
        args
    };
    let with_group = || [base(), vec!["--db-security-group".to_string(), seed.db_security_group.clone()]].concat();
    let foreign_group = other_vpc_default_security_group(&emulator, &seed.other_vpc_id).await;
    let stopped = stopped_instance(&emulator, &seed.private_subnets[0]).await;
    let crowded = emulator.crowded_subnet(REGION, &seed.vpc_id, &seed.private_subnets[1]).await;
    let missing_id = "0123456789abcdef0";
    let s = |text: &str| text.to_string();
    let config = |text: &str| {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        file
    };
    let unknown_key = config("name = \"db\"\nsubnet_ids = [\"subnet-1\"]\n");
    let malformed = config("name = \"db\nport = 5432\n");
    let wrong_type = config("name = \"db\"\ncross_zone = \"yes\"\n");
    let bad_value = config(&format!(
        "name = \"orders-db\"\nairbyte_region = \"us\"\nairbyte_account_id = \"1234\"\ntargets = [\"{}\"]\n\
         port = 5432\nvpc_id = \"{}\"\nsubnets = [\"{}\", \"{}\"]\n",
        seed.db_instance_id, seed.vpc_id, seed.private_subnets[0], seed.private_subnets[1]
    ));
    let a_directory = tempfile::tempdir().unwrap();
    let arg = |file: &tempfile::NamedTempFile| file.path().display().to_string();
    let from_file = |path: String| vec![s("setup"), s("--no-input"), s("--region"), s(region), s("--config"), path];
    let denied = |action: &'static str, service: &str| Case {
        what: action,
        args: with_group(),
        aws: vec![Aws::Denies(action)],
        exit_code: 4,
        says: vec![
            format!("AWS denied {service}:{action}"),
            format!("Grant the IAM action {service}:{action}"),
            s("setup stopped after"),
        ],
        partial: true,
        ..Case::default()
    };

    let cases = vec![
        // Preflight: the account does not have what the flags name.
        Case {
            what: "a public subnet",
            args: replace(base(), "--subnets", &format!("{},{}", seed.private_subnets[0], seed.public_subnet)),
            exit_code: 2,
            says: vec![format!(
                "--subnets: subnet {} ({}) is public: route table {} sends 0.0.0.0/0 to internet gateway {}",
                seed.public_subnet, "usw2-az2", seed.public_route_table, seed.internet_gateway
            )],
            ..Case::default()
        },
        Case {
            what: "a subnet of another VPC",
            args: replace(base(), "--subnets", &format!("{},{}", seed.private_subnets[0], seed.other_vpc_subnet)),
            exit_code: 2,
            says: vec![format!(
                "--subnets: subnet {} is in {}, not in {}",
                seed.other_vpc_subnet, seed.other_vpc_id, seed.vpc_id
            )],
            ..Case::default()
        },
        Case {
            what: "two subnets in one AZ",
            args: replace(base(), "--subnets", &format!("{},{}", seed.private_subnets[0], seed.private_subnet_same_az)),
            exit_code: 2,
            says: vec![s("--subnets: subnets"), s("one subnet per AZ")],
            ..Case::default()
        },
        Case {
            what: "a subnet that does not exist",
            args: replace(base(), "--subnets", &format!("{},subnet-{missing_id}", seed.private_subnets[0])),
            exit_code: 2,
            says: vec![format!("--subnets: subnet subnet-{missing_id} does not exist in {region}")],
            ..Case::default()
        },
        Case {
            what: "a subnet without the free addresses a load balancer needs",
            args: replace(base(), "--subnets", &format!("{},{crowded}", seed.private_subnets[0])),
            exit_code: 2,
            says: vec![format!("--subnets: subnet {crowded}"), s("has 7 free IP addresses"), s("needs 8")],
            ..Case::default()
        },
        Case {
            what: "one AZ for a service Airbyte reaches from another region",
            args: replace(base(), "--subnets", &seed.private_subnets[0]),
            exit_code: 2,
            says: vec![s("--subnets: only one AZ"), s("at least two Availability Zones")],
            ..Case::default()
        },
        Case {
            what: "a VPC that does not exist",
            args: replace(base(), "--vpc-id", &format!("vpc-{missing_id}")),
            exit_code: 2,
            says: vec![format!("--vpc-id: VPC vpc-{missing_id} does not exist in {region}")],
            ..Case::default()
        },
        Case {
            what: "an IP target outside the VPC",
            args: replace(base(), "--target", "10.9.0.5"),
            exit_code: 2,
            says: vec![s("--target: 10.9.0.5 is outside"), s("--allow-targets-outside-vpc")],
            ..Case::default()
        },
        Case {
            what: "a health-check interval AWS does not take",
            args: [base(), vec![s("--health-check-interval"), s("400")]].concat(),
            exit_code: 2,
            says: vec![s("--health-check-interval: 400 is out of range; AWS takes 5–300 seconds")],
            ..Case::default()
        },
        Case {
            what: "a database kind that is not one",
            args: [base(), vec![s("--database-kind"), s("db2")]].concat(),
            exit_code: 2,
            says: vec![s("--database-kind: 'db2' is not a database kind; use postgres, mysql")],
            ..Case::default()
        },
        Case {
            what: "a public IP target",
            args: replace(base(), "--target", "8.8.8.8"),
            exit_code: 2,
            says: vec![s("--target: 8.8.8.8 is not a private address")],
            ..Case::default()
        },
        Case {
            what: "a hostname resolving to a public address",
            args: with_dns(replace(base(), "--target", "public.example.com")),
            exit_code: 2,
            says: vec![s("--target: public.example.com resolves to 52.1.2.3, which is not a private address")],
            ..Case::default()
        },
        Case {
            what: "a hostname resolving to loopback",
            args: with_dns(replace(base(), "--target", "loopback.example.com")),
            exit_code: 2,
            says: vec![s("--target: loopback.example.com resolves to 127.0.0.1, which is a loopback address")],
            ..Case::default()
        },
        Case {
            what: "a hostname that does not resolve",
            args: with_dns(replace(base(), "--target", "missing.example.com")),
            exit_code: 2,
            says: vec![s("--target: missing.example.com does not resolve"), s("--dns-server")],
            ..Case::default()
        },
        Case {
            what: "an instance that does not exist",
            args: replace(base(), "--target", &format!("i-{missing_id}")),
            exit_code: 2,
            says: vec![format!("--target: instance i-{missing_id} does not exist in {region}")],
            ..Case::default()
        },
        Case {
            what: "a stopped instance",
            args: replace(base(), "--target", &stopped),
            exit_code: 2,
            says: vec![format!("--target: instance {stopped} is stopped; start it (`aws ec2 start-instances")],
            ..Case::default()
        },
        Case {
            what: "a database security group of another VPC",
            args: [base(), vec![s("--db-security-group"), foreign_group.clone()]].concat(),
            exit_code: 2,
            says: vec![format!("--db-security-group: security group {foreign_group} is in {}", seed.other_vpc_id)],
            ..Case::default()
        },
        Case {
            what: "a database security group that does not exist",
            args: [base(), vec![s("--db-security-group"), format!("sg-{missing_id}")]].concat(),
            exit_code: 2,
            says: vec![format!("--db-security-group: security group sg-{missing_id} does not exist")],
            ..Case::default()
        },
        Case {
            what: "a region AWS does not have",
            args: replace(base(), "--region", "us-east-7"),
            exit_code: 2,
            says: vec![s("--region: us-east-7 is not an AWS region")],
            ..Case::default()
        },
        Case {
            what: "several problems at once",
            args: replace(
                replace(base(), "--target", "8.8.8.8"),
                "--subnets",
                &format!("{},{}", seed.private_subnets[0], seed.public_subnet),
            ),
            exit_code: 2,
            says: vec![s("--target: 8.8.8.8"), s("--subnets: subnet"), s("Nothing was changed.")],
            ..Case::default()
        },
        // Flags and the config file, refused before any AWS call.
        Case {
            what: "nothing given without a terminal",
            args: vec![s("setup"), s("--no-input"), s("--region"), s(region)],
            exit_code: 2,
            says: ["--name", "--airbyte-region", "--airbyte-account-id", "--target", "--port", "--vpc-id", "--subnets"]
                .iter()
                .map(|flag| format!("{flag} is required when not running interactively"))
                .collect(),
            ..Case::default()
        },
        Case {
            what: "port 0",
            args: replace(base(), "--port", "0"),
            exit_code: 2,
            says: vec![s("--port: 0 is not a TCP port; use 1–65535")],
            ..Case::default()
        },
        Case {
            what: "port 70000",
            args: replace(base(), "--port", "70000"),
            exit_code: 2,
            says: vec![s("--port: 70000 is not a TCP port")],
            ..Case::default()
        },
        Case {
            what: "a port that is not a number",
            args: replace(base(), "--port", "abc"),
            exit_code: 2,
            says: vec![s("'abc' is not a number; use 1–65535"), s("--port")],
            ..Case::default()
        },
        Case {
            what: "an 11-digit account ID",
            args: replace(base(), "--airbyte-account-id", "12345678901"),
            exit_code: 2,
            says: vec![s("--airbyte-account-id: '12345678901' is not an AWS account ID: it must be exactly 12 digits")],
            ..Case::default()
        },
        Case {
            what: "an account ID with letters",
            args: replace(base(), "--airbyte-account-id", "12345678901a"),
            exit_code: 2,
            says: vec![s("--airbyte-account-id: '12345678901a' is not an AWS account ID")],
            ..Case::default()
        },
        Case {
            what: "the * principal",
            args: [
                base().into_iter().filter(|a| a != "--airbyte-account-id" && a != AIRBYTE_ACCOUNT).collect(),
                vec![s("--airbyte-principal"), s("*")],
            ]
            .concat(),
            exit_code: 2,
            says: vec![s("--airbyte-principal: '*' would let every AWS account connect")],
            ..Case::default()
        },
        Case {
            what: "a principal of another partition",
            args: [
                base().into_iter().filter(|a| a != "--airbyte-account-id" && a != AIRBYTE_ACCOUNT).collect(),
                vec![s("--airbyte-principal"), format!("arn:aws-cn:iam::{AIRBYTE_ACCOUNT}:root")],
            ]
            .concat(),
            exit_code: 2,
            says: vec![s("--airbyte-principal:"), s("PrivateLink cannot cross partitions")],
            ..Case::default()
        },
        Case {
            what: "both principal flags",
            args: [base(), vec![s("--airbyte-principal"), format!("arn:aws:iam::{AIRBYTE_ACCOUNT}:root")]].concat(),
            exit_code: 2,
            says: vec![s("--airbyte-principal"), s("cannot be used with")],
            ..Case::default()
        },
        Case {
            what: "an Airbyte region other than us or eu",
            args: replace(base(), "--airbyte-region", "ap"),
            exit_code: 2,
            says: vec![s(
                "--airbyte-region: 'ap' is not an Airbyte Cloud region; use us (us-east-1) or eu (eu-west-3)",
            )],
            ..Case::default()
        },
        Case {
            what: "a name too long",
            args: replace(base(), "--name", &"a".repeat(33)),
            exit_code: 2,
            says: vec![s("--name:"), s("is 33 characters; AWS allows at most 32")],
            ..Case::default()
        },
        Case {
            what: "a name with invalid characters",
            args: replace(base(), "--name", "orders_db"),
            exit_code: 2,
            says: vec![s("--name: 'orders_db' contains '_'")],
            ..Case::default()
        },
        Case {
            what: "a malformed region name",
            args: replace(base(), "--region", "useast1"),
            exit_code: 2,
            says: vec![s("--region: 'useast1' is not an AWS region name")],
            ..Case::default()
        },
        Case {
            what: "an unknown key in the config file",
            args: vec![s("setup"), s("--no-input"), s("--config"), arg(&unknown_key)],
            exit_code: 2,
            says: vec![s("--config:"), s("line 2: unknown field `subnet_ids`")],
            ..Case::default()
        },
        Case {
            what: "malformed TOML",
            args: vec![s("setup"), s("--no-input"), s("--config"), arg(&malformed)],
            exit_code: 2,
            says: vec![s("--config:"), s("line 1")],
            ..Case::default()
        },
        Case {
            what: "a config file that does not exist",
            args: vec![s("setup"), s("--no-input"), s("--config"), s("/nonexistent/plink.toml")],
            exit_code: 2,
            says: vec![s("--config: cannot read /nonexistent/plink.toml")],
            ..Case::default()
        },
        Case {
            what: "an invalid extra tag",
            args: [base(), vec![s("--tag"), s("novalue")]].concat(),
            exit_code: 2,
            says: vec![s("--tag"), s("'novalue' is not KEY=VALUE")],
            ..Case::default()
        },
        Case {
            what: "a config file value of the wrong type",
            args: from_file(arg(&wrong_type)),
            exit_code: 2,
            says: vec![s("--config:"), s("line 2")],
            ..Case::default()
        },
        Case {
            what: "a bad value in the config file",
            args: from_file(arg(&bad_value)),
            exit_code: 2,
            says: vec![format!("airbyte_account_id in {}: '1234' is not an AWS account ID", arg(&bad_value))],
            ..Case::default()
        },
        Case {
            what: "a config path that is a directory",
            args: from_file(a_directory.path().display().to_string()),
            exit_code: 2,
            says: vec![format!("--config: cannot read {}", a_directory.path().display()), s("check the path")],
            ..Case::default()
        },
        Case {
            what: "a misspelt flag",
            args: [base(), vec![s("--subnet"), s("subnet-1")]].concat(),
            exit_code: 2,
            says: vec![s("unexpected argument '--subnet'"), s("--subnets")],
            ..Case::default()
        },
        Case {
            what: "JUnit output for setup",
            args: [base(), vec![s("--output"), s("junit")]].concat(),
            exit_code: 2,
            says: vec![s("--output junit is for `verify`")],
            ..Case::default()
        },
        Case {
            what: "a duration that is not one",
            args: vec![s("accept"), s("--region"), s(region), s("--wait"), s("--timeout"), s("soon")],
            exit_code: 2,
            says: vec![s("--timeout"), s("soon")],
            ..Case::default()
        },
        // The environment.
        Case {
            what: "no credentials",
            args: base(),
            env: vec![("AWS_ACCESS_KEY_ID", None), ("AWS_SECRET_ACCESS_KEY", None)],
            exit_code: 4,
            says: vec![s("no usable AWS credentials"), s("--profile")],
            ..Case::default()
        },
        Case {
            what: "credentials AWS does not know",
            args: base(),
            env: vec![("AWS_ACCESS_KEY_ID", Some(s("AKIAINVALIDEXAMPLE")))],
            exit_code: 4,
            // Whichever call AWS refuses first (STS's InvalidClientTokenId, EC2's AuthFailure).
            says: vec![
                s("AWS did not accept the credentials"),
                s("The security token included in the request is invalid"),
                s("aws sso login"),
            ],
            ..Case::default()
        },
        Case {
            what: "no region anywhere",
            args: base().into_iter().filter(|a| a != "--region" && a != region).collect(),
            exit_code: 2,
            says: vec![s("no AWS region is configured: pass --region")],
            ..Case::default()
        },
        Case {
            what: "a retry count that is not a number",
            args: base(),
            env: vec![("AWS_MAX_ATTEMPTS", Some(s("many")))],
            exit_code: 2,
            says: vec![s("AWS_MAX_ATTEMPTS: \"many\" is not a number of attempts"), s("unset it")],
            ..Case::default()
        },
        Case {
            what: "an unknown retry mode",
            args: base(),
            env: vec![("AWS_RETRY_MODE", Some(s("eager")))],
            exit_code: 2,
            says: vec![s("AWS_RETRY_MODE: \"eager\" is not a retry mode"), s("standard or adaptive")],
            ..Case::default()
        },
        Case {
            what: "a DNS server that is not an address",
            args: base(),
            env: vec![("AIRBYTE_PLINK_DNS_SERVER", Some(s("dns.example.com")))],
            exit_code: 2,
            says: vec![s("--dns-server"), s("dns.example.com")],
            ..Case::default()
        },
        Case {
            what: "an endpoint nothing listens on",
            args: base(),
            env: vec![("AWS_ENDPOINT_URL", Some(s("http://127.0.0.1:9"))), ("AWS_MAX_ATTEMPTS", Some(s("1")))],
            exit_code: 1,
            says: vec![s("could not reach AWS"), s("Check the network, --region and --endpoint-url")],
            ..Case::default()
        },
        // The account refuses.
        Case {
            what: "a read denied",
            args: base(),
            aws: vec![Aws::Denies("DescribeSubnets")],
            exit_code: 4,
            says: vec![s("AWS denied ec2:DescribeSubnets"), s("Grant the IAM action ec2:DescribeSubnets")],
            ..Case::default()
        },
        denied("CreateTargetGroup", "elasticloadbalancing"),
        denied("CreateLoadBalancer", "elasticloadbalancing"),
        denied("RegisterTargets", "elasticloadbalancing"),
        denied("ModifyLoadBalancerAttributes", "elasticloadbalancing"),
        denied("CreateListener", "elasticloadbalancing"),
        denied("AuthorizeSecurityGroupIngress", "ec2"),
        denied("CreateVpcEndpointServiceConfiguration", "ec2"),
        denied("ModifyVpcEndpointServicePermissions", "ec2"),
        Case {
            what: "the load balancer quota reached",
            args: with_group(),
            aws: vec![Aws::Fails(
                "CreateLoadBalancer",
                "TooManyLoadBalancers",
                "You've reached the limit on the number of load balancers for your account",
            )],
            exit_code: 1,
            says: vec![s("TooManyLoadBalancers"), s("An AWS quota is reached"), s("Service Quotas console")],
            partial: true,
            ..Case::default()
        },
        Case {
            what: "the endpoint service quota reached",
            args: with_group(),
            aws: vec![Aws::Fails(
                "CreateVpcEndpointServiceConfiguration",
                "VpcEndpointServiceLimitExceeded",
                "The maximum number of VPC endpoint services has been reached",
            )],
            exit_code: 1,
            says: vec![s("VpcEndpointServiceLimitExceeded"), s("An AWS quota is reached")],
            partial: true,
            ..Case::default()
        },
    ];
    assert!(cases.len() >= 30, "the catalogue has {} cases", cases.len());
    for case in &cases {
        check(&emulator, case);
        if case.partial {
            // What a refused setup left is the deployment's own: teardown removes it.
            let teardown = emulator
                .plink()
                .args(["teardown", "--region", region, "--name", "orders-db", "--yes"])
                .output()
                .unwrap();
            assert!(teardown.status.success(), "{}: teardown of the part made", case.what);
        }
        assert_eq!(state::tagged_resources(&emulator, region).await, Vec::<String>::new(), "{}", case.what);
    }
}
