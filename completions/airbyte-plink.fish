# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_airbyte_plink_global_optspecs
	string join \n profile= region= endpoint-url= output= no-input y/yes v/verbose dns-server= h/help V/version
end

function __fish_airbyte_plink_needs_command
	# Figure out if the current invocation already has a command.
	set -l cmd (commandline -opc)
	set -e cmd[1]
	argparse -s (__fish_airbyte_plink_global_optspecs) -- $cmd 2>/dev/null
	or return
	if set -q argv[1]
		# Also print the command, so this can be used to figure out what it is.
		echo $argv[1]
		return 1
	end
	return 0
end

function __fish_airbyte_plink_using_subcommand
	set -l cmd (__fish_airbyte_plink_needs_command)
	test -z "$cmd"
	and return 1
	contains -- $cmd[1] $argv
end

complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -s V -l version -d 'Print version'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "setup" -d 'Create or update the PrivateLink stack for a database and print the service name for Airbyte'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "plan" -d 'Show what setup would change, without changing anything; --out saves it for `setup --plan`'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "accept" -d 'Accept Airbyte\'s pending connection to the endpoint service'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "status" -d 'Show deployments with their resources, connections and target health'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "verify" -d 'Check a deployment end to end, read-only; exit 3 when a check fails'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "sync-targets" -d 'Re-resolve hostname targets and register the database\'s current addresses'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "teardown" -d 'Remove a deployment: reject connections, delete the service, listener, load balancer, target group and rules'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "iam-policy" -d 'Print the least-privilege IAM policy (JSON) for the commands you will run'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "export" -d 'Print a deployment as infrastructure-as-code, instead of creating it'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "completions" -d 'Print the shell completion script for bash, zsh, fish, powershell or elvish'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "man" -d 'Write the man pages (airbyte-plink.1 and one per command) into a directory'
complete -c airbyte-plink -n "__fish_airbyte_plink_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -s c -l config -d 'TOML file with the spec; flags override its values' -r -F
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l name -d 'Deployment name, used for resource names and tags (≤32 letters, digits, hyphens)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l airbyte-region -d 'Where your Airbyte Cloud workspace runs: us (us-east-1) or eu (eu-west-3)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l airbyte-account-id -d 'Airbyte\'s 12-digit AWS account ID (allowed as arn:aws:iam::<id>:root)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l airbyte-principal -d 'A full IAM role or user ARN to allow instead of the account root' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l target -d 'Database target: IPv4 address, EC2 instance ID (i-…) or DNS hostname; repeatable or comma-separated' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l port -d 'TCP port the database listens on' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l vpc-id -d 'VPC of the database' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l subnets -d 'Private subnets for the load balancer, one per AZ; repeatable or comma-separated' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l db-security-group -d 'The database\'s security group: setup lets the load balancer\'s own group in on the port' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l tag -d 'Extra tag for every resource; repeatable' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l database-kind -d 'The kind of database, told to Airbyte: postgres, mysql, mariadb, sqlserver or oracle (RDS says it for its own)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l health-check-interval -d 'Seconds between the load balancer\'s TCP health checks, 5–300 [default: 30]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l healthy-threshold -d 'Health checks in a row that make a target healthy, 2–10 [default: 2]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l unhealthy-threshold -d 'Health checks in a row that make a target unhealthy, 2–10 [default: 3]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l follow-every -d 'Minutes between the follower\'s scheduled runs, 1–1440 [default: 5]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l alarm-topic -d 'SNS topic the alarm notifies when the target group has no healthy target' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l idle-timeout -d 'Seconds a connection may carry no data before the load balancer forgets it, 60–6000 [default: 350, AWS\'s]; not with an Airbyte region other than the deployment\'s, which AWS does not support' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l database -d 'Another database behind the same load balancer and endpoint service, on its own listener port (the database\'s port unless @LISTENER_PORT); repeatable' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l save-config -d 'Write the resolved spec to this TOML file (for `--config` in later runs)' -r -F
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l out -d 'With --dry-run: save the plan to this file, for `setup --plan FILE`' -r -F
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l plan -d 'Apply a plan saved with `plan --out FILE`, exactly, without the spec; refused if the deployment changed since' -r -F
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l no-cross-zone -d 'Turn cross-zone load balancing off (on by default, so every AZ reaches the database)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l cross-zone -d 'Turn cross-zone load balancing on (the default; overrides the config file)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l no-acceptance-required -d 'Accept connections without review (by default each must be accepted)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l acceptance-required -d 'Require accepting each connection (the default; overrides the config file)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l allow-targets-outside-vpc -d 'Accept IP targets outside the VPC\'s CIDRs (reachable through peering or VPN)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l follow -d 'Keep the targets on the database\'s current addresses with a Lambda function run on its RDS events and a schedule, with an alarm when no target is healthy (the default for an RDS or Aurora hostname)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l no-follow -d 'No follower and no alarm: run `sync-targets` yourself after a failover'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l dry-run -d 'Show the plan and the resolved configuration (reusable with --config), change nothing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -s c -l config -d 'TOML file with the spec; flags override its values' -r -F
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l name -d 'Deployment name, used for resource names and tags (≤32 letters, digits, hyphens)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l airbyte-region -d 'Where your Airbyte Cloud workspace runs: us (us-east-1) or eu (eu-west-3)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l airbyte-account-id -d 'Airbyte\'s 12-digit AWS account ID (allowed as arn:aws:iam::<id>:root)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l airbyte-principal -d 'A full IAM role or user ARN to allow instead of the account root' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l target -d 'Database target: IPv4 address, EC2 instance ID (i-…) or DNS hostname; repeatable or comma-separated' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l port -d 'TCP port the database listens on' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l vpc-id -d 'VPC of the database' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l subnets -d 'Private subnets for the load balancer, one per AZ; repeatable or comma-separated' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l db-security-group -d 'The database\'s security group: setup lets the load balancer\'s own group in on the port' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l tag -d 'Extra tag for every resource; repeatable' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l database-kind -d 'The kind of database, told to Airbyte: postgres, mysql, mariadb, sqlserver or oracle (RDS says it for its own)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l health-check-interval -d 'Seconds between the load balancer\'s TCP health checks, 5–300 [default: 30]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l healthy-threshold -d 'Health checks in a row that make a target healthy, 2–10 [default: 2]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l unhealthy-threshold -d 'Health checks in a row that make a target unhealthy, 2–10 [default: 3]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l follow-every -d 'Minutes between the follower\'s scheduled runs, 1–1440 [default: 5]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l alarm-topic -d 'SNS topic the alarm notifies when the target group has no healthy target' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l idle-timeout -d 'Seconds a connection may carry no data before the load balancer forgets it, 60–6000 [default: 350, AWS\'s]; not with an Airbyte region other than the deployment\'s, which AWS does not support' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l database -d 'Another database behind the same load balancer and endpoint service, on its own listener port (the database\'s port unless @LISTENER_PORT); repeatable' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l out -d 'Save the plan to this file, for `setup --plan FILE` (reviewable JSON)' -r -F
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l no-cross-zone -d 'Turn cross-zone load balancing off (on by default, so every AZ reaches the database)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l cross-zone -d 'Turn cross-zone load balancing on (the default; overrides the config file)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l no-acceptance-required -d 'Accept connections without review (by default each must be accepted)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l acceptance-required -d 'Require accepting each connection (the default; overrides the config file)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l allow-targets-outside-vpc -d 'Accept IP targets outside the VPC\'s CIDRs (reachable through peering or VPN)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l follow -d 'Keep the targets on the database\'s current addresses with a Lambda function run on its RDS events and a schedule, with an alarm when no target is healthy (the default for an RDS or Aurora hostname)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l no-follow -d 'No follower and no alarm: run `sync-targets` yourself after a failover'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -l name -d 'Deployment name (optional when the region has exactly one)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -l timeout -d 'How long --wait waits (e.g. 90s, 15m, 1h)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -l wait -d 'Wait until Airbyte\'s connection request arrives, then accept it'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -l reject-others -d 'Also reject pending connections from other accounts'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand accept" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -l name -d 'Deployment name (optional when the region has exactly one)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -l all -d 'Every deployment in the region (the default without --name)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -l name -d 'Deployment name (optional when the region has exactly one)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -l service-id -d 'The endpoint service to verify, instead of --name' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -l strict -d 'Warnings fail too (exit 3)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -l name -d 'Deployment name (optional when the region has exactly one)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -l dry-run -d 'Show the change, make none'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand sync-targets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -l name -d 'Deployment name (optional when the region has exactly one)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -l out -d 'With --dry-run: save the removal plan to this file, for `teardown --plan FILE`' -r -F
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -l plan -d 'Apply a removal plan saved with `teardown --dry-run --out FILE`, refused if the deployment changed since' -r -F
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -l dry-run -d 'Show what would be removed, without removing anything'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand teardown" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand iam-policy" -l for -d 'The commands the identity will run; repeatable or comma-separated' -r -f -a "setup\t'`setup`, including the wizard\'s listings; `plan` needs its reads only'
plan\t''
export\t'`export cloudformation`, from a spec or an existing deployment'
accept\t''
status\t''
verify\t''
sync-targets\t''
teardown\t''
all\t'Every command'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand iam-policy" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand iam-policy" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand iam-policy" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand iam-policy" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand iam-policy" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand iam-policy" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand iam-policy" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand iam-policy" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand iam-policy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -f -a "cloudformation" -d 'A CloudFormation template (JSON) with the resources setup would create for the spec, and the values to hand to Airbyte as outputs'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and not __fish_seen_subcommand_from cloudformation help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -s c -l config -d 'TOML file with the spec; flags override its values' -r -F
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l name -d 'Deployment name, used for resource names and tags (≤32 letters, digits, hyphens)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l airbyte-region -d 'Where your Airbyte Cloud workspace runs: us (us-east-1) or eu (eu-west-3)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l airbyte-account-id -d 'Airbyte\'s 12-digit AWS account ID (allowed as arn:aws:iam::<id>:root)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l airbyte-principal -d 'A full IAM role or user ARN to allow instead of the account root' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l target -d 'Database target: IPv4 address, EC2 instance ID (i-…) or DNS hostname; repeatable or comma-separated' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l port -d 'TCP port the database listens on' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l vpc-id -d 'VPC of the database' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l subnets -d 'Private subnets for the load balancer, one per AZ; repeatable or comma-separated' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l db-security-group -d 'The database\'s security group: setup lets the load balancer\'s own group in on the port' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l tag -d 'Extra tag for every resource; repeatable' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l database-kind -d 'The kind of database, told to Airbyte: postgres, mysql, mariadb, sqlserver or oracle (RDS says it for its own)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l health-check-interval -d 'Seconds between the load balancer\'s TCP health checks, 5–300 [default: 30]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l healthy-threshold -d 'Health checks in a row that make a target healthy, 2–10 [default: 2]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l unhealthy-threshold -d 'Health checks in a row that make a target unhealthy, 2–10 [default: 3]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l follow-every -d 'Minutes between the follower\'s scheduled runs, 1–1440 [default: 5]' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l alarm-topic -d 'SNS topic the alarm notifies when the target group has no healthy target' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l idle-timeout -d 'Seconds a connection may carry no data before the load balancer forgets it, 60–6000 [default: 350, AWS\'s]; not with an Airbyte region other than the deployment\'s, which AWS does not support' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l database -d 'Another database behind the same load balancer and endpoint service, on its own listener port (the database\'s port unless @LISTENER_PORT); repeatable' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l from-deployment -d 'Start from the spec of this existing deployment (as setup recorded it); flags override it' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l no-cross-zone -d 'Turn cross-zone load balancing off (on by default, so every AZ reaches the database)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l cross-zone -d 'Turn cross-zone load balancing on (the default; overrides the config file)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l no-acceptance-required -d 'Accept connections without review (by default each must be accepted)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l acceptance-required -d 'Require accepting each connection (the default; overrides the config file)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l allow-targets-outside-vpc -d 'Accept IP targets outside the VPC\'s CIDRs (reachable through peering or VPN)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l follow -d 'Keep the targets on the database\'s current addresses with a Lambda function run on its RDS events and a schedule, with an alarm when no target is healthy (the default for an RDS or Aurora hostname)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l no-follow -d 'No follower and no alarm: run `sync-targets` yourself after a failover'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from cloudformation" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from help" -f -a "cloudformation" -d 'A CloudFormation template (JSON) with the resources setup would create for the spec, and the values to hand to Airbyte as outputs'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand export; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand completions" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand completions" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand completions" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand completions" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand completions" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand completions" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand completions" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand man" -l out-dir -d 'Where to write the pages' -r -F
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand man" -l profile -d 'AWS profile to use (as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand man" -l region -d 'AWS region of the database and the endpoint service (else the config file\'s, else AWS_REGION or the profile\'s, as for the AWS CLI)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand man" -l endpoint-url -d 'Send AWS API calls to this URL instead of AWS (e.g. a local emulator)' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand man" -l output -d 'Output format of results on stdout' -r -f -a "human\t''
json\t''
junit\t'JUnit XML, for CI test reports (`verify` only)'"
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand man" -l dns-server -d 'Resolve database hostnames with this DNS server (IP or IP:PORT) instead of the system\'s' -r
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand man" -l no-input -d 'Never prompt; fail instead when something is missing'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand man" -s y -l yes -d 'Apply (or tear down) without asking for confirmation'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand man" -s v -l verbose -d 'More detail on stderr (-v: the tool\'s steps, -vv: every AWS request)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "setup" -d 'Create or update the PrivateLink stack for a database and print the service name for Airbyte'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "plan" -d 'Show what setup would change, without changing anything; --out saves it for `setup --plan`'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "accept" -d 'Accept Airbyte\'s pending connection to the endpoint service'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "status" -d 'Show deployments with their resources, connections and target health'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "verify" -d 'Check a deployment end to end, read-only; exit 3 when a check fails'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "sync-targets" -d 'Re-resolve hostname targets and register the database\'s current addresses'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "teardown" -d 'Remove a deployment: reject connections, delete the service, listener, load balancer, target group and rules'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "iam-policy" -d 'Print the least-privilege IAM policy (JSON) for the commands you will run'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "export" -d 'Print a deployment as infrastructure-as-code, instead of creating it'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "completions" -d 'Print the shell completion script for bash, zsh, fish, powershell or elvish'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "man" -d 'Write the man pages (airbyte-plink.1 and one per command) into a directory'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and not __fish_seen_subcommand_from setup plan accept status verify sync-targets teardown iam-policy export completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c airbyte-plink -n "__fish_airbyte_plink_using_subcommand help; and __fish_seen_subcommand_from export" -f -a "cloudformation" -d 'A CloudFormation template (JSON) with the resources setup would create for the spec, and the values to hand to Airbyte as outputs'
