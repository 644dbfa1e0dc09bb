//! Bad input is refused before anything is created: one clear message naming the flag,
//! the documented exit code, and no mutating call to AWS.

mod support;

use support::{AIRBYTE_ACCOUNT, Emulator, replace, setup_args, state};

struct Case {
    what: &'static str,
    args: Vec<String>,
    exit_code: i32,
    /// Every one of these must appear in stderr.
    says: Vec<String>,
}

fn check(emulator: &Emulator, case: &Case) {
    let output = emulator.plink().args(&case.args).output().expect("run airbyte-plink");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(case.exit_code), "{}: exit code; stderr:\n{stderr}", case.what);
    for needle in &case.says {
        assert!(stderr.contains(needle.as_str()), "{}: stderr lacks {needle:?}:\n{stderr}", case.what);
    }
    assert!(output.stdout.is_empty(), "{}: no result on stdout", case.what);
}

async fn other_vpc_default_security_group(emulator: &Emulator, region: &str, vpc: &str) -> String {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(region).await);
    let groups = ec2.describe_security_groups().filters(state::filter("vpc-id", vpc)).send().await.unwrap();
    groups.security_groups()[0].group_id().unwrap().to_string()
}

#[tokio::test]
async fn every_preflight_refusal_names_the_flag_and_creates_nothing() {
    let region = "us-west-2";
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
    let foreign_group = other_vpc_default_security_group(&emulator, region, &seed.other_vpc_id).await;
    let missing_id = "0123456789abcdef0";
    let s = |text: &str| text.to_string();

    let cases = vec![
        Case {
            what: "a public subnet",
            args: replace(base(), "--subnets", &format!("{},{}", seed.private_subnets[0], seed.public_subnet)),
            exit_code: 2,
            says: vec![format!(
                "--subnets: subnet {} ({}) is public: route table {} sends 0.0.0.0/0 to internet gateway {}",
                seed.public_subnet, "usw2-az2", seed.public_route_table, seed.internet_gateway
            )],
        },
        Case {
            what: "a subnet of another VPC",
            args: replace(base(), "--subnets", &format!("{},{}", seed.private_subnets[0], seed.other_vpc_subnet)),
            exit_code: 2,
            says: vec![format!(
                "--subnets: subnet {} is in {}, not in {}",
                seed.other_vpc_subnet, seed.other_vpc_id, seed.vpc_id
            )],
        },
        Case {
            what: "two subnets in one AZ",
            args: replace(base(), "--subnets", &format!("{},{}", seed.private_subnets[0], seed.private_subnet_same_az)),
            exit_code: 2,
            says: vec![s("--subnets: subnets"), s("one subnet per AZ")],
        },
        Case {
            what: "a subnet that does not exist",
            args: replace(base(), "--subnets", &format!("{},subnet-{missing_id}", seed.private_subnets[0])),
            exit_code: 2,
            says: vec![format!("--subnets: subnet subnet-{missing_id} does not exist in {region}")],
        },
        Case {
            what: "a VPC that does not exist",
            args: replace(base(), "--vpc-id", &format!("vpc-{missing_id}")),
            exit_code: 2,
            says: vec![format!("--vpc-id: VPC vpc-{missing_id} does not exist in {region}")],
        },
        Case {
            what: "an IP target outside the VPC",
            args: replace(base(), "--target", "10.9.0.5"),
            exit_code: 2,
            says: vec![s("--target: 10.9.0.5 is outside"), s("--allow-targets-outside-vpc")],
        },
        Case {
            what: "a public IP target",
            args: replace(base(), "--target", "8.8.8.8"),
            exit_code: 2,
            says: vec![s("--target: 8.8.8.8 is not a private address")],
        },
        Case {
            what: "a hostname resolving to a public address",
            args: with_dns(replace(base(), "--target", "public.example.com")),
            exit_code: 2,
            says: vec![s("--target: public.example.com resolves to 52.1.2.3, which is not a private address")],
        },
        Case {
            what: "a hostname resolving to loopback",
            args: with_dns(replace(base(), "--target", "loopback.example.com")),
            exit_code: 2,
            says: vec![s("--target: loopback.example.com resolves to 127.0.0.1, which is a loopback address")],
        },
        Case {
            what: "a hostname that does not resolve",
            args: with_dns(replace(base(), "--target", "missing.example.com")),
            exit_code: 2,
            says: vec![s("--target: missing.example.com does not resolve"), s("--dns-server")],
        },
        Case {
            what: "an instance that does not exist",
            args: replace(base(), "--target", &format!("i-{missing_id}")),
            exit_code: 2,
            says: vec![format!("--target: instance i-{missing_id} does not exist in {region}")],
        },
        Case {
            what: "a database security group of another VPC",
            args: [base(), vec![s("--db-security-group"), foreign_group.clone()]].concat(),
            exit_code: 2,
            says: vec![format!("--db-security-group: security group {foreign_group} is in {}", seed.other_vpc_id)],
        },
        Case {
            what: "a database security group that does not exist",
            args: [base(), vec![s("--db-security-group"), format!("sg-{missing_id}")]].concat(),
            exit_code: 2,
            says: vec![format!("--db-security-group: security group sg-{missing_id} does not exist")],
        },
        Case {
            what: "a region AWS does not have",
            args: replace(base(), "--region", "us-east-7"),
            exit_code: 2,
            says: vec![s("--region: us-east-7 is not an AWS region")],
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
        },
    ];
    for case in &cases {
        check(&emulator, case);
    }
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    assert!(state::read(&emulator, region, "orders-db").await.is_empty());
}

#[tokio::test]
async fn input_mistakes_are_refused_before_any_aws_call() {
    let region = "us-west-2";
    let emulator = Emulator::start(&[region]);
    let seed = emulator.seed(region).clone();
    let base = || setup_args(&seed, region, "orders-db");
    let config = |text: &str| {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        file
    };
    let unknown_key = config("name = \"db\"\nsubnet_ids = [\"subnet-1\"]\n");
    let malformed = config("name = \"db\nport = 5432\n");
    let arg = |file: &tempfile::NamedTempFile| file.path().display().to_string();
    let s = |text: &str| text.to_string();

    let cases = vec![
        Case {
            what: "nothing given without a terminal",
            args: vec![s("setup"), s("--no-input"), s("--region"), s(region)],
            exit_code: 2,
            says: ["--name", "--airbyte-region", "--airbyte-account-id", "--target", "--port", "--vpc-id", "--subnets"]
                .iter()
                .map(|flag| format!("{flag} is required when not running interactively"))
                .collect(),
        },
        Case {
            what: "port 0",
            args: replace(base(), "--port", "0"),
            exit_code: 2,
            says: vec![s("--port: 0 is not a TCP port; use 1–65535")],
        },
        Case {
            what: "port 70000",
            args: replace(base(), "--port", "70000"),
            exit_code: 2,
            says: vec![s("--port: 70000 is not a TCP port")],
        },
        Case {
            what: "a port that is not a number",
            args: replace(base(), "--port", "abc"),
            exit_code: 2,
            says: vec![s("'abc' is not a number; use 1–65535"), s("--port")],
        },
        Case {
            what: "an 11-digit account ID",
            args: replace(base(), "--airbyte-account-id", "12345678901"),
            exit_code: 2,
            says: vec![s("--airbyte-account-id: '12345678901' is not an AWS account ID: it must be exactly 12 digits")],
        },
        Case {
            what: "an account ID with letters",
            args: replace(base(), "--airbyte-account-id", "12345678901a"),
            exit_code: 2,
            says: vec![s("--airbyte-account-id: '12345678901a' is not an AWS account ID")],
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
        },
        Case {
            what: "both principal flags",
            args: [base(), vec![s("--airbyte-principal"), format!("arn:aws:iam::{AIRBYTE_ACCOUNT}:root")]].concat(),
            exit_code: 2,
            says: vec![s("--airbyte-principal"), s("cannot be used with")],
        },
        Case {
            what: "an Airbyte region other than us or eu",
            args: replace(base(), "--airbyte-region", "ap"),
            exit_code: 2,
            says: vec![s(
                "--airbyte-region: 'ap' is not an Airbyte Cloud region; use us (us-east-1) or eu (eu-west-3)",
            )],
        },
        Case {
            what: "a name too long",
            args: replace(base(), "--name", &"a".repeat(33)),
            exit_code: 2,
            says: vec![s("--name:"), s("is 33 characters; AWS allows at most 32")],
        },
        Case {
            what: "a name with invalid characters",
            args: replace(base(), "--name", "orders_db"),
            exit_code: 2,
            says: vec![s("--name: 'orders_db' contains '_'")],
        },
        Case {
            what: "a malformed region name",
            args: replace(base(), "--region", "useast1"),
            exit_code: 2,
            says: vec![s("--region: 'useast1' is not an AWS region name")],
        },
        Case {
            what: "an unknown key in the config file",
            args: vec![s("setup"), s("--no-input"), s("--config"), arg(&unknown_key)],
            exit_code: 2,
            says: vec![s("--config:"), s("line 2: unknown field `subnet_ids`")],
        },
        Case {
            what: "malformed TOML",
            args: vec![s("setup"), s("--no-input"), s("--config"), arg(&malformed)],
            exit_code: 2,
            says: vec![s("--config:"), s("line 1")],
        },
        Case {
            what: "a config file that does not exist",
            args: vec![s("setup"), s("--no-input"), s("--config"), s("/nonexistent/plink.toml")],
            exit_code: 2,
            says: vec![s("--config: cannot read /nonexistent/plink.toml")],
        },
        Case {
            what: "an invalid extra tag",
            args: [base(), vec![s("--tag"), s("novalue")]].concat(),
            exit_code: 2,
            says: vec![s("--tag"), s("'novalue' is not KEY=VALUE")],
        },
    ];
    for case in &cases {
        check(&emulator, case);
    }
    assert!(emulator.requests().iter().all(|r| r.access_key != support::TOOL_ACCESS_KEY), "no AWS call was made");
}

#[tokio::test]
async fn missing_credentials_exit_4_with_how_to_provide_them() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let output = emulator
        .plink()
        .args(setup_args(seed, "us-west-2", "orders-db"))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("no usable AWS credentials"), "{stderr}");
    assert!(stderr.contains("--profile"), "{stderr}");
    assert!(emulator.requests().is_empty());
}

#[tokio::test]
async fn access_denied_on_a_read_names_the_iam_action_and_exits_4() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    emulator.deny(&["DescribeSubnets"]);
    let output = emulator.plink().args(setup_args(seed, "us-west-2", "orders-db")).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("AWS denied ec2:DescribeSubnets"), "{stderr}");
    assert!(stderr.contains("Grant the IAM action ec2:DescribeSubnets"), "{stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}
