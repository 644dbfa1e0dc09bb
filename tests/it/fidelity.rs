//! The emulator's fidelity layer really reproduces the AWS behaviours the tool relies
//! on (tests/emulator/fidelity.py); checked with the SDK alone.

use crate::support::Emulator;
use crate::support::state::filter;
use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use aws_sdk_elasticloadbalancingv2::types::{
    LoadBalancerSchemeEnum, LoadBalancerTypeEnum, ProtocolEnum, TargetTypeEnum,
};

#[tokio::test]
async fn the_emulator_behaves_like_aws_where_the_tool_depends_on_it() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let config = emulator.sdk("us-west-2").await;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let subnets = seed.private_subnets[..2].to_vec();

    // Network load balancers have net/ ARNs; an identical create returns the same one,
    // a different one with the same name is a DuplicateLoadBalancerName.
    let create_lb = |subnets: Vec<String>| {
        elb.create_load_balancer()
            .name("same")
            .r#type(LoadBalancerTypeEnum::Network)
            .scheme(LoadBalancerSchemeEnum::Internal)
            .set_subnets(Some(subnets))
            .send()
    };
    let first = create_lb(subnets.clone()).await.unwrap().load_balancers()[0].load_balancer_arn().unwrap().to_string();
    assert!(first.contains(":loadbalancer/net/same/"), "{first}");
    let again = create_lb(subnets.clone()).await.unwrap().load_balancers()[0].load_balancer_arn().unwrap().to_string();
    assert_eq!(again, first);
    let different = create_lb(vec![seed.private_subnets[2].clone()]).await.unwrap_err();
    assert_eq!(
        aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata::code(&different),
        Some("DuplicateLoadBalancerName")
    );

    // An identical target group create returns the existing one.
    let create_tg = |port: i32| {
        elb.create_target_group()
            .name("same")
            .protocol(ProtocolEnum::Tcp)
            .port(port)
            .vpc_id(&seed.vpc_id)
            .target_type(TargetTypeEnum::Ip)
            .send()
    };
    let tg = create_tg(5432).await.unwrap().target_groups()[0].target_group_arn().unwrap().to_string();
    assert_eq!(create_tg(5432).await.unwrap().target_groups()[0].target_group_arn().unwrap(), tg);
    let different = create_tg(3306).await.unwrap_err();
    assert_eq!(
        aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata::code(&different),
        Some("DuplicateTargetGroupName")
    );

    // A repeated ClientToken returns the service it created.
    let tags = TagSpecification::builder()
        .resource_type(ResourceType::VpcEndpointService)
        .tags(Tag::builder().key("team").value("data").build())
        .build();
    let create_service = |token: &str| {
        ec2.create_vpc_endpoint_service_configuration()
            .network_load_balancer_arns(&first)
            .client_token(token)
            .tag_specifications(tags.clone())
            .send()
    };
    let service =
        create_service("token-1").await.unwrap().service_configuration().unwrap().service_id().unwrap().to_string();
    assert_eq!(
        create_service("token-1").await.unwrap().service_configuration().unwrap().service_id().unwrap(),
        service
    );
    let other =
        create_service("token-2").await.unwrap().service_configuration().unwrap().service_id().unwrap().to_string();
    assert_ne!(other, service);
    // The same token with any other parameter, a tag among them, is refused.
    let retagged = ec2
        .create_vpc_endpoint_service_configuration()
        .network_load_balancer_arns(&first)
        .client_token("token-1")
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::VpcEndpointService)
                .tags(Tag::builder().key("team").value("finance").build())
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(aws_sdk_ec2::error::ProvideErrorMetadata::code(&retagged), Some("IdempotentParameterMismatch"));

    // Filters on endpoint services are honoured.
    let tagged =
        ec2.describe_vpc_endpoint_service_configurations().filters(filter("tag:team", "data")).send().await.unwrap();
    assert_eq!(tagged.service_configurations().len(), 2);
    let by_id =
        ec2.describe_vpc_endpoint_service_configurations().filters(filter("service-id", &other)).send().await.unwrap();
    assert_eq!(by_id.service_configurations().len(), 1);
    let none =
        ec2.describe_vpc_endpoint_service_configurations().filters(filter("tag:team", "other")).send().await.unwrap();
    assert!(none.service_configurations().is_empty());

    // ELBv2 tag values are limited to letters, digits, spaces and _ . : / = + - @.
    let bad_tag = elb
        .add_tags()
        .resource_arns(&first)
        .tags(aws_sdk_elasticloadbalancingv2::types::Tag::builder().key("targets").value("a,b").build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata::code(&bad_tag), Some("ValidationError"));

    // Principals that are not IAM ARNs are refused.
    let bad = ec2
        .modify_vpc_endpoint_service_permissions()
        .service_id(&service)
        .add_allowed_principals("111122223333")
        .send()
        .await
        .unwrap_err();
    assert_eq!(aws_sdk_ec2::error::ProvideErrorMetadata::code(&bad), Some("InvalidPrincipal"));
    ec2.modify_vpc_endpoint_service_permissions()
        .service_id(&service)
        .add_allowed_principals("arn:aws:iam::111122223333:role/airbyte")
        .send()
        .await
        .unwrap();

    // A listener created twice with the same settings is one listener; another
    // forward on the same port is a DuplicateListener.
    let create_listener = |target_group: &str| {
        elb.create_listener()
            .load_balancer_arn(&first)
            .protocol(ProtocolEnum::Tcp)
            .port(5432)
            .default_actions(
                aws_sdk_elasticloadbalancingv2::types::Action::builder()
                    .r#type(aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum::Forward)
                    .target_group_arn(target_group)
                    .build(),
            )
            .send()
    };
    let listener = create_listener(&tg).await.unwrap().listeners()[0].listener_arn().unwrap().to_string();
    assert_eq!(create_listener(&tg).await.unwrap().listeners()[0].listener_arn().unwrap(), listener);
    let other_tg = create_tg_named(&elb, &seed.vpc_id, "other").await;
    let duplicate = create_listener(&other_tg).await.unwrap_err();
    assert_eq!(
        aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata::code(&duplicate),
        Some("DuplicateListener")
    );

    // Teardown order: a load balancer under a service is in use; a service with a
    // pending connection is not deleted until the connection is rejected.
    let in_use = elb.delete_load_balancer().load_balancer_arn(&first).send().await.unwrap_err();
    assert_eq!(aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata::code(&in_use), Some("ResourceInUse"));
    let service_name = ec2
        .describe_vpc_endpoint_service_configurations()
        .service_ids(&service)
        .send()
        .await
        .unwrap()
        .service_configurations()[0]
        .service_name()
        .unwrap()
        .to_string();
    ec2.modify_vpc_endpoint_service_configuration()
        .service_id(&service)
        .add_supported_regions("us-east-1")
        .send()
        .await
        .unwrap();
    let endpoint = emulator.interface_endpoint("111122223333", &service_name).await;
    let delete_service = || ec2.delete_vpc_endpoint_service_configurations().service_ids(&service).send();
    let refused = delete_service().await.unwrap();
    let error = refused.unsuccessful()[0].error().unwrap();
    assert_eq!(error.code(), Some("ExistingVpcEndpointConnections"));
    ec2.reject_vpc_endpoint_connections().service_id(&service).vpc_endpoint_ids(&endpoint).send().await.unwrap();
    // Rejection completes asynchronously: for a moment the service is still held.
    let still_held = delete_service().await.unwrap();
    assert_eq!(still_held.unsuccessful()[0].error().unwrap().code(), Some("ExistingVpcEndpointConnections"));
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert!(delete_service().await.unwrap().unsuccessful().is_empty());
    ec2.delete_vpc_endpoint_service_configurations().service_ids(&other).send().await.unwrap();
    // The deletion takes a moment to complete; the load balancer is in use until then.
    let still = elb.delete_load_balancer().load_balancer_arn(&first).send().await.unwrap_err();
    assert_eq!(aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata::code(&still), Some("ResourceInUse"));
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    elb.delete_load_balancer().load_balancer_arn(&first).send().await.unwrap();
}

async fn create_tg_named(elb: &aws_sdk_elasticloadbalancingv2::Client, vpc: &str, name: &str) -> String {
    let out = elb
        .create_target_group()
        .name(name)
        .protocol(ProtocolEnum::Tcp)
        .port(5432)
        .vpc_id(vpc)
        .target_type(TargetTypeEnum::Ip)
        .send()
        .await
        .unwrap();
    out.target_groups()[0].target_group_arn().unwrap().to_string()
}

#[tokio::test]
async fn network_load_balancers_keep_the_security_groups_they_were_created_with() {
    use aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata;
    use aws_sdk_elasticloadbalancingv2::types::EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum as Enforce;

    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    emulator.set_group_release(1.0);
    let config = emulator.sdk("us-west-2").await;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let group = ec2.create_security_group().group_name("lb").description("lb").vpc_id(&seed.vpc_id).send().await;
    let group = group.unwrap().group_id().unwrap().to_string();
    let create = |name: &str, groups: Vec<String>| {
        elb.create_load_balancer()
            .name(name)
            .r#type(LoadBalancerTypeEnum::Network)
            .scheme(LoadBalancerSchemeEnum::Internal)
            .set_subnets(Some(seed.private_subnets[..2].to_vec()))
            .set_security_groups(Some(groups))
            .send()
    };
    let with = create("with", vec![group.clone()]).await.unwrap().load_balancers()[0].clone();
    let without = create("without", vec![]).await.unwrap().load_balancers()[0].clone();

    // PrivateLink traffic is subject to the inbound rules until turned off.
    let describe = |arn: String| elb.describe_load_balancers().load_balancer_arns(arn).send();
    let enforcement = |lb: &aws_sdk_elasticloadbalancingv2::types::LoadBalancer| {
        lb.enforce_security_group_inbound_rules_on_private_link_traffic().map(str::to_string)
    };
    let described = describe(with.load_balancer_arn().unwrap().to_string()).await.unwrap();
    assert_eq!(enforcement(&described.load_balancers()[0]).as_deref(), Some("on"));
    let set = |arn: &str, groups: Vec<String>| {
        elb.set_security_groups()
            .load_balancer_arn(arn)
            .set_security_groups(Some(groups))
            .enforce_security_group_inbound_rules_on_private_link_traffic(Enforce::Off)
            .send()
    };
    set(with.load_balancer_arn().unwrap(), vec![group.clone()]).await.unwrap();
    let described = describe(with.load_balancer_arn().unwrap().to_string()).await.unwrap();
    assert_eq!(enforcement(&described.load_balancers()[0]).as_deref(), Some("off"));
    // None can be added to one created without, and one created with keeps one.
    let refused = set(without.load_balancer_arn().unwrap(), vec![group.clone()]).await.unwrap_err();
    assert_eq!(refused.code(), Some("InvalidConfigurationRequest"));
    let emptied = set(with.load_balancer_arn().unwrap(), vec![]).await.unwrap_err();
    assert_eq!(emptied.code(), Some("ValidationError"));

    // A group in use, referenced, or still held by a deleted load balancer stays.
    let delete_group = |id: String| ec2.delete_security_group().group_id(id).send();
    let in_use = delete_group(group.clone()).await.unwrap_err();
    assert_eq!(aws_sdk_ec2::error::ProvideErrorMetadata::code(&in_use), Some("DependencyViolation"));
    // The database's group lets the load balancer's in, as setup's rule does.
    let from_group = aws_sdk_ec2::types::IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(5432)
        .to_port(5432)
        .user_id_group_pairs(aws_sdk_ec2::types::UserIdGroupPair::builder().group_id(&group).build())
        .build();
    ec2.authorize_security_group_ingress()
        .group_id(&seed.db_security_group)
        .ip_permissions(from_group.clone())
        .send()
        .await
        .unwrap();
    elb.delete_load_balancer().load_balancer_arn(with.load_balancer_arn().unwrap()).send().await.unwrap();
    let referenced = delete_group(group.clone()).await.unwrap_err();
    assert_eq!(aws_sdk_ec2::error::ProvideErrorMetadata::code(&referenced), Some("DependencyViolation"));
    ec2.revoke_security_group_ingress()
        .group_id(&seed.db_security_group)
        .ip_permissions(from_group)
        .send()
        .await
        .unwrap();
    let held = delete_group(group.clone()).await.unwrap_err();
    assert_eq!(aws_sdk_ec2::error::ProvideErrorMetadata::code(&held), Some("DependencyViolation"));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    delete_group(group).await.unwrap();
}

#[tokio::test]
async fn an_endpoint_service_keeps_a_load_balancer_and_lets_none_go_while_endpoints_are_connected() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let config = emulator.sdk("us-west-2").await;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let mut arns = Vec::new();
    for name in ["first", "second"] {
        let lb = elb
            .create_load_balancer()
            .name(name)
            .r#type(LoadBalancerTypeEnum::Network)
            .scheme(LoadBalancerSchemeEnum::Internal)
            .set_subnets(Some(seed.private_subnets[..2].to_vec()))
            .send()
            .await
            .unwrap();
        arns.push(lb.load_balancers()[0].load_balancer_arn().unwrap().to_string());
    }
    let service = ec2.create_vpc_endpoint_service_configuration().network_load_balancer_arns(&arns[0]).send().await;
    let service = service.unwrap().service_configuration().unwrap().clone();
    let id = service.service_id().unwrap().to_string();
    let modify = || ec2.modify_vpc_endpoint_service_configuration().service_id(&id);
    let code =
        |e: aws_sdk_ec2::error::SdkError<_>| aws_sdk_ec2::error::ProvideErrorMetadata::code(&e).map(str::to_string);

    // A second load balancer joins, and the first can go: the service keeps its name.
    modify().add_network_load_balancer_arns(&arns[1]).send().await.unwrap();
    modify().remove_network_load_balancer_arns(&arns[0]).send().await.unwrap();
    // Not the last one, and none that serves another service already.
    let last = modify().remove_network_load_balancer_arns(&arns[1]).send().await.unwrap_err();
    assert_eq!(code(last).as_deref(), Some("InvalidParameter"));
    let other = ec2.create_vpc_endpoint_service_configuration().network_load_balancer_arns(&arns[0]).send().await;
    let other = other.unwrap().service_configuration().unwrap().service_id().unwrap().to_string();
    let taken = modify().add_network_load_balancer_arns(&arns[0]).send().await.unwrap_err();
    assert_eq!(code(taken).as_deref(), Some("InvalidParameter"));
    ec2.delete_vpc_endpoint_service_configurations().service_ids(&other).send().await.unwrap();

    // With an endpoint connected, no load balancer leaves the service.
    ec2.modify_vpc_endpoint_service_permissions()
        .service_id(&id)
        .add_allowed_principals("arn:aws:iam::111122223333:root")
        .send()
        .await
        .unwrap();
    ec2.modify_vpc_endpoint_service_configuration()
        .service_id(&id)
        .add_supported_regions("us-east-1")
        .send()
        .await
        .unwrap();
    emulator.interface_endpoint("111122223333", service.service_name().unwrap()).await;
    // EC2's own code for it, whether one would join or leave.
    let joining = modify().add_network_load_balancer_arns(&arns[0]).send().await.unwrap_err();
    assert_eq!(code(joining).as_deref(), Some("ExistingVpcEndpointConnections"));
    let leaving = modify().remove_network_load_balancer_arns(&arns[1]).send().await.unwrap_err();
    assert_eq!(code(leaving).as_deref(), Some("ExistingVpcEndpointConnections"));
}

#[tokio::test]
async fn parameter_groups_network_acls_and_certificates_are_as_aws_describes_them() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let config = emulator.sdk("us-west-2").await;
    let rds = aws_sdk_rds::Client::new(&config);
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let by_name = aws_sdk_rds::types::Filter::builder().name("parameter-name").values("max_connect_errors").build();

    // A default group lists max_connect_errors at MySQL's default; a custom one its value.
    let listed =
        |group: &str| rds.describe_db_parameters().db_parameter_group_name(group).filters(by_name.clone()).send();
    let default = listed(&seed.mysql_parameter_group).await.unwrap();
    let parameter = &default.parameters()[0];
    assert_eq!(parameter.parameter_name(), Some("max_connect_errors"));
    assert_eq!((parameter.parameter_value(), parameter.source()), (Some("100"), Some("engine-default")));
    let tuned = listed(&seed.mysql_tuned_parameter_group).await.unwrap();
    assert_eq!(
        (tuned.parameters()[0].parameter_value(), tuned.parameters()[0].source()),
        (Some("1000000"), Some("user"))
    );
    let cluster = rds
        .describe_db_cluster_parameters()
        .db_cluster_parameter_group_name(&seed.aurora_cluster_parameter_group)
        .filters(by_name.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(cluster.parameters()[0].parameter_value(), Some("100"));
    for (group, cluster) in
        [(&seed.aurora_tuned_cluster_parameter_group, true), (&seed.aurora_tuned_parameter_group, false)]
    {
        let value = if cluster {
            let out = rds
                .describe_db_cluster_parameters()
                .db_cluster_parameter_group_name(group)
                .filters(by_name.clone())
                .send()
                .await
                .unwrap();
            out.parameters()[0].source().map(str::to_string)
        } else {
            listed(group).await.unwrap().parameters()[0].source().map(str::to_string)
        };
        assert_eq!(value.as_deref(), Some("user"), "{group}");
    }

    // A default group cannot be modified.
    let refused = rds
        .modify_db_parameter_group()
        .db_parameter_group_name(&seed.mysql_parameter_group)
        .parameters(
            aws_sdk_rds::types::Parameter::builder()
                .parameter_name("max_connect_errors")
                .parameter_value("1000")
                .apply_method(aws_sdk_rds::types::ApplyMethod::Immediate)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(aws_sdk_rds::error::ProvideErrorMetadata::code(&refused), Some("InvalidParameterValue"));

    // RDS names the certificate authority, and each instance's subnet group with zones.
    let instances = rds.describe_db_instances().send().await.unwrap();
    for instance in instances.db_instances() {
        assert_eq!(instance.ca_certificate_identifier(), Some("rds-ca-rsa2048-g1"), "{instance:?}");
        let zones = instance.db_subnet_group().map(|g| g.subnets().len()).unwrap_or_default();
        assert!(zones >= 2, "{instance:?}");
    }

    // A new network ACL denies everything until rules are added, under rule 32767.
    let acl = ec2.create_network_acl().vpc_id(&seed.vpc_id).send().await.unwrap();
    let acl = acl.network_acl().unwrap();
    let last: Vec<(i32, bool)> = acl
        .entries()
        .iter()
        .filter(|e| e.rule_action() == Some(&aws_sdk_ec2::types::RuleAction::Deny))
        .map(|e| (e.rule_number().unwrap(), e.egress().unwrap()))
        .collect();
    assert_eq!(last.len(), 2, "{acl:?}");
    assert!(last.iter().all(|(n, _)| *n == 32767), "{acl:?}");
}

#[tokio::test]
async fn network_target_group_health_checks_are_held_to_awss_limits() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk("us-west-2").await);
    let code = |e: &dyn aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata| e.code().map(str::to_string);
    let tcp = |name: &str, interval: i32, timeout: i32| {
        elb.create_target_group()
            .name(name)
            .protocol(ProtocolEnum::Tcp)
            .port(3306)
            .vpc_id(&seed.vpc_id)
            .target_type(TargetTypeEnum::Ip)
            .health_check_interval_seconds(interval)
            .health_check_timeout_seconds(timeout)
            .send()
    };
    // The interval must be above the timeout, and within 5-300 seconds.
    let refused = tcp("equal", 10, 10).await.unwrap_err();
    assert_eq!(code(&refused).as_deref(), Some("ValidationError"));
    let refused = tcp("slow", 400, 10).await.unwrap_err();
    assert_eq!(code(&refused).as_deref(), Some("ValidationError"));
    let made = tcp("fine", 30, 10).await.unwrap();
    let arn = made.target_groups()[0].target_group_arn().unwrap().to_string();
    // Changed in place, within the limits only.
    let modify = |healthy: i32| {
        elb.modify_target_group()
            .target_group_arn(&arn)
            .health_check_interval_seconds(60)
            .healthy_threshold_count(healthy)
            .send()
    };
    assert_eq!(code(&modify(11).await.unwrap_err()).as_deref(), Some("ValidationError"));
    modify(3).await.unwrap();
    let read = elb.describe_target_groups().target_group_arns(&arn).send().await.unwrap();
    let group = &read.target_groups()[0];
    assert_eq!((group.health_check_interval_seconds(), group.healthy_threshold_count()), (Some(60), Some(3)));
}

#[tokio::test]
async fn zones_free_addresses_and_target_states_are_as_aws_describes_them() {
    use aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata;
    use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, TargetDescription};
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2").clone();
    let config = emulator.sdk("us-west-2").await;
    let (elb, ec2) = (aws_sdk_elasticloadbalancingv2::Client::new(&config), aws_sdk_ec2::Client::new(&config));
    let create = |name: &str, subnets: &[String]| {
        elb.create_load_balancer()
            .name(name)
            .r#type(LoadBalancerTypeEnum::Network)
            .scheme(LoadBalancerSchemeEnum::Internal)
            .set_subnets(Some(subnets.to_vec()))
            .send()
    };

    // A subnet without 8 free addresses: InvalidSubnet.
    let crowded = emulator.crowded_subnet("us-west-2", &seed.vpc_id, &seed.private_subnets[1]).await;
    let refused = create("crowded", &[seed.private_subnets[0].clone(), crowded]).await.unwrap_err();
    assert_eq!(refused.code(), Some("InvalidSubnet"));

    // Targets of a group no listener forwards to are unused; with one, healthy.
    let lb = create("zones", &seed.private_subnets[..2]).await.unwrap().load_balancers()[0].clone();
    let lb_arn = lb.load_balancer_arn().unwrap().to_string();
    let tg = create_tg_named(&elb, &seed.vpc_id, "zones").await;
    let target = |ip: &str| TargetDescription::builder().id(ip).port(5432).build();
    elb.register_targets()
        .target_group_arn(&tg)
        .targets(target("10.0.1.5"))
        .targets(target("10.0.2.5"))
        .send()
        .await
        .unwrap();
    let health = || async {
        let out = elb.describe_target_health().target_group_arn(&tg).send().await.unwrap();
        let mut states: Vec<(String, String, Option<String>)> = out
            .target_health_descriptions()
            .iter()
            .map(|d| {
                let h = d.target_health().unwrap();
                let reason = h.reason().map(|r| r.as_str().to_string());
                (d.target().unwrap().id().unwrap().to_string(), h.state().unwrap().as_str().to_string(), reason)
            })
            .collect();
        states.sort();
        states
    };
    let unused = |ip: &str| (ip.to_string(), "unused".to_string(), Some("Target.NotInUse".to_string()));
    let healthy = |ip: &str| (ip.to_string(), "healthy".to_string(), None);
    assert_eq!(health().await, [unused("10.0.1.5"), unused("10.0.2.5")]);
    let forward = Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(&tg).build();
    elb.create_listener()
        .load_balancer_arn(&lb_arn)
        .protocol(ProtocolEnum::Tcp)
        .port(5432)
        .default_actions(forward)
        .send()
        .await
        .unwrap();
    assert_eq!(health().await, [healthy("10.0.1.5"), healthy("10.0.2.5")]);

    // A subnet removed: the targets of its zone are unused from then on.
    elb.set_subnets().load_balancer_arn(&lb_arn).subnets(&seed.private_subnets[0]).send().await.unwrap();
    assert_eq!(health().await, [healthy("10.0.1.5"), unused("10.0.2.5")]);
    elb.set_subnets()
        .load_balancer_arn(&lb_arn)
        .set_subnets(Some(seed.private_subnets[..2].to_vec()))
        .send()
        .await
        .unwrap();

    // A zone added to the load balancer joins its service only when the service is
    // modified once AWS has the zone ready.
    let service = ec2.create_vpc_endpoint_service_configuration().network_load_balancer_arns(&lb_arn).send().await;
    let id = service.unwrap().service_configuration().unwrap().service_id().unwrap().to_string();
    let zones = || async {
        let out = ec2.describe_vpc_endpoint_service_configurations().service_ids(&id).send().await.unwrap();
        let service = &out.service_configurations()[0];
        (service.availability_zone_ids().len(), service.availability_zones().len())
    };
    assert_eq!(zones().await, (2, 2));
    emulator.set_zone_ready(1.0);
    elb.set_subnets().load_balancer_arn(&lb_arn).set_subnets(Some(seed.private_subnets.clone())).send().await.unwrap();
    let modify = || ec2.modify_vpc_endpoint_service_configuration().service_id(&id).send();
    modify().await.unwrap();
    assert_eq!(zones().await, (2, 2), "enabled before AWS had the zone ready");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(zones().await, (2, 2), "enabled without being asked");
    modify().await.unwrap();
    assert_eq!(zones().await, (3, 3));
}
