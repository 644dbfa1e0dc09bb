
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'airbyte-plink' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'airbyte-plink'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'airbyte-plink' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create or update the PrivateLink stack for a database and print the service name for Airbyte')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show what setup would change, without changing anything; --out saves it for `setup --plan`')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Accept Airbyte''s pending connection to the endpoint service')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show deployments with their resources, connections and target health')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a deployment end to end, read-only; exit 3 when a check fails')
            [CompletionResult]::new('sync-targets', 'sync-targets', [CompletionResultType]::ParameterValue, 'Re-resolve hostname targets and register the database''s current addresses')
            [CompletionResult]::new('teardown', 'teardown', [CompletionResultType]::ParameterValue, 'Remove a deployment: reject connections, delete the service, listener, load balancer, target group and rules')
            [CompletionResult]::new('iam-policy', 'iam-policy', [CompletionResultType]::ParameterValue, 'Print the least-privilege IAM policy (JSON) for the commands you will run')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a deployment as infrastructure-as-code, instead of creating it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for bash, zsh, fish, powershell or elvish')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages (airbyte-plink.1 and one per command) into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'airbyte-plink;setup' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'TOML file with the spec; flags override its values')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML file with the spec; flags override its values')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Deployment name, used for resource names and tags (≤32 letters, digits, hyphens)')
            [CompletionResult]::new('--airbyte-region', '--airbyte-region', [CompletionResultType]::ParameterName, 'Where your Airbyte Cloud workspace runs: us (us-east-1) or eu (eu-west-3)')
            [CompletionResult]::new('--airbyte-account-id', '--airbyte-account-id', [CompletionResultType]::ParameterName, 'Airbyte''s 12-digit AWS account ID (allowed as arn:aws:iam::<id>:root)')
            [CompletionResult]::new('--airbyte-principal', '--airbyte-principal', [CompletionResultType]::ParameterName, 'A full IAM role or user ARN to allow instead of the account root')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Database target: IPv4 address, EC2 instance ID (i-…) or DNS hostname; repeatable or comma-separated')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'TCP port the database listens on')
            [CompletionResult]::new('--vpc-id', '--vpc-id', [CompletionResultType]::ParameterName, 'VPC of the database')
            [CompletionResult]::new('--subnets', '--subnets', [CompletionResultType]::ParameterName, 'Private subnets for the load balancer, one per AZ; repeatable or comma-separated')
            [CompletionResult]::new('--db-security-group', '--db-security-group', [CompletionResultType]::ParameterName, 'The database''s security group: setup lets the load balancer''s own group in on the port')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Extra tag for every resource; repeatable')
            [CompletionResult]::new('--database-kind', '--database-kind', [CompletionResultType]::ParameterName, 'The kind of database, told to Airbyte: postgres, mysql, mariadb, sqlserver or oracle (RDS says it for its own)')
            [CompletionResult]::new('--health-check-interval', '--health-check-interval', [CompletionResultType]::ParameterName, 'Seconds between the load balancer''s TCP health checks, 5–300 [default: 30]')
            [CompletionResult]::new('--healthy-threshold', '--healthy-threshold', [CompletionResultType]::ParameterName, 'Health checks in a row that make a target healthy, 2–10 [default: 2]')
            [CompletionResult]::new('--unhealthy-threshold', '--unhealthy-threshold', [CompletionResultType]::ParameterName, 'Health checks in a row that make a target unhealthy, 2–10 [default: 3]')
            [CompletionResult]::new('--follow-every', '--follow-every', [CompletionResultType]::ParameterName, 'Minutes between the follower''s scheduled runs, 1–1440 [default: 5]')
            [CompletionResult]::new('--alarm-topic', '--alarm-topic', [CompletionResultType]::ParameterName, 'SNS topic the alarm notifies when the target group has no healthy target')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Seconds a connection may carry no data before the load balancer forgets it, 60–6000 [default: 350, AWS''s]; not with an Airbyte region other than the deployment''s, which AWS does not support')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Another database behind the same load balancer and endpoint service, on its own listener port (the database''s port unless @LISTENER_PORT); repeatable')
            [CompletionResult]::new('--save-config', '--save-config', [CompletionResultType]::ParameterName, 'Write the resolved spec to this TOML file (for `--config` in later runs)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'With --dry-run: save the plan to this file, for `setup --plan FILE`')
            [CompletionResult]::new('--plan', '--plan', [CompletionResultType]::ParameterName, 'Apply a plan saved with `plan --out FILE`, exactly, without the spec; refused if the deployment changed since')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--no-cross-zone', '--no-cross-zone', [CompletionResultType]::ParameterName, 'Turn cross-zone load balancing off (on by default, so every AZ reaches the database)')
            [CompletionResult]::new('--cross-zone', '--cross-zone', [CompletionResultType]::ParameterName, 'Turn cross-zone load balancing on (the default; overrides the config file)')
            [CompletionResult]::new('--no-acceptance-required', '--no-acceptance-required', [CompletionResultType]::ParameterName, 'Accept connections without review (by default each must be accepted)')
            [CompletionResult]::new('--acceptance-required', '--acceptance-required', [CompletionResultType]::ParameterName, 'Require accepting each connection (the default; overrides the config file)')
            [CompletionResult]::new('--allow-targets-outside-vpc', '--allow-targets-outside-vpc', [CompletionResultType]::ParameterName, 'Accept IP targets outside the VPC''s CIDRs (reachable through peering or VPN)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep the targets on the database''s current addresses with a Lambda function run on its RDS events and a schedule, with an alarm when no target is healthy (the default for an RDS or Aurora hostname)')
            [CompletionResult]::new('--no-follow', '--no-follow', [CompletionResultType]::ParameterName, 'No follower and no alarm: run `sync-targets` yourself after a failover')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and the resolved configuration (reusable with --config), change nothing')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;plan' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'TOML file with the spec; flags override its values')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML file with the spec; flags override its values')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Deployment name, used for resource names and tags (≤32 letters, digits, hyphens)')
            [CompletionResult]::new('--airbyte-region', '--airbyte-region', [CompletionResultType]::ParameterName, 'Where your Airbyte Cloud workspace runs: us (us-east-1) or eu (eu-west-3)')
            [CompletionResult]::new('--airbyte-account-id', '--airbyte-account-id', [CompletionResultType]::ParameterName, 'Airbyte''s 12-digit AWS account ID (allowed as arn:aws:iam::<id>:root)')
            [CompletionResult]::new('--airbyte-principal', '--airbyte-principal', [CompletionResultType]::ParameterName, 'A full IAM role or user ARN to allow instead of the account root')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Database target: IPv4 address, EC2 instance ID (i-…) or DNS hostname; repeatable or comma-separated')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'TCP port the database listens on')
            [CompletionResult]::new('--vpc-id', '--vpc-id', [CompletionResultType]::ParameterName, 'VPC of the database')
            [CompletionResult]::new('--subnets', '--subnets', [CompletionResultType]::ParameterName, 'Private subnets for the load balancer, one per AZ; repeatable or comma-separated')
            [CompletionResult]::new('--db-security-group', '--db-security-group', [CompletionResultType]::ParameterName, 'The database''s security group: setup lets the load balancer''s own group in on the port')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Extra tag for every resource; repeatable')
            [CompletionResult]::new('--database-kind', '--database-kind', [CompletionResultType]::ParameterName, 'The kind of database, told to Airbyte: postgres, mysql, mariadb, sqlserver or oracle (RDS says it for its own)')
            [CompletionResult]::new('--health-check-interval', '--health-check-interval', [CompletionResultType]::ParameterName, 'Seconds between the load balancer''s TCP health checks, 5–300 [default: 30]')
            [CompletionResult]::new('--healthy-threshold', '--healthy-threshold', [CompletionResultType]::ParameterName, 'Health checks in a row that make a target healthy, 2–10 [default: 2]')
            [CompletionResult]::new('--unhealthy-threshold', '--unhealthy-threshold', [CompletionResultType]::ParameterName, 'Health checks in a row that make a target unhealthy, 2–10 [default: 3]')
            [CompletionResult]::new('--follow-every', '--follow-every', [CompletionResultType]::ParameterName, 'Minutes between the follower''s scheduled runs, 1–1440 [default: 5]')
            [CompletionResult]::new('--alarm-topic', '--alarm-topic', [CompletionResultType]::ParameterName, 'SNS topic the alarm notifies when the target group has no healthy target')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Seconds a connection may carry no data before the load balancer forgets it, 60–6000 [default: 350, AWS''s]; not with an Airbyte region other than the deployment''s, which AWS does not support')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Another database behind the same load balancer and endpoint service, on its own listener port (the database''s port unless @LISTENER_PORT); repeatable')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Save the plan to this file, for `setup --plan FILE` (reviewable JSON)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--no-cross-zone', '--no-cross-zone', [CompletionResultType]::ParameterName, 'Turn cross-zone load balancing off (on by default, so every AZ reaches the database)')
            [CompletionResult]::new('--cross-zone', '--cross-zone', [CompletionResultType]::ParameterName, 'Turn cross-zone load balancing on (the default; overrides the config file)')
            [CompletionResult]::new('--no-acceptance-required', '--no-acceptance-required', [CompletionResultType]::ParameterName, 'Accept connections without review (by default each must be accepted)')
            [CompletionResult]::new('--acceptance-required', '--acceptance-required', [CompletionResultType]::ParameterName, 'Require accepting each connection (the default; overrides the config file)')
            [CompletionResult]::new('--allow-targets-outside-vpc', '--allow-targets-outside-vpc', [CompletionResultType]::ParameterName, 'Accept IP targets outside the VPC''s CIDRs (reachable through peering or VPN)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep the targets on the database''s current addresses with a Lambda function run on its RDS events and a schedule, with an alarm when no target is healthy (the default for an RDS or Aurora hostname)')
            [CompletionResult]::new('--no-follow', '--no-follow', [CompletionResultType]::ParameterName, 'No follower and no alarm: run `sync-targets` yourself after a failover')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;accept' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Deployment name (optional when the region has exactly one)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits (e.g. 90s, 15m, 1h)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until Airbyte''s connection request arrives, then accept it')
            [CompletionResult]::new('--reject-others', '--reject-others', [CompletionResultType]::ParameterName, 'Also reject pending connections from other accounts')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;status' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Deployment name (optional when the region has exactly one)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every deployment in the region (the default without --name)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;verify' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Deployment name (optional when the region has exactly one)')
            [CompletionResult]::new('--service-id', '--service-id', [CompletionResultType]::ParameterName, 'The endpoint service to verify, instead of --name')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Warnings fail too (exit 3)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;sync-targets' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Deployment name (optional when the region has exactly one)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the change, make none')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;teardown' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Deployment name (optional when the region has exactly one)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'With --dry-run: save the removal plan to this file, for `teardown --plan FILE`')
            [CompletionResult]::new('--plan', '--plan', [CompletionResultType]::ParameterName, 'Apply a removal plan saved with `teardown --dry-run --out FILE`, refused if the deployment changed since')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be removed, without removing anything')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;iam-policy' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'The commands the identity will run; repeatable or comma-separated')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;export' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('cloudformation', 'cloudformation', [CompletionResultType]::ParameterValue, 'A CloudFormation template (JSON) with the resources setup would create for the spec, and the values to hand to Airbyte as outputs')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'airbyte-plink;export;cloudformation' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'TOML file with the spec; flags override its values')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML file with the spec; flags override its values')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Deployment name, used for resource names and tags (≤32 letters, digits, hyphens)')
            [CompletionResult]::new('--airbyte-region', '--airbyte-region', [CompletionResultType]::ParameterName, 'Where your Airbyte Cloud workspace runs: us (us-east-1) or eu (eu-west-3)')
            [CompletionResult]::new('--airbyte-account-id', '--airbyte-account-id', [CompletionResultType]::ParameterName, 'Airbyte''s 12-digit AWS account ID (allowed as arn:aws:iam::<id>:root)')
            [CompletionResult]::new('--airbyte-principal', '--airbyte-principal', [CompletionResultType]::ParameterName, 'A full IAM role or user ARN to allow instead of the account root')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Database target: IPv4 address, EC2 instance ID (i-…) or DNS hostname; repeatable or comma-separated')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'TCP port the database listens on')
            [CompletionResult]::new('--vpc-id', '--vpc-id', [CompletionResultType]::ParameterName, 'VPC of the database')
            [CompletionResult]::new('--subnets', '--subnets', [CompletionResultType]::ParameterName, 'Private subnets for the load balancer, one per AZ; repeatable or comma-separated')
            [CompletionResult]::new('--db-security-group', '--db-security-group', [CompletionResultType]::ParameterName, 'The database''s security group: setup lets the load balancer''s own group in on the port')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Extra tag for every resource; repeatable')
            [CompletionResult]::new('--database-kind', '--database-kind', [CompletionResultType]::ParameterName, 'The kind of database, told to Airbyte: postgres, mysql, mariadb, sqlserver or oracle (RDS says it for its own)')
            [CompletionResult]::new('--health-check-interval', '--health-check-interval', [CompletionResultType]::ParameterName, 'Seconds between the load balancer''s TCP health checks, 5–300 [default: 30]')
            [CompletionResult]::new('--healthy-threshold', '--healthy-threshold', [CompletionResultType]::ParameterName, 'Health checks in a row that make a target healthy, 2–10 [default: 2]')
            [CompletionResult]::new('--unhealthy-threshold', '--unhealthy-threshold', [CompletionResultType]::ParameterName, 'Health checks in a row that make a target unhealthy, 2–10 [default: 3]')
            [CompletionResult]::new('--follow-every', '--follow-every', [CompletionResultType]::ParameterName, 'Minutes between the follower''s scheduled runs, 1–1440 [default: 5]')
            [CompletionResult]::new('--alarm-topic', '--alarm-topic', [CompletionResultType]::ParameterName, 'SNS topic the alarm notifies when the target group has no healthy target')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Seconds a connection may carry no data before the load balancer forgets it, 60–6000 [default: 350, AWS''s]; not with an Airbyte region other than the deployment''s, which AWS does not support')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Another database behind the same load balancer and endpoint service, on its own listener port (the database''s port unless @LISTENER_PORT); repeatable')
            [CompletionResult]::new('--from-deployment', '--from-deployment', [CompletionResultType]::ParameterName, 'Start from the spec of this existing deployment (as setup recorded it); flags override it')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--no-cross-zone', '--no-cross-zone', [CompletionResultType]::ParameterName, 'Turn cross-zone load balancing off (on by default, so every AZ reaches the database)')
            [CompletionResult]::new('--cross-zone', '--cross-zone', [CompletionResultType]::ParameterName, 'Turn cross-zone load balancing on (the default; overrides the config file)')
            [CompletionResult]::new('--no-acceptance-required', '--no-acceptance-required', [CompletionResultType]::ParameterName, 'Accept connections without review (by default each must be accepted)')
            [CompletionResult]::new('--acceptance-required', '--acceptance-required', [CompletionResultType]::ParameterName, 'Require accepting each connection (the default; overrides the config file)')
            [CompletionResult]::new('--allow-targets-outside-vpc', '--allow-targets-outside-vpc', [CompletionResultType]::ParameterName, 'Accept IP targets outside the VPC''s CIDRs (reachable through peering or VPN)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep the targets on the database''s current addresses with a Lambda function run on its RDS events and a schedule, with an alarm when no target is healthy (the default for an RDS or Aurora hostname)')
            [CompletionResult]::new('--no-follow', '--no-follow', [CompletionResultType]::ParameterName, 'No follower and no alarm: run `sync-targets` yourself after a failover')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;export;help' {
            [CompletionResult]::new('cloudformation', 'cloudformation', [CompletionResultType]::ParameterValue, 'A CloudFormation template (JSON) with the resources setup would create for the spec, and the values to hand to Airbyte as outputs')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'airbyte-plink;export;help;cloudformation' {
            break
        }
        'airbyte-plink;export;help;help' {
            break
        }
        'airbyte-plink;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;man' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Where to write the pages')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile to use (as for the AWS CLI)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the database and the endpoint service (else the config file''s, else AWS_REGION or the profile''s, as for the AWS CLI)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of results on stdout')
            [CompletionResult]::new('--dns-server', '--dns-server', [CompletionResultType]::ParameterName, 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system''s')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail instead when something is missing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply (or tear down) without asking for confirmation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: the tool''s steps, -vv: every AWS request)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'airbyte-plink;help' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create or update the PrivateLink stack for a database and print the service name for Airbyte')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show what setup would change, without changing anything; --out saves it for `setup --plan`')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Accept Airbyte''s pending connection to the endpoint service')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show deployments with their resources, connections and target health')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a deployment end to end, read-only; exit 3 when a check fails')
            [CompletionResult]::new('sync-targets', 'sync-targets', [CompletionResultType]::ParameterValue, 'Re-resolve hostname targets and register the database''s current addresses')
            [CompletionResult]::new('teardown', 'teardown', [CompletionResultType]::ParameterValue, 'Remove a deployment: reject connections, delete the service, listener, load balancer, target group and rules')
            [CompletionResult]::new('iam-policy', 'iam-policy', [CompletionResultType]::ParameterValue, 'Print the least-privilege IAM policy (JSON) for the commands you will run')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a deployment as infrastructure-as-code, instead of creating it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for bash, zsh, fish, powershell or elvish')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages (airbyte-plink.1 and one per command) into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'airbyte-plink;help;setup' {
            break
        }
        'airbyte-plink;help;plan' {
            break
        }
        'airbyte-plink;help;accept' {
            break
        }
        'airbyte-plink;help;status' {
            break
        }
        'airbyte-plink;help;verify' {
            break
        }
        'airbyte-plink;help;sync-targets' {
            break
        }
        'airbyte-plink;help;teardown' {
            break
        }
        'airbyte-plink;help;iam-policy' {
            break
        }
        'airbyte-plink;help;export' {
            [CompletionResult]::new('cloudformation', 'cloudformation', [CompletionResultType]::ParameterValue, 'A CloudFormation template (JSON) with the resources setup would create for the spec, and the values to hand to Airbyte as outputs')
            break
        }
        'airbyte-plink;help;export;cloudformation' {
            break
        }
        'airbyte-plink;help;completions' {
            break
        }
        'airbyte-plink;help;man' {
            break
        }
        'airbyte-plink;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
