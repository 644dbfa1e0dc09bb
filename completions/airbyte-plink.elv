
use builtin;
use str;

set edit:completion:arg-completer[airbyte-plink] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'airbyte-plink'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'airbyte-plink'= {
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand setup 'Create or update the PrivateLink stack for a database and print the service name for Airbyte'
            cand plan 'Show what setup would change, without changing anything; --out saves it for `setup --plan`'
            cand accept 'Accept Airbyte''s pending connection to the endpoint service'
            cand status 'Show deployments with their resources, connections and target health'
            cand verify 'Check a deployment end to end, read-only; exit 3 when a check fails'
            cand sync-targets 'Re-resolve hostname targets and register the database''s current addresses'
            cand teardown 'Remove a deployment: reject connections, delete the service, listener, load balancer, target group and rules'
            cand iam-policy 'Print the least-privilege IAM policy (JSON) for the commands you will run'
            cand export 'Print a deployment as infrastructure-as-code, instead of creating it'
            cand completions 'Print the shell completion script for bash, zsh, fish, powershell or elvish'
            cand man 'Write the man pages (airbyte-plink.1 and one per command) into a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'airbyte-plink;setup'= {
            cand -c 'TOML file with the spec; flags override its values'
            cand --config 'TOML file with the spec; flags override its values'
            cand --name 'Deployment name, used for resource names and tags (≤32 letters, digits, hyphens)'
            cand --airbyte-region 'Where your Airbyte Cloud workspace runs: us (us-east-1) or eu (eu-west-3)'
            cand --airbyte-account-id 'Airbyte''s 12-digit AWS account ID (allowed as arn:aws:iam::<id>:root)'
            cand --airbyte-principal 'A full IAM role or user ARN to allow instead of the account root'
            cand --target 'Database target: IPv4 address, EC2 instance ID (i-…) or DNS hostname; repeatable or comma-separated'
            cand --port 'TCP port the database listens on'
            cand --vpc-id 'VPC of the database'
            cand --subnets 'Private subnets for the load balancer, one per AZ; repeatable or comma-separated'
            cand --db-security-group 'The database''s security group: setup lets the load balancer''s own group in on the port'
            cand --tag 'Extra tag for every resource; repeatable'
            cand --database-kind 'The kind of database, told to Airbyte: postgres, mysql, mariadb, sqlserver or oracle (RDS says it for its own)'
            cand --health-check-interval 'Seconds between the load balancer''s TCP health checks, 5–300 [default: 30]'
            cand --healthy-threshold 'Health checks in a row that make a target healthy, 2–10 [default: 2]'
            cand --unhealthy-threshold 'Health checks in a row that make a target unhealthy, 2–10 [default: 3]'
            cand --follow-every 'Minutes between the follower''s scheduled runs, 1–1440 [default: 5]'
            cand --alarm-topic 'SNS topic the alarm notifies when the target group has no healthy target'
            cand --idle-timeout 'Seconds a connection may carry no data before the load balancer forgets it, 60–6000 [default: 350, AWS''s]; not with an Airbyte region other than the deployment''s, which AWS does not support'
            cand --database 'Another database behind the same load balancer and endpoint service, on its own listener port (the database''s port unless @LISTENER_PORT); repeatable'
            cand --save-config 'Write the resolved spec to this TOML file (for `--config` in later runs)'
            cand --out 'With --dry-run: save the plan to this file, for `setup --plan FILE`'
            cand --plan 'Apply a plan saved with `plan --out FILE`, exactly, without the spec; refused if the deployment changed since'
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --no-cross-zone 'Turn cross-zone load balancing off (on by default, so every AZ reaches the database)'
            cand --cross-zone 'Turn cross-zone load balancing on (the default; overrides the config file)'
            cand --no-acceptance-required 'Accept connections without review (by default each must be accepted)'
            cand --acceptance-required 'Require accepting each connection (the default; overrides the config file)'
            cand --allow-targets-outside-vpc 'Accept IP targets outside the VPC''s CIDRs (reachable through peering or VPN)'
            cand --follow 'Keep the targets on the database''s current addresses with a Lambda function run on its RDS events and a schedule, with an alarm when no target is healthy (the default for an RDS or Aurora hostname)'
            cand --no-follow 'No follower and no alarm: run `sync-targets` yourself after a failover'
            cand --dry-run 'Show the plan and the resolved configuration (reusable with --config), change nothing'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;plan'= {
            cand -c 'TOML file with the spec; flags override its values'
            cand --config 'TOML file with the spec; flags override its values'
            cand --name 'Deployment name, used for resource names and tags (≤32 letters, digits, hyphens)'
            cand --airbyte-region 'Where your Airbyte Cloud workspace runs: us (us-east-1) or eu (eu-west-3)'
            cand --airbyte-account-id 'Airbyte''s 12-digit AWS account ID (allowed as arn:aws:iam::<id>:root)'
            cand --airbyte-principal 'A full IAM role or user ARN to allow instead of the account root'
            cand --target 'Database target: IPv4 address, EC2 instance ID (i-…) or DNS hostname; repeatable or comma-separated'
            cand --port 'TCP port the database listens on'
            cand --vpc-id 'VPC of the database'
            cand --subnets 'Private subnets for the load balancer, one per AZ; repeatable or comma-separated'
            cand --db-security-group 'The database''s security group: setup lets the load balancer''s own group in on the port'
            cand --tag 'Extra tag for every resource; repeatable'
            cand --database-kind 'The kind of database, told to Airbyte: postgres, mysql, mariadb, sqlserver or oracle (RDS says it for its own)'
            cand --health-check-interval 'Seconds between the load balancer''s TCP health checks, 5–300 [default: 30]'
            cand --healthy-threshold 'Health checks in a row that make a target healthy, 2–10 [default: 2]'
            cand --unhealthy-threshold 'Health checks in a row that make a target unhealthy, 2–10 [default: 3]'
            cand --follow-every 'Minutes between the follower''s scheduled runs, 1–1440 [default: 5]'
            cand --alarm-topic 'SNS topic the alarm notifies when the target group has no healthy target'
            cand --idle-timeout 'Seconds a connection may carry no data before the load balancer forgets it, 60–6000 [default: 350, AWS''s]; not with an Airbyte region other than the deployment''s, which AWS does not support'
            cand --database 'Another database behind the same load balancer and endpoint service, on its own listener port (the database''s port unless @LISTENER_PORT); repeatable'
            cand --out 'Save the plan to this file, for `setup --plan FILE` (reviewable JSON)'
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --no-cross-zone 'Turn cross-zone load balancing off (on by default, so every AZ reaches the database)'
            cand --cross-zone 'Turn cross-zone load balancing on (the default; overrides the config file)'
            cand --no-acceptance-required 'Accept connections without review (by default each must be accepted)'
            cand --acceptance-required 'Require accepting each connection (the default; overrides the config file)'
            cand --allow-targets-outside-vpc 'Accept IP targets outside the VPC''s CIDRs (reachable through peering or VPN)'
            cand --follow 'Keep the targets on the database''s current addresses with a Lambda function run on its RDS events and a schedule, with an alarm when no target is healthy (the default for an RDS or Aurora hostname)'
            cand --no-follow 'No follower and no alarm: run `sync-targets` yourself after a failover'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;accept'= {
            cand --name 'Deployment name (optional when the region has exactly one)'
            cand --timeout 'How long --wait waits (e.g. 90s, 15m, 1h)'
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --wait 'Wait until Airbyte''s connection request arrives, then accept it'
            cand --reject-others 'Also reject pending connections from other accounts'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;status'= {
            cand --name 'Deployment name (optional when the region has exactly one)'
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --all 'Every deployment in the region (the default without --name)'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;verify'= {
            cand --name 'Deployment name (optional when the region has exactly one)'
            cand --service-id 'The endpoint service to verify, instead of --name'
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --strict 'Warnings fail too (exit 3)'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;sync-targets'= {
            cand --name 'Deployment name (optional when the region has exactly one)'
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --dry-run 'Show the change, make none'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;teardown'= {
            cand --name 'Deployment name (optional when the region has exactly one)'
            cand --out 'With --dry-run: save the removal plan to this file, for `teardown --plan FILE`'
            cand --plan 'Apply a removal plan saved with `teardown --dry-run --out FILE`, refused if the deployment changed since'
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --dry-run 'Show what would be removed, without removing anything'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;iam-policy'= {
            cand --for 'The commands the identity will run; repeatable or comma-separated'
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;export'= {
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand cloudformation 'A CloudFormation template (JSON) with the resources setup would create for the spec, and the values to hand to Airbyte as outputs'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'airbyte-plink;export;cloudformation'= {
            cand -c 'TOML file with the spec; flags override its values'
            cand --config 'TOML file with the spec; flags override its values'
            cand --name 'Deployment name, used for resource names and tags (≤32 letters, digits, hyphens)'
            cand --airbyte-region 'Where your Airbyte Cloud workspace runs: us (us-east-1) or eu (eu-west-3)'
            cand --airbyte-account-id 'Airbyte''s 12-digit AWS account ID (allowed as arn:aws:iam::<id>:root)'
            cand --airbyte-principal 'A full IAM role or user ARN to allow instead of the account root'
            cand --target 'Database target: IPv4 address, EC2 instance ID (i-…) or DNS hostname; repeatable or comma-separated'
            cand --port 'TCP port the database listens on'
            cand --vpc-id 'VPC of the database'
            cand --subnets 'Private subnets for the load balancer, one per AZ; repeatable or comma-separated'
            cand --db-security-group 'The database''s security group: setup lets the load balancer''s own group in on the port'
            cand --tag 'Extra tag for every resource; repeatable'
            cand --database-kind 'The kind of database, told to Airbyte: postgres, mysql, mariadb, sqlserver or oracle (RDS says it for its own)'
            cand --health-check-interval 'Seconds between the load balancer''s TCP health checks, 5–300 [default: 30]'
            cand --healthy-threshold 'Health checks in a row that make a target healthy, 2–10 [default: 2]'
            cand --unhealthy-threshold 'Health checks in a row that make a target unhealthy, 2–10 [default: 3]'
            cand --follow-every 'Minutes between the follower''s scheduled runs, 1–1440 [default: 5]'
            cand --alarm-topic 'SNS topic the alarm notifies when the target group has no healthy target'
            cand --idle-timeout 'Seconds a connection may carry no data before the load balancer forgets it, 60–6000 [default: 350, AWS''s]; not with an Airbyte region other than the deployment''s, which AWS does not support'
            cand --database 'Another database behind the same load balancer and endpoint service, on its own listener port (the database''s port unless @LISTENER_PORT); repeatable'
            cand --from-deployment 'Start from the spec of this existing deployment (as setup recorded it); flags override it'
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --no-cross-zone 'Turn cross-zone load balancing off (on by default, so every AZ reaches the database)'
            cand --cross-zone 'Turn cross-zone load balancing on (the default; overrides the config file)'
            cand --no-acceptance-required 'Accept connections without review (by default each must be accepted)'
            cand --acceptance-required 'Require accepting each connection (the default; overrides the config file)'
            cand --allow-targets-outside-vpc 'Accept IP targets outside the VPC''s CIDRs (reachable through peering or VPN)'
            cand --follow 'Keep the targets on the database''s current addresses with a Lambda function run on its RDS events and a schedule, with an alarm when no target is healthy (the default for an RDS or Aurora hostname)'
            cand --no-follow 'No follower and no alarm: run `sync-targets` yourself after a failover'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;export;help'= {
            cand cloudformation 'A CloudFormation template (JSON) with the resources setup would create for the spec, and the values to hand to Airbyte as outputs'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'airbyte-plink;export;help;cloudformation'= {
        }
        &'airbyte-plink;export;help;help'= {
        }
        &'airbyte-plink;completions'= {
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;man'= {
            cand --out-dir 'Where to write the pages'
            cand --profile 'AWS profile to use (as for the AWS CLI)'
            cand --region 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)'
            cand --endpoint-url 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)'
            cand --output 'Output format of results on stdout'
            cand --dns-server 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s'
            cand --no-input 'Never prompt; fail instead when something is missing'
            cand -y 'Apply (or tear down) without asking for confirmation'
            cand --yes 'Apply (or tear down) without asking for confirmation'
            cand -v 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand --verbose 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'airbyte-plink;help'= {
            cand setup 'Create or update the PrivateLink stack for a database and print the service name for Airbyte'
            cand plan 'Show what setup would change, without changing anything; --out saves it for `setup --plan`'
            cand accept 'Accept Airbyte''s pending connection to the endpoint service'
            cand status 'Show deployments with their resources, connections and target health'
            cand verify 'Check a deployment end to end, read-only; exit 3 when a check fails'
            cand sync-targets 'Re-resolve hostname targets and register the database''s current addresses'
            cand teardown 'Remove a deployment: reject connections, delete the service, listener, load balancer, target group and rules'
            cand iam-policy 'Print the least-privilege IAM policy (JSON) for the commands you will run'
            cand export 'Print a deployment as infrastructure-as-code, instead of creating it'
            cand completions 'Print the shell completion script for bash, zsh, fish, powershell or elvish'
            cand man 'Write the man pages (airbyte-plink.1 and one per command) into a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'airbyte-plink;help;setup'= {
        }
        &'airbyte-plink;help;plan'= {
        }
        &'airbyte-plink;help;accept'= {
        }
        &'airbyte-plink;help;status'= {
        }
        &'airbyte-plink;help;verify'= {
        }
        &'airbyte-plink;help;sync-targets'= {
        }
        &'airbyte-plink;help;teardown'= {
        }
        &'airbyte-plink;help;iam-policy'= {
        }
        &'airbyte-plink;help;export'= {
            cand cloudformation 'A CloudFormation template (JSON) with the resources setup would create for the spec, and the values to hand to Airbyte as outputs'
        }
        &'airbyte-plink;help;export;cloudformation'= {
        }
        &'airbyte-plink;help;completions'= {
        }
        &'airbyte-plink;help;man'= {
        }
        &'airbyte-plink;help;help'= {
        }
    ]
    $completions[$command]
}
