"""Thin fidelity layer over moto: each patch reproduces one AWS behaviour that moto
lacks and that airbyte-plink depends on (GUIDE.md section 4). Applied before the
server starts. Never a weakening of AWS: only closer to it."""

import copy
import re
import threading
import time

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.vpc_service_configuration import VPCServiceConfigurationBackend
from moto.ec2.responses.vpc_service_configuration import VPCEndpointServiceConfiguration
from moto.elbv2 import models as elbv2_models
from moto.elbv2.exceptions import DuplicateLoadBalancerName, DuplicateTargetGroupName, ValidationError
from moto.elbv2.models import ELBv2Backend

# Reentrant: a patch may call into another that takes it too (a create inside the
# client-token patch records its own times).
_lock = threading.RLock()


def network_load_balancer_arns():
    """AWS: a network load balancer's ARN reads `loadbalancer/net/<name>/<id>`
    (moto writes `app/` for every type)."""
    original = ELBv2Backend.create_load_balancer
    original_arn = elbv2_models.make_arn_for_load_balancer
    kinds = {"network": "net", "gateway": "gwy"}

    def create_load_balancer(self, name, *args, loadbalancer_type=None, **kwargs):
        kind = kinds.get(loadbalancer_type or "", "app")

        def arn(account_id, lb_id, name, region_name):
            return original_arn(account_id, lb_id, name, region_name).replace("/app/", f"/{kind}/", 1)

        with _lock:
            elbv2_models.make_arn_for_load_balancer = arn
            try:
                return original(self, name, *args, loadbalancer_type=loadbalancer_type, **kwargs)
            finally:
                elbv2_models.make_arn_for_load_balancer = original_arn

    ELBv2Backend.create_load_balancer = create_load_balancer


# "ELB requires at least 8 free IP addresses in each subnet" (the message AWS gives,
# as reported; the NLB guide, "Update the Availability Zones for your Network Load
# Balancer": "the subnets that you specify must have at least 8 available IP
# addresses", for an internal one when AWS picks its address, as here).
FREE_ADDRESSES_NEEDED = 8


def _refuse_crowded_subnets(backend, subnet_ids, already=()):
    """InvalidSubnet for the first subnet not in `already` with too few free addresses."""
    from moto.elbv2.exceptions import ELBClientError

    for subnet_id in subnet_ids:
        if subnet_id in already:
            continue
        free = backend.ec2_backend.get_subnet(subnet_id).available_ip_address_count
        if free < FREE_ADDRESSES_NEEDED:
            raise ELBClientError(
                "InvalidSubnet",
                f"Not enough IP space available in {subnet_id}. ELB requires at least "
                f"{FREE_ADDRESSES_NEEDED} free IP addresses in each subnet.")


def load_balancer_subnet_addresses():
    """AWS: CreateLoadBalancer refuses a subnet with fewer than 8 free addresses, with
    InvalidSubnet ("The specified subnet is out of available addresses", API reference);
    so does SetSubnets for a subnet new to the load balancer (network_load_balancer_subnet_changes).
    moto takes any subnet. The free count is moto's own (AvailableIpAddressCount: the CIDR
    less AWS's 5 reserved addresses and those of the subnet's network interfaces); the
    interfaces a load balancer makes are not emulated, so each load balancer leaves the
    count as it was."""
    import inspect

    original_create = ELBv2Backend.create_load_balancer
    signature = inspect.signature(original_create)

    def create_load_balancer(self, *args, **kwargs):
        asked = signature.bind(self, *args, **kwargs).arguments
        mappings = [m["SubnetId"] for m in asked.get("subnet_mappings") or []]
        _refuse_crowded_subnets(self, list(asked.get("subnet_ids") or []) + mappings)
        return original_create(self, *args, **kwargs)

    ELBv2Backend.create_load_balancer = create_load_balancer


def idempotent_create_load_balancer():
    """AWS: CreateLoadBalancer with the name of an existing load balancer returns that
    load balancer when the settings are identical, and fails with
    DuplicateLoadBalancerName when they differ (moto creates a second one)."""
    original = ELBv2Backend.create_load_balancer

    def create_load_balancer(self, name, security_groups=None, subnet_ids=None, subnet_mappings=None,
                             scheme="internet-facing", loadbalancer_type=None, **kwargs):
        for existing in self.load_balancers.values():
            if existing.name != name:
                continue
            same = (
                existing.scheme == (scheme or "internet-facing")
                and existing.type == (loadbalancer_type or "application")
                and sorted(s.id for s in existing.subnets) == sorted(subnet_ids or [])
            )
            if same:
                return existing
            raise DuplicateLoadBalancerName()
        return original(self, name, security_groups=security_groups, subnet_ids=subnet_ids,
                        subnet_mappings=subnet_mappings, scheme=scheme,
                        loadbalancer_type=loadbalancer_type, **kwargs)

    ELBv2Backend.create_load_balancer = create_load_balancer


def idempotent_create_target_group():
    """AWS: CreateTargetGroup with the name and settings of an existing target group
    returns it (moto fails with DuplicateTargetGroupName); different settings fail."""
    original = ELBv2Backend.create_target_group

    def create_target_group(self, name, **kwargs):
        for existing in self.target_groups.values():
            if existing.name != name:
                continue
            same = (
                existing.vpc_id == kwargs.get("vpc_id")
                and str(existing.port) == str(kwargs.get("port"))
                and (existing.protocol or "") == (kwargs.get("protocol") or "")
                and existing.target_type == (kwargs.get("target_type") or "instance")
            )
            if same:
                return existing
            raise DuplicateTargetGroupName()
        return original(self, name, **kwargs)

    ELBv2Backend.create_target_group = create_target_group


def network_target_group_health_checks():
    """AWS (ELB guide, "Health checks for Network Load Balancer target groups"): a TCP
    health check's interval is 5-300 seconds, its timeout 2-120, the healthy and
    unhealthy thresholds 2-10 each, and all can be changed at any time with
    ModifyTargetGroup. AWS also refuses an interval not greater than the timeout
    ("Health check interval must be greater than the timeout", as it is reported to
    answer; the Gateway Load Balancer guide states the rule). moto takes any value on
    create and on modify. Here both refuse a value out of range, and an interval not
    above the timeout, with ValidationError (AWS documents no code: the stricter reading)."""
    original_create = ELBv2Backend.create_target_group
    original_modify = ELBv2Backend.modify_target_group

    def check(interval, timeout, healthy, unhealthy):
        limits = [("HealthCheckIntervalSeconds", interval, 5, 300), ("HealthCheckTimeoutSeconds", timeout, 2, 120),
                  ("HealthyThresholdCount", healthy, 2, 10), ("UnhealthyThresholdCount", unhealthy, 2, 10)]
        for name, value, low, high in limits:
            if not low <= int(value) <= high:
                raise ValidationError(f"{name} must be between {low} and {high}, not {value}")
        if int(interval) <= int(timeout):
            raise ValidationError("Health check interval must be greater than the timeout.")

    network = ("TCP", "TLS", "UDP", "TCP_UDP")

    def create_target_group(self, name, **kwargs):
        if (kwargs.get("protocol") or "").upper() in network:
            check(kwargs.get("healthcheck_interval_seconds") or 30, kwargs.get("healthcheck_timeout_seconds") or 10,
                  kwargs.get("healthy_threshold_count") or 5, kwargs.get("unhealthy_threshold_count") or 2)
        return original_create(self, name, **kwargs)

    # moto's response handler passes these by position.
    def modify_target_group(self, arn, health_check_proto=None, health_check_port=None, health_check_path=None,
                            health_check_interval=None, health_check_timeout=None, healthy_threshold_count=None,
                            unhealthy_threshold_count=None, http_codes=None, health_check_enabled=None):
        group = self.target_groups.get(arn)
        if group is not None and (group.protocol or "").upper() in network:
            check(health_check_interval or group.health_check_interval_seconds,
                  health_check_timeout or group.health_check_timeout_seconds,
                  healthy_threshold_count or group.healthy_threshold_count,
                  unhealthy_threshold_count or group.unhealthy_threshold_count)
        return original_modify(self, arn, health_check_proto, health_check_port, health_check_path,
                               health_check_interval, health_check_timeout, healthy_threshold_count,
                               unhealthy_threshold_count, http_codes, health_check_enabled=health_check_enabled)

    ELBv2Backend.create_target_group = create_target_group
    ELBv2Backend.modify_target_group = modify_target_group


def _tags_of(resource):
    return {t["key"]: t["value"] for t in resource.get_tags()}


def endpoint_service_filters():
    """AWS: DescribeVpcEndpointServiceConfigurations honours Filters (service-id,
    service-name, service-state, tag:<key>, tag-key); moto returns every service."""
    original = VPCEndpointServiceConfiguration.describe_vpc_endpoint_service_configurations

    def matches(config, name, values):
        if name.startswith("tag:"):
            return _tags_of(config).get(name[4:]) in values
        if name == "tag-key":
            return any(key in values for key in _tags_of(config))
        field = {"service-id": config.id, "service-name": config.service_name,
                 "service-state": config.service_state}.get(name)
        if field is None:
            raise EC2ClientError("InvalidParameterValue", f"The filter '{name}' is invalid")
        return field in values

    def describe(self):
        filters = self._filters_from_querystring()
        if not filters:
            return original(self)
        configs = self.ec2_backend.describe_vpc_endpoint_service_configurations(
            self._get_param("ServiceIds", []))
        configs = [c for c in configs if all(matches(c, n, v) for n, v in filters.items())]
        from moto.core.responses import ActionResult
        return ActionResult({"ServiceConfigurations": configs})

    VPCEndpointServiceConfiguration.describe_vpc_endpoint_service_configurations = describe


# Endpoint services deleted, by ID, as they were (their state Deleted).
DELETED_SERVICES = {}


def endpoint_service_client_token():
    """AWS: CreateVpcEndpointServiceConfiguration with a ClientToken already used
    returns the service that token created, instead of creating another. The token stays
    bound to that service after it is deleted ("Ensuring idempotency in Amazon EC2 API
    requests": a retry completes without further action, and its result may carry
    updated information): the same request then returns the deleted service, in state
    Deleted. AWS does not say how long the binding lasts; here it lasts as long as the
    emulator, the stricter reading.

    The same page: "If you retry a successful request using the same client token, but
    one or more of the parameters are different, other than the Region or Availability
    Zone, the retry fails with an IdempotentParameterMismatch error" ("Error codes for the
    Amazon EC2 API": "The request uses the same client token as a previous, but
    non-identical request"). Every parameter counts here, the tags among them: AWS names
    no exception, the stricter reading."""
    original = VPCEndpointServiceConfiguration.create_vpc_endpoint_service_configuration
    created = {}

    def parameters(response):
        unbound = ("Action", "Version", "ClientToken")
        return sorted((k, tuple(v)) for k, v in response.querystring.items() if k not in unbound)

    def create(self):
        token = self._get_param("ClientToken")
        key = (self.current_account, self.region, token)
        if token and key in created:
            service_id, sent = created[key]
            if sent != parameters(self):
                raise EC2ClientError("IdempotentParameterMismatch",
                                     f"The client token {token} was used with other parameters before")
            config = self.ec2_backend.configurations.get(service_id) or DELETED_SERVICES.get(service_id)
            if config is not None:
                from moto.core.responses import ActionResult
                return ActionResult({"ServiceConfiguration": config})
        with _lock:
            before = set(self.ec2_backend.configurations)
            result = original(self)
            new = set(self.ec2_backend.configurations) - before
        if token and new:
            created[key] = (new.pop(), parameters(self))
        return result

    VPCEndpointServiceConfiguration.create_vpc_endpoint_service_configuration = create


PRINCIPAL = re.compile(r"^(\*|arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|role/.+|user/.+))$")


def principal_validation():
    """AWS: ModifyVpcEndpointServicePermissions refuses a principal that is not an IAM
    ARN (or `*`) with InvalidPrincipal; moto accepts any string."""
    original = VPCServiceConfigurationBackend.modify_vpc_endpoint_service_permissions

    def modify(self, service_id, add_principals, remove_principals):
        for principal in add_principals or []:
            if not PRINCIPAL.match(principal):
                raise EC2ClientError("InvalidPrincipal", f"Invalid Principal: '{principal}'")
        return original(self, service_id, add_principals, remove_principals)

    VPCServiceConfigurationBackend.modify_vpc_endpoint_service_permissions = modify




# Endpoint connections, by the provider's service ID: what DescribeVpcEndpointConnections
# lists. Each holds the consumer's endpoint object, so both sides see one state.
CONNECTIONS = {}


def _find_service(service_name):
    from moto.ec2.models import ec2_backends
    for regions in list(ec2_backends.values()):
        for backend in list(regions.values()):
            for config in backend.configurations.values():
                if config.service_name == service_name:
                    return backend, config
    return None, None


def _allows(config, account_id):
    return any(p == "*" or f":iam::{account_id}:" in p for p in config.principals)


def interface_endpoint_connections():
    """AWS: an interface endpoint to an endpoint service is refused (the service is
    invisible) unless the consumer's account is an allowed principal, and, when the
    consumer is in another region, unless that region is an Available supported region
    of the service; it then waits in pendingAcceptance when the service requires acceptance,
    else is available. The provider sees it as an endpoint connection. (moto creates the
    endpoint available at once, with no check and no connection.)"""
    from moto.ec2.models.vpcs import VPCBackend
    original = VPCBackend.create_vpc_endpoint

    def create_vpc_endpoint(self, vpc_id, service_name, endpoint_type, *args, **kwargs):
        provider, config = (None, None)
        if (endpoint_type or "").lower() == "interface":
            provider, config = _find_service(service_name)
        if config is not None:
            # From another region only while that region is an Available supported region.
            cross_region = provider.region_name != self.region_name
            available = {r["Region"] for r in config.supported_regions if r["ServiceState"] == "Available"}
            if not _allows(config, self.account_id) or (cross_region and self.region_name not in available):
                raise EC2ClientError("InvalidServiceName", f"The Vpc Endpoint Service '{service_name}' does not exist")
        endpoint = original(self, vpc_id, service_name, endpoint_type, *args, **kwargs)
        if config is not None:
            endpoint.state = "pendingAcceptance" if config.acceptance_required else "available"
            CONNECTIONS.setdefault(config.id, []).append(
                {"endpoint": endpoint, "owner": self.account_id, "region": self.region_name})
        return endpoint

    VPCBackend.create_vpc_endpoint = create_vpc_endpoint


# How long an accepted connection is `pending` before it is `available` (POST
# /_plink/accepting).
ACCEPTING = {"seconds": 0.0}


def endpoint_connection_actions():
    """AWS: DescribeVpcEndpointConnections (filters service-id, vpc-endpoint-owner,
    vpc-endpoint-state, vpc-endpoint-id), AcceptVpcEndpointConnections
    (pendingAcceptance → pending → available) and RejectVpcEndpointConnections (pending or available → rejected); moto
    answers HTTP 500 to all three."""
    from moto.core.responses import ActionResult
    from moto.ec2.responses import EC2Response

    def owned_connections(response, service_id=None):
        for sid, connections in CONNECTIONS.items():
            if sid in response.ec2_backend.configurations and service_id in (None, sid):
                for connection in connections:
                    yield sid, connection

    def describe(self):
        filters = self._filters_from_querystring()
        found = []
        for sid, c in owned_connections(self):
            fields = {"service-id": sid, "vpc-endpoint-owner": c["owner"],
                      "vpc-endpoint-state": c["endpoint"].state, "vpc-endpoint-id": c["endpoint"].id}
            if all(fields.get(name) in values for name, values in filters.items()):
                found.append({"ServiceId": sid, "VpcEndpointId": c["endpoint"].id, "VpcEndpointOwner": c["owner"],
                              "VpcEndpointState": c["endpoint"].state,
                              "CreationTimestamp": c["endpoint"].creation_timestamp,
                              "VpcEndpointRegion": c["region"]})
        return ActionResult({"VpcEndpointConnections": found})

    def decide(new_state, allowed_from):
        def action(self):
            service_id = self._get_param("ServiceId")
            if service_id not in self.ec2_backend.configurations:
                raise EC2ClientError("InvalidVpcEndpointServiceId.NotFound", f"The service ID '{service_id}' does not exist")
            by_id = {c["endpoint"].id: c for _, c in owned_connections(self, service_id)}
            unsuccessful = []
            for endpoint_id in self._get_param("VpcEndpointIds", []):
                connection = by_id.get(endpoint_id)
                if connection is None:
                    error = ("InvalidVpcEndpointId.NotFound", f"The VPC endpoint '{endpoint_id}' does not exist")
                elif connection["endpoint"].state not in allowed_from:
                    error = ("InvalidState", f"The VPC endpoint '{endpoint_id}' is {connection['endpoint'].state}")
                else:
                    connection["endpoint"].state = new_state
                    continue
                unsuccessful.append({"ResourceId": endpoint_id, "Error": {"Code": error[0], "Message": error[1]}})
            return ActionResult({"Unsuccessful": unsuccessful})
        return action

    EC2Response.describe_vpc_endpoint_connections = describe
    accept = decide("pending", {"pendingAcceptance"})

    def accept_then_set_up(self):
        # An accepted endpoint is `pending` while AWS sets it up, then `available`
        # (AWS PrivateLink guide, "Accept or reject connection requests" and the
        # interface endpoint states: PendingAcceptance, Pending, Available). AWS gives no
        # figure for how long; ACCEPTING["seconds"], 0 by default.
        answer = accept(self)
        refused = {u["ResourceId"] for u in answer.result.get("Unsuccessful", [])}
        accepted = [c["endpoint"] for _, c in owned_connections(self, self._get_param("ServiceId"))
                    if c["endpoint"].id in self._get_param("VpcEndpointIds", []) and c["endpoint"].id not in refused]

        def set_up():
            with _lock:
                for endpoint in accepted:
                    if endpoint.state == "pending":
                        endpoint.state = "available"

        if ACCEPTING["seconds"] > 0:
            threading.Timer(ACCEPTING["seconds"], set_up).start()
        else:
            set_up()
        return answer

    EC2Response.accept_vpc_endpoint_connections = accept_then_set_up
    reject = decide("rejected", {"pendingAcceptance", "pending", "available"})

    def reject_for_a_while(self):
        # Rejection completes asynchronously (see endpoint_service_deletion_order).
        answer = reject(self)
        refused = {u["ResourceId"] for u in answer.result.get("Unsuccessful", [])}
        with _lock:
            for endpoint_id in self._get_param("VpcEndpointIds", []):
                if endpoint_id not in refused:
                    STILL_REJECTING[endpoint_id] = time.monotonic() + REJECTION_SECONDS
        return answer

    EC2Response.reject_vpc_endpoint_connections = reject_for_a_while


# Target health a test has set, by (target group ARN, target ID): the state, and the
# reason code AWS would give with it (None for none).
TARGET_HEALTH = {}


def controllable_target_health():
    """Test control, not AWS fidelity: moto reports every IP target healthy, so a test
    sets a target's health (and its reason code) through the emulator's
    /_plink/target-health endpoint."""
    original = ELBv2Backend.describe_target_health

    def describe_target_health(self, target_group_arn, targets):
        results = original(self, target_group_arn, targets)
        for status in results:
            key = (target_group_arn, status.instance_id)
            if key in TARGET_HEALTH:
                # The test's state, without what an inner patch wrote of another.
                status.status, status.reason = TARGET_HEALTH[key]
                status.description = None
        return results

    ELBv2Backend.describe_target_health = describe_target_health


def network_target_health_states():
    """AWS (Elastic Load Balancing API Reference, TargetHealth; NLB guide, "Health checks
    for Network Load Balancer target groups", Target health status): a target is `unused`,
    reason `Target.NotInUse`, when "the target group is not used by any load balancer or
    the target is in an Availability Zone that is not enabled for its load balancer"; and
    "after a subnet is removed, all targets within the Availability Zone it was associated
    with are marked as unused" (NLB guide, "Update the Availability Zones for your Network
    Load Balancer"). moto reports every registered IP target healthy.

    Here a registered IP target of a TCP target group is `unused`, Target.NotInUse, when no
    load balancer uses its group, or when its address is in a subnet of the group's VPC
    whose zone none of those load balancers has a subnet in. A subnet being removed counts
    as gone from the moment its removal starts (AWS does not say when within the "up to 3
    minutes" its targets turn unused: the stricter reading). A target outside the VPC,
    registered for zone `all`, is reached from every zone."""
    import ipaddress

    original = ELBv2Backend.describe_target_health

    def forwards_to(action, target_group_arn):
        data = getattr(action, "data", action)
        groups = [data.get("TargetGroupArn")] + [g.get("TargetGroupArn")
                                                 for g in data.get("ForwardConfig", {}).get("TargetGroups", [])]
        return target_group_arn in groups

    def zone_of(backend, vpc_id, address):
        ip = ipaddress.ip_address(address)
        for subnet in (s for zone in backend.ec2_backend.subnets.values() for s in zone.values()):
            if subnet.vpc_id == vpc_id and ip in ipaddress.ip_network(subnet.cidr_block):
                return subnet.availability_zone
        return None

    def describe_target_health(self, target_group_arn, targets):
        results = original(self, target_group_arn, targets)
        group = self.target_groups.get(target_group_arn)
        if group is None or group.target_type != "ip" or group.protocol != "TCP":
            return results
        # Used by a load balancer: one of its listeners forwards to the group (moto keeps
        # a group's load balancer after its listener is deleted).
        balancers = [lb for lb in self.load_balancers.values()
                     if any(forwards_to(action, target_group_arn)
                            for listener in lb.listeners.values() for action in listener.default_actions)]
        zones = {s.availability_zone for lb in balancers for s in lb.subnets}
        for status in results:
            if status.status != "healthy":
                continue
            zone = zone_of(self, group.vpc_id, status.instance_id)
            if not balancers or (zone is not None and zone not in zones):
                status.status, status.reason = "unused", "Target.NotInUse"
                status.description = ("Target group is not configured to receive traffic from the load balancer"
                                      if not balancers else
                                      "Target is in an Availability Zone that is not enabled for the load balancer")
        return results

    ELBv2Backend.describe_target_health = describe_target_health


def load_balancer_deletion_protection():
    """AWS (Elastic Load Balancing API Reference, DeleteLoadBalancer: "You can't delete a
    load balancer if deletion protection is enabled"): the call fails while the
    attribute deletion_protection.enabled is true. moto deletes it. The reference lists
    OperationNotPermitted among the action's errors without tying it to this case; that
    is the code emulated."""
    from moto.elbv2.exceptions import ELBClientError

    original = ELBv2Backend.delete_load_balancer

    def delete_load_balancer(self, arn):
        load_balancer = self.load_balancers.get(arn)
        if load_balancer is not None and load_balancer.attrs.get("deletion_protection.enabled") == "true":
            raise ELBClientError(
                "OperationNotPermitted",
                f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled")
        return original(self, arn)

    ELBv2Backend.delete_load_balancer = delete_load_balancer


# The zone each IP target was registered for, by (target group ARN, IP).
_TARGET_ZONES = {}


def ip_targets_outside_the_vpc():
    """AWS (Elastic Load Balancing API Reference, TargetDescription, AvailabilityZone):
    "If the target type is ip and the IP address is outside the VPC, this parameter is
    required", with `all` the value for a network load balancer. RegisterTargets refuses
    such a target without it (ValidationError), and DescribeTargetHealth reports the zone
    a target was registered for. moto accepts the target and forgets the zone. What is
    outside is read as outside every CIDR block of the target group's VPC, the reference's
    own words."""
    import ipaddress

    from moto.elbv2.exceptions import ELBClientError

    original_register = ELBv2Backend.register_targets
    original_health = ELBv2Backend.describe_target_health
    original_target = elbv2_models.FakeHealthStatus.target

    def register_targets(self, target_group_arn, instances):
        group = self.target_groups.get(target_group_arn)
        if group is not None and group.target_type == "ip":
            vpc = self.ec2_backend.get_vpc(group.vpc_id)
            blocks = [ipaddress.ip_network(a["cidr_block"]) for a in vpc.cidr_block_association_set]
            for target in instances:
                zone = target.get("AvailabilityZone")
                inside = any(ipaddress.ip_address(target["Id"]) in block for block in blocks)
                if not inside and zone != "all":
                    raise ELBClientError(
                        "ValidationError",
                        f"The IP address '{target['Id']}' is outside the VPC of target group "
                        f"'{target_group_arn}'; specify 'all' as its Availability Zone")
        result = original_register(self, target_group_arn, instances)
        with _lock:
            for target in instances:
                _TARGET_ZONES[(target_group_arn, target["Id"])] = target.get("AvailabilityZone")
        return result

    def describe_target_health(self, target_group_arn, targets):
        results = original_health(self, target_group_arn, targets)
        for status in results:
            status.availability_zone = _TARGET_ZONES.get((target_group_arn, status.instance_id))
        return results

    def target(self):
        described = original_target.fget(self)
        zone = getattr(self, "availability_zone", None)
        return {**described, "AvailabilityZone": zone} if zone else described

    ELBv2Backend.register_targets = register_targets
    ELBv2Backend.describe_target_health = describe_target_health
    elbv2_models.FakeHealthStatus.target = property(target)


def idempotent_create_listener():
    """AWS: CreateListener with the port, protocol and default actions of an existing
    listener returns that listener, and fails with DuplicateListener when they differ
    (moto compares the port with listener ARNs, so it creates a second listener)."""
    from moto.elbv2.exceptions import DuplicateListenerError
    original = ELBv2Backend.create_listener

    def forwards(actions):
        return sorted(str(getattr(a, "data", a).get("TargetGroupArn")) for a in actions)

    def create_listener(self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, *args, **kwargs):
        balancer = self.load_balancers.get(load_balancer_arn)
        for existing in (balancer.listeners.values() if balancer else []):
            if str(existing.port) != str(port):
                continue
            if existing.protocol == (protocol or "").upper() and forwards(existing.default_actions) == forwards(actions):
                return existing
            raise DuplicateListenerError()
        return original(self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, *args, **kwargs)

    ELBv2Backend.create_listener = create_listener


# Connections just rejected, with the time AWS stops counting them.
STILL_REJECTING = {}
# How long a rejected connection still holds its service. AWS documents no figure; short
# here, so tests stay fast.
REJECTION_SECONDS = 0.4


def _live_connections(service_id):
    """The connections that keep a service from being deleted: pending acceptance,
    accepted and being set up (`pending`), available, or rejected a moment ago."""
    now = time.monotonic()
    return [c for c in CONNECTIONS.get(service_id, [])
            if c["endpoint"].state in ("pendingAcceptance", "pending", "available")
            or STILL_REJECTING.get(c["endpoint"].id, 0) > now]


# Load balancers whose endpoint service is being deleted, with the time it is done.
RELEASING = {}
# AWS deletes an endpoint service asynchronously (Deleting, then Deleted); until then
# its load balancer is still in use. Short here, so tests stay fast.
SERVICE_DELETION_SECONDS = 0.4


def endpoint_service_deletion_order():
    """AWS: DeleteVpcEndpointServiceConfigurations leaves a service that has pending or
    available connections, reporting ExistingVpcEndpointConnections for it in the
    answer's Unsuccessful list (Amazon EC2 API Reference,
    DeleteVpcEndpointServiceConfigurations; moto deletes it); a deleted service's
    connections go with it, and its load balancers stay in use while the deletion
    completes. Rejection completes asynchronously (EC2 API, "Eventual consistency"):
    right after RejectVpcEndpointConnections, the rejected connections still hold the
    service for a moment, though they are described as rejected; AWS documents no
    duration, so the emulator holds them REJECTION_SECONDS, the stricter reading of "a
    moment"."""
    from moto.core.responses import ActionResult
    from moto.ec2.responses import EC2Response

    def delete(self):
        unsuccessful = []
        for service_id in self._get_param("ServiceIds", []):
            if service_id not in self.ec2_backend.configurations:
                error = ("InvalidVpcEndpointService.NotFound", f"The VpcEndpointService Id '{service_id}' does not exist")
            elif _live_connections(service_id):
                error = ("ExistingVpcEndpointConnections",
                         f"Service {service_id} has existing active VPC Endpoint connections")
            else:
                config = self.ec2_backend.configurations.pop(service_id)
                config.service_state = "Deleted"
                DELETED_SERVICES[service_id] = config
                CONNECTIONS.pop(service_id, None)
                for arn in config.network_load_balancer_arns:
                    RELEASING[arn] = time.monotonic() + SERVICE_DELETION_SECONDS
                continue
            unsuccessful.append({"ResourceId": service_id, "Error": {"Code": error[0], "Message": error[1]}})
        return ActionResult({"Unsuccessful": unsuccessful})

    EC2Response.delete_vpc_endpoint_service_configurations = delete


def load_balancer_in_use_by_service():
    """AWS: DeleteLoadBalancer fails with ResourceInUse while an endpoint service is
    built on the load balancer, or is still being deleted (moto deletes it and leaves
    the service dangling)."""
    from moto.ec2.models import ec2_backends
    from moto.elbv2.exceptions import ResourceInUseError
    original = ELBv2Backend.delete_load_balancer

    def delete_load_balancer(self, arn):
        if time.monotonic() < RELEASING.get(arn, 0):
            raise ResourceInUseError(f"Load balancer '{arn}' is still associated with an endpoint service being deleted")
        for regions in list(ec2_backends.values()):
            for backend in list(regions.values()):
                for config in backend.configurations.values():
                    if arn in config.network_load_balancer_arns:
                        raise ResourceInUseError(
                            f"Load balancer '{arn}' cannot be deleted because it is currently associated with "
                            f"another service")
        return original(self, arn)

    ELBv2Backend.delete_load_balancer = delete_load_balancer


# How long a new load balancer stays `provisioning` (POST /_plink/provisioning).
PROVISIONING = {"seconds": 0.0}
_created = {}


def load_balancer_provisioning_time():
    """AWS: a new network load balancer is `provisioning` before it is `active` (NLB guide,
    "Network Load Balancers", Load balancer state; AWS gives no figure for how long); moto
    makes it active on the first look. Here it stays provisioning for
    PROVISIONING["seconds"] after its creation (0 by default, to keep tests fast)."""
    original_create = ELBv2Backend.create_load_balancer
    original_activate = elbv2_models.FakeLoadBalancer.activate

    def create_load_balancer(self, *args, **kwargs):
        balancer = original_create(self, *args, **kwargs)
        _created.setdefault(balancer.arn, time.time())
        return balancer

    def activate(self):
        if time.time() - _created.get(self.arn, 0.0) >= PROVISIONING["seconds"]:
            original_activate(self)

    ELBv2Backend.create_load_balancer = create_load_balancer
    elbv2_models.FakeLoadBalancer.activate = activate


# How long a new or modified endpoint service stays `Pending`, and how long a new one is
# unknown to calls naming its ID (POST /_plink/service-pending); 0 by default, to keep
# tests fast.
SERVICE_PENDING = {"seconds": 0.0, "unlisted": 0.0}
# When each endpoint service was created, and last changed.
_service_created = {}
_service_changed = {}


def endpoint_service_pending_and_eventually_consistent():
    """AWS: a new endpoint service is `Pending` before it is `Available`, and so is one
    just modified (Amazon VPC API Reference, ServiceConfiguration: ServiceState Pending |
    Available | Deleting | Deleted | Failed); moto makes it Available at once. And EC2 is
    eventually consistent (Amazon EC2 API Reference, "Eventual consistency in the Amazon
    EC2 API"): right after a create, a call naming the new ID can fail with
    `InvalidVpcEndpointServiceId.NotFound`. Here every call naming the new service by ID
    (describe, permissions) fails so for SERVICE_PENDING["unlisted"] seconds; AWS gives
    no figures, and the tests set both."""
    from moto.ec2.exceptions import UnknownVpcEndpointService

    original_create = VPCServiceConfigurationBackend.create_vpc_endpoint_service_configuration
    original_describe = VPCServiceConfigurationBackend.describe_vpc_endpoint_service_configurations
    original_modify = VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration

    def settle(config):
        changed = _service_changed.get(config.id, 0.0)
        config.service_state = "Pending" if time.monotonic() - changed < SERVICE_PENDING["seconds"] else "Available"
        return config

    def create(self, *args, **kwargs):
        config = original_create(self, *args, **kwargs)
        with _lock:
            _service_created.setdefault(config.id, time.monotonic())
            _service_changed[config.id] = time.monotonic()
        return settle(config)

    def describe(self, service_ids):
        for service_id in service_ids or []:
            if time.monotonic() - _service_created.get(service_id, 0.0) < SERVICE_PENDING["unlisted"]:
                raise UnknownVpcEndpointService(service_id)
        return [settle(config) for config in original_describe(self, service_ids)]

    def modify(self, service_id, *args, **kwargs):
        result = original_modify(self, service_id, *args, **kwargs)
        with _lock:
            _service_changed[service_id] = time.monotonic()
        return result

    VPCServiceConfigurationBackend.create_vpc_endpoint_service_configuration = create
    VPCServiceConfigurationBackend.describe_vpc_endpoint_service_configurations = describe
    VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration = modify


# How long an added supported region stays `Pending` and a removed one `Deleting`, which
# added regions end `Failed`, and which AWS refuses outright as cross-Region
# (POST /_plink/supported-regions). AWS gives no figures; all off by default.
SUPPORTED_REGIONS = {"pending": 0.0, "deleting": 0.0, "failing": set(), "refused": set()}
# Availability Zones without cross-Region access, by AZ ID (AWS PrivateLink guide,
# "Share your services through AWS PrivateLink", Cross-Region access, Considerations).
NO_CROSS_REGION_ZONES = {"use1-az3", "usw1-az2", "apne1-az3", "apne2-az2", "apne2-az4"}
# Each service's supported regions other than its own: region -> what happened to it.
_regions = {}


def _home_region(config):
    return config.service_name.split(".")[3]


def _region_state(entry):
    age = time.monotonic() - entry["since"]
    if entry["removed"]:
        return "Deleting" if age < entry["deleting"] else "Deleted"
    if age < entry["pending"]:
        return "Pending"
    return "Failed" if entry["fails"] else "Available"


def supported_region_states():
    """AWS (Amazon EC2 API Reference, SupportedRegionDetail): each supported region has
    its own ServiceState, Pending, Available, Deleting, Deleted, Failed or Closed, and
    AWS lists the service's own region among them (the PrivateLink guide: "You can't
    remove the Region that hosts your endpoint service"; removing it is InvalidParameter
    "Cannot remove service region"). moto lists the regions it was given, each Available.

    AWS does not document the transitions. The stricter reading here: an added region is
    Pending, then Available (or Failed); a removed one Deleting, then Deleted, and still
    listed as such; a region already listed, or still being removed, cannot be added
    again, and one not listed (or being removed) cannot be removed (InvalidParameter).

    Cross-Region access is refused, before anything changes, for a load balancer in an
    Availability Zone the guide names as without it, and for regions a test marks as
    refused (AWS offers it only in some regions, opt-in ones later). AWS documents no
    error code for either; InvalidParameter here."""
    from moto.ec2.models.vpc_service_configuration import VPCServiceConfiguration as Config

    original_create = VPCServiceConfigurationBackend.create_vpc_endpoint_service_configuration
    original_modify = VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration

    def invalid(message):
        return EC2ClientError("InvalidParameter", message)

    def refuse_unavailable(backend, lb_arns, regions, home):
        remote = sorted(set(regions) - {home})
        if not remote:
            return
        zones = set()
        for lb in backend.elbv2_backend.describe_load_balancers(arns=lb_arns, names=None):
            zones.update(subnet.availability_zone_id for subnet in lb.subnets)
        if zones & NO_CROSS_REGION_ZONES:
            raise invalid(f"Cross-Region access is not supported for Availability Zone "
                          f"{', '.join(sorted(zones & NO_CROSS_REGION_ZONES))}")
        refused = [r for r in remote if r in SUPPORTED_REGIONS["refused"]]
        if refused:
            raise invalid(f"Cross-Region access is not supported between {home} and {', '.join(refused)}")

    def added(region):
        return {"since": time.monotonic(), "removed": False, "pending": SUPPORTED_REGIONS["pending"],
                "deleting": 0.0, "fails": region in SUPPORTED_REGIONS["failing"]}

    def create(self, lb_arns, acceptance_required, private_dns_name, tags, supported_regions):
        home = self.region_name
        if len(set(supported_regions or [])) != len(supported_regions or []):
            raise invalid("A supported region is given more than once")
        refuse_unavailable(self, lb_arns, supported_regions or [], home)
        config = original_create(self, lb_arns, acceptance_required, private_dns_name, tags, [])
        with _lock:
            _regions[config.id] = {r: added(r) for r in supported_regions or [] if r != home}
        return config

    def modify(self, service_id, *args, add_supported_regions=None, remove_supported_regions=None, **kwargs):
        add, remove = list(add_supported_regions or []), list(remove_supported_regions or [])
        config = self.describe_vpc_endpoint_service_configurations([service_id])[0]
        home = _home_region(config)
        with _lock:
            entries = _regions.setdefault(service_id, {})
            states = {region: _region_state(entry) for region, entry in entries.items()}
            for region in add:
                if region == home or states.get(region, "Deleted") != "Deleted" or region in remove:
                    raise invalid(f"Region {region} is already a supported region of {service_id} "
                                  f"({'Available' if region == home else states.get(region)})")
            for region in remove:
                if region == home:
                    raise invalid(f"Cannot remove service region {region} from {service_id}")
                if states.get(region) in (None, "Deleting", "Deleted"):
                    raise invalid(f"Region {region} is not a supported region of {service_id}")
            refuse_unavailable(self, config.network_load_balancer_arns, add, home)
            result = original_modify(self, service_id, *args, add_supported_regions=[],
                                     remove_supported_regions=[], **kwargs)
            for region in remove:
                entries[region] = {**entries[region], "since": time.monotonic(), "removed": True,
                                   "deleting": SUPPORTED_REGIONS["deleting"]}
            for region in add:
                entries[region] = added(region)
        return result

    def supported_regions(self):
        home = _home_region(self)
        with _lock:
            others = [{"Region": r, "ServiceState": _region_state(e)} for r, e in _regions.get(self.id, {}).items()]
        return [{"Region": home, "ServiceState": "Available"}] + others

    VPCServiceConfigurationBackend.create_vpc_endpoint_service_configuration = create
    VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration = modify
    Config.supported_regions = property(supported_regions)


# How long removing a subnet from a network load balancer takes (POST
# /_plink/subnet-removal): AWS says "Subnet removal can take up to 3 minutes to complete"
# ("Update the Availability Zones for your Network Load Balancer"); 0 by default, to keep
# tests fast. Until then the subnet is still listed and its zone still taken.
SUBNET_REMOVAL = {"seconds": 0.0}
# Subnets being removed, by load balancer ARN: subnet object -> when the removal is done.
_removing_subnets = {}


def network_load_balancer_subnet_changes():
    """AWS (Elastic Load Balancing, Network Load Balancers, "Availability Zones for your
    Network Load Balancer"): subnets can be added and removed at any time, one per zone,
    but "subnet changes within the same Availability Zone must be independent actions.
    You first complete removing the existing subnet, then you can add the new subnet",
    and "you can't remove a subnet if the Network Load Balancer has active Amazon VPC
    endpoint associations". moto replaces the list at once, and asks every load balancer
    for two zones, which a network load balancer does not need.

    Here: a new subnet in a zone the load balancer still has (another subnet there, or one
    being removed) is refused with the message AWS is reported to give (ValidationError;
    AWS documents no code); so is a new subnet with fewer than 8 free addresses
    (InvalidSubnet, load_balancer_subnet_addresses); removing a subnet while an endpoint
    service uses the load balancer is refused (InvalidConfigurationRequest, SetSubnets'
    documented error for a configuration it will not apply; AWS says "if the Network Load
    Balancer has active Amazon VPC endpoint associations": the stricter reading); and a
    removal completes after SUBNET_REMOVAL seconds, up to AWS's 3 minutes, the subnet
    listed until then. A subnet added is enabled for the load balancer's endpoint service
    only as endpoint_service_zones says; the targets of a zone removed turn unused as
    network_target_health_states says."""
    from moto.elbv2.exceptions import ELBClientError

    original_set = ELBv2Backend.set_subnets
    original_zones = elbv2_models.FakeLoadBalancer.availability_zones

    def being_removed(arn):
        now = time.monotonic()
        pending = {s: done for s, done in _removing_subnets.get(arn, {}).items() if done > now}
        _removing_subnets[arn] = pending
        return list(pending)

    def set_subnets(self, arn, subnets, subnet_mappings):
        balancer = self.load_balancers.get(arn)
        if balancer is None or balancer.type != "network":
            return original_set(self, arn, subnets, subnet_mappings)
        wanted = [self.ec2_backend.get_subnet(s) for s in subnets + [m["SubnetId"] for m in subnet_mappings]]
        zones = [s.availability_zone for s in wanted]
        if len(set(zones)) != len(zones):
            raise ELBClientError("InvalidConfigurationRequest",
                                 "More than 1 subnet cannot be specified for 1 availability zone")
        if not wanted:
            raise ELBClientError("ValidationError", "At least one subnet must be specified")
        _refuse_crowded_subnets(self, [s.id for s in wanted], {s.id for s in balancer.subnets})
        with _lock:
            current = {s.id: s for s in balancer.subnets}
            removing = being_removed(arn)
            removed = [s for s in current.values() if s.id not in {w.id for w in wanted}]
            if removed and any(arn in c.network_load_balancer_arns
                               for c in self.ec2_backend.configurations.values()):
                raise ELBClientError(
                    "InvalidConfigurationRequest",
                    f"Subnets cannot be removed from load balancer '{arn}' while it is associated with an "
                    f"endpoint service: {', '.join(s.id for s in removed)}")
            # Zones taken: by the subnets it has, those this call removes among them, and
            # those still being removed.
            taken = {s.availability_zone: s for s in list(current.values()) + removing}
            for subnet in wanted:
                holder = taken.get(subnet.availability_zone)
                if subnet.id not in current and holder is not None and holder.id != subnet.id:
                    raise ELBClientError(
                        "ValidationError",
                        "You cannot specify an additional subnet from an Availability Zone that is already "
                        f"associated with the load balancer. The Availability Zone '{subnet.availability_zone}' "
                        f"corresponding to the new subnet '{subnet.id}' is already associated with the load "
                        "balancer.")
            done = time.monotonic() + SUBNET_REMOVAL["seconds"]
            _removing_subnets.setdefault(arn, {}).update({s: done for s in removed})
            ready = time.monotonic() + ZONE_READY["seconds"]
            _zone_ready_at.update({(arn, s.id): ready for s in wanted if s.id not in current})
            balancer.subnets = wanted
        return [elbv2_models.AvailabilityZone(s) for s in wanted]

    def availability_zones(self):
        listed = original_zones.fget(self)
        with _lock:
            removing = being_removed(self.arn)
        return listed + [elbv2_models.AvailabilityZone(s) for s in removing]

    ELBv2Backend.set_subnets = set_subnets
    elbv2_models.FakeLoadBalancer.availability_zones = property(availability_zones)


# How long a subnet added to a network load balancer takes to be ready for its endpoint
# service (POST /_plink/zone-ready). AWS: "It might take a few minutes", no figure; 0 by
# default, to keep tests fast.
ZONE_READY = {"seconds": 0.0}
# Subnets added to a load balancer after it was made, by (load balancer ARN, subnet ID):
# when AWS has them ready for the endpoint service.
_zone_ready_at = {}


def _ready_subnets(load_balancer):
    now = time.monotonic()
    return [s for s in load_balancer.subnets if _zone_ready_at.get((load_balancer.arn, s.id), 0.0) <= now]


def endpoint_service_zones():
    """AWS (AWS PrivateLink guide, "Configure an endpoint service", Manage load balancers):
    "If you enable another Availability Zone for your load balancers ... it won't be
    enabled for the endpoint service ... You need to enable the endpoint service for the
    new Availability Zone"; "It might take a few minutes for the load balancer's
    Availability Zone to be ready for your endpoint service"; and "to enable the endpoint
    service in an Availability Zone that was recently enabled for the load balancer,
    simply call the command with the ID of the endpoint service". A service lists its
    zones by name and by ID (ServiceConfiguration, AvailabilityZones and
    AvailabilityZoneIds, "the Availability Zones in which the service is available");
    consumers can make endpoints only there ("Share your services through AWS
    PrivateLink", Subnets and Availability Zones). moto lists the zones its load
    balancers had when it was made, by name only, for ever.

    Here a service is available in the zones of its load balancers' subnets that were
    ready when it was made; ModifyVpcEndpointServiceConfiguration on it, with any
    parameters or none, adds each zone of its load balancers that is ready by then, a
    subnet being ready ZONE_READY seconds after SetSubnets added it. A zone not ready yet
    stays out: AWS does not say what the call does then; the stricter reading."""
    from moto.ec2.models.vpc_service_configuration import VPCServiceConfiguration
    from moto.elbv2.models import elbv2_backends

    original_init = VPCServiceConfiguration.__init__
    original_modify = VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration

    def init(self, load_balancers, *args, **kwargs):
        original_init(self, load_balancers, *args, **kwargs)
        self.zone_subnets = [s for lb in load_balancers for s in _ready_subnets(lb)]

    def zone_names(self):
        return sorted({s.availability_zone for s in getattr(self, "zone_subnets", [])})

    def zone_ids(self):
        return sorted({s.availability_zone_id for s in getattr(self, "zone_subnets", [])})

    def modify(self, service_id, *args, **kwargs):
        result = original_modify(self, service_id, *args, **kwargs)
        config = self.configurations.get(service_id)
        if config is not None:
            balancers = elbv2_backends[self.account_id][self.region_name].load_balancers
            with _lock:
                held = [balancers[arn] for arn in config.network_load_balancer_arns if arn in balancers]
                config.zone_subnets = [s for lb in held for s in _ready_subnets(lb)]
        return result

    VPCServiceConfiguration.__init__ = init
    # moto's __init__ sets the names it computes: kept out, the property answers instead.
    VPCServiceConfiguration.availability_zones = property(zone_names, lambda self, value: None)
    VPCServiceConfiguration.availability_zone_ids = property(zone_ids)
    VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration = modify


# How long the network interfaces of a deleted load balancer keep its security groups in
# use (POST /_plink/group-release). AWS documents neither the delay nor its length; it is
# reported (terraform-provider-aws issue 40, DependencyViolation after the load balancer
# went), and emulated as the stricter reading.
GROUP_RELEASE = {"seconds": 0.0}
# Security groups of deleted load balancers, by group ID: when AWS releases them.
_releasing_groups = {}


def network_load_balancer_security_groups():
    """AWS (Elastic Load Balancing, Network Load Balancers, "Security groups for your
    Network Load Balancer"; API reference, SetSecurityGroups):

    - a network load balancer gets security groups only when it is created: SetSecurityGroups
      on one created without them is refused (InvalidConfigurationRequest, the message AWS
      is reported to give), and one created with them keeps at least one (ValidationError
      here; AWS documents no code);
    - `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic` is set by SetSecurityGroups and
      read back by DescribeLoadBalancers; "the default is on". Reported as `on` from the
      creation on (AWS may leave it out until it is set: the stricter reading);
    - EC2 DeleteSecurityGroup fails with DependencyViolation while the group is attached to
      a load balancer, referenced by another group's rule, or still held by the network
      interfaces of a load balancer deleted less than GROUP_RELEASE seconds ago.

    moto accepts SetSecurityGroups on any load balancer, knows no such attribute, and
    deletes any group at once."""
    from moto.elbv2.exceptions import ELBClientError
    from moto.elbv2.responses import ELBV2Response
    from moto.ec2.models.security_groups import SecurityGroupBackend

    original_create = ELBv2Backend.create_load_balancer
    original_delete_lb = ELBv2Backend.delete_load_balancer
    original_delete_group = SecurityGroupBackend.delete_security_group

    def create_load_balancer(self, *args, **kwargs):
        balancer = original_create(self, *args, **kwargs)
        if balancer.type == "network" and balancer.security_groups:
            balancer.created_with_security_groups = True
            balancer.enforce_security_group_inbound_rules_on_private_link_traffic = "on"
        return balancer

    def set_security_groups(self):
        arn = self._get_param("LoadBalancerArn")
        groups = self._get_param("SecurityGroups", [])
        enforce = self._get_param("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
        balancer = self.elbv2_backend.load_balancers.get(arn)
        if balancer is not None and balancer.type == "network":
            if not getattr(balancer, "created_with_security_groups", False):
                raise ELBClientError("InvalidConfigurationRequest",
                                     "You cannot set security groups on a Network Load Balancer which was created "
                                     "without any security groups.")
            if not groups:
                raise ELBClientError("ValidationError",
                                     "A Network Load Balancer created with security groups must keep at least one")
        self.elbv2_backend.set_security_groups(arn, groups)
        result = {"SecurityGroupIds": groups}
        if balancer is not None and enforce in ("on", "off"):
            balancer.enforce_security_group_inbound_rules_on_private_link_traffic = enforce
        if balancer is not None and hasattr(balancer, "enforce_security_group_inbound_rules_on_private_link_traffic"):
            result["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] = \
                balancer.enforce_security_group_inbound_rules_on_private_link_traffic
        from moto.core.responses import ActionResult
        return ActionResult(result)

    def delete_load_balancer(self, arn):
        balancer = self.load_balancers.get(arn)
        groups = list(balancer.security_groups) if balancer is not None else []
        result = original_delete_lb(self, arn)
        with _lock:
            for group in groups:
                _releasing_groups[group] = time.monotonic() + GROUP_RELEASE["seconds"]
        return result

    def delete_security_group(self, name=None, group_id=None):
        from moto.elbv2.models import elbv2_backends

        if group_id:
            in_use = [lb.arn for lb in elbv2_backends[self.account_id][self.region_name].load_balancers.values()
                      if group_id in (lb.security_groups or [])]
            referenced = [rule_group.id for groups in self.groups.values() for rule_group in groups.values()
                          for rule in rule_group.ingress_rules + rule_group.egress_rules
                          if rule_group.id != group_id and rule.source_group.get("GroupId") == group_id]
            with _lock:
                releasing = _releasing_groups.get(group_id, 0.0) > time.monotonic()
            if in_use or referenced or releasing:
                raise EC2ClientError("DependencyViolation", f"resource {group_id} has a dependent object")
        return original_delete_group(self, name=name, group_id=group_id)

    ELBv2Backend.create_load_balancer = create_load_balancer
    ELBv2Backend.delete_load_balancer = delete_load_balancer
    ELBV2Response.set_security_groups = set_security_groups
    SecurityGroupBackend.delete_security_group = delete_security_group


def endpoint_service_load_balancers():
    """AWS (AWS PrivateLink guide, "Configure an endpoint service", Manage load balancers,
    and "Create an endpoint service", Considerations): "A Network Load Balancer can be
    associated with a single endpoint service, but an endpoint service can be associated
    with multiple Network Load Balancers"; the console says "you must keep at least one
    load balancer selected"; and "you can't disassociate a load balancer if there are
    endpoints connected to your endpoint service". moto adds and removes any ARN, and
    fails with a Python error on one it does not hold.

    Here ModifyVpcEndpointServiceConfiguration refuses:
    - with ExistingVpcEndpointConnections ("Error codes for the Amazon EC2 API": "You
      cannot delete a VPC endpoint service configuration or change the load balancers for
      the endpoint service if there are endpoints attached to the service"), any change
      to its load balancers while a connection is pending acceptance, being set up or
      available (or was rejected a moment ago): the PrivateLink guide names removing
      one only, the error list any change, so adding one is refused too (the stricter
      reading);
    - with InvalidParameter (AWS documents no code for these): adding an ARN that is not
      a network load balancer, or that serves an endpoint service already; removing one
      the service does not have, or its last one."""
    from moto.elbv2.models import elbv2_backends

    original_modify = VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration

    def invalid(message):
        return EC2ClientError("InvalidParameter", message)

    def modify(self, service_id, *args, add_network_lbs=None, remove_network_lbs=None, **kwargs):
        add, remove = list(add_network_lbs or []), list(remove_network_lbs or [])
        config = self.configurations.get(service_id)
        if config is not None and (add or remove):
            # First: with an endpoint attached, no change to the load balancers at all.
            if _live_connections(service_id):
                raise EC2ClientError("ExistingVpcEndpointConnections",
                                     f"Service {service_id} has existing active VPC Endpoint connections!")
            balancers = elbv2_backends[self.account_id][self.region_name].load_balancers
            for arn in add:
                lb = balancers.get(arn)
                if lb is None or lb.type != "network":
                    raise invalid(f"{arn} is not a Network Load Balancer")
                if any(arn in c.network_load_balancer_arns for c in self.configurations.values()):
                    raise invalid(f"Load balancer {arn} is already associated with an endpoint service")
            for arn in remove:
                if arn not in config.network_load_balancer_arns:
                    raise invalid(f"Load balancer {arn} is not associated with {service_id}")
            if remove and not set(config.network_load_balancer_arns) - set(remove) and not add:
                raise invalid(f"Endpoint service {service_id} must keep at least one load balancer")
        return original_modify(self, service_id, *args, add_network_lbs=add, remove_network_lbs=remove, **kwargs)

    VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration = modify


# AWS's TCP idle timeout when none is set, and the range it takes.
IDLE_TIMEOUT_DEFAULT = "350"
IDLE_TIMEOUT_RANGE = (60, 6000)
# "Listeners per Network Load Balancer: 50" (Quotas for your Network Load Balancers; not
# adjustable).
LISTENERS_PER_LOAD_BALANCER = 50


def _remote_regions(service_id, home):
    """The regions other than its own a service takes connections from, or is still
    setting up or removing."""
    with _lock:
        entries = dict(_regions.get(service_id, {}))
    return [r for r, e in entries.items() if r != home and _region_state(e) not in ("Deleted", "Failed")]


def _custom_idle_timeouts(backend, lb_arns):
    """The listeners of these load balancers whose TCP idle timeout is not AWS's."""
    found = []
    for arn in lb_arns:
        balancer = backend.load_balancers.get(arn)
        for listener in (balancer.listeners.values() if balancer else []):
            value = listener.attributes.get("tcp.idle_timeout.seconds", IDLE_TIMEOUT_DEFAULT)
            if str(value) != IDLE_TIMEOUT_DEFAULT:
                found.append(f"{listener.arn} ({value} s)")
    return found


def listener_attributes_and_limits():
    """AWS (Elastic Load Balancing API Reference, ListenerAttribute; NLB guide, "Update
    the TCP idle timeout for your Network Load Balancer listener"; "Quotas for your Network
    Load Balancers"; PrivateLink guide, "Share your services through AWS PrivateLink",
    Cross-Region access considerations):

    - `tcp.idle_timeout.seconds` is the one listener attribute of a Network Load
      Balancer, for TCP listeners only ("If the listener uses a protocol other than TCP,
      this tab is not present"; TLS is fixed at 350 s and UDP at 120 s), with a valid
      range of 60-6000 seconds and a default of 350. AWS names no error code for a value
      out of range, an unknown key or another protocol; ModifyListenerAttributes models
      only InvalidConfigurationRequest (and ListenerNotFound), answered here. moto takes
      any key and any value on any listener.
    - "Listeners per Network Load Balancer: 50", not adjustable: CreateListener answers
      TooManyListeners ("You've reached the limit on the number of listeners per load
      balancer"). moto has no limit.
    - "Cross-Region access is not supported for Network Load Balancers with a custom
      value configured for the TCP idle timeout." The guide does not say how AWS refuses
      it; the stricter reading here refuses both orders: a custom timeout on a load
      balancer whose service has another region (InvalidConfigurationRequest), and
      another region for a service on a load balancer with a custom timeout
      (InvalidParameter, as for the other cross-Region refusals). A region being removed
      still counts until it is Deleted."""
    from moto.ec2.models import ec2_backends
    from moto.elbv2.exceptions import ELBClientError

    def invalid(message):
        return ELBClientError("InvalidConfigurationRequest", message)

    original_create_listener = ELBv2Backend.create_listener
    original_modify = ELBv2Backend.modify_listener_attributes

    def create_listener(self, load_balancer_arn, *args, **kwargs):
        balancer = self.load_balancers.get(load_balancer_arn)
        if balancer is not None and len(balancer.listeners) >= LISTENERS_PER_LOAD_BALANCER:
            raise ELBClientError(
                "TooManyListeners", "You've reached the limit on the number of listeners per load balancer.")
        return original_create_listener(self, load_balancer_arn, *args, **kwargs)

    def services_on(lb_arn):
        for regions in list(ec2_backends.values()):
            for backend in list(regions.values()):
                for config in list(backend.configurations.values()):
                    if lb_arn in config.network_load_balancer_arns:
                        yield config

    def modify_listener_attributes(self, listener_arn, attrs):
        listener = self.describe_listeners(load_balancer_arn=None, listener_arns=[listener_arn])[0]
        for attribute in attrs:
            key, value = attribute.get("Key"), str(attribute.get("Value"))
            if key != "tcp.idle_timeout.seconds":
                raise invalid(f"Listener attribute key '{key}' is not supported on Network Load Balancers")
            if (listener.protocol or "").upper() != "TCP":
                raise invalid(f"Listener attribute '{key}' is not supported for {listener.protocol} listeners")
            low, high = IDLE_TIMEOUT_RANGE
            if not value.isdigit() or not low <= int(value) <= high:
                raise invalid(f"Listener attribute '{key}' must be between {low} and {high} seconds")
            if value != IDLE_TIMEOUT_DEFAULT:
                for config in services_on(listener.load_balancer_arn):
                    remote = _remote_regions(config.id, _home_region(config))
                    if remote:
                        raise invalid(
                            f"A custom TCP idle timeout is not supported for a load balancer whose endpoint "
                            f"service {config.id} has cross-Region access ({', '.join(remote)})")
        return original_modify(self, listener_arn, attrs)

    ELBv2Backend.create_listener = create_listener
    ELBv2Backend.modify_listener_attributes = modify_listener_attributes

    original_create = VPCServiceConfigurationBackend.create_vpc_endpoint_service_configuration
    original_modify_service = VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration

    def refuse_custom(backend, lb_arns, regions, home):
        if not [r for r in regions or [] if r != home]:
            return
        custom = _custom_idle_timeouts(backend.elbv2_backend, lb_arns)
        if custom:
            raise EC2ClientError(
                "InvalidParameter",
                f"Cross-Region access is not supported for Network Load Balancers with a custom TCP idle "
                f"timeout: {', '.join(custom)}")

    def create(self, lb_arns, acceptance_required, private_dns_name, tags, supported_regions):
        refuse_custom(self, lb_arns, supported_regions, self.region_name)
        return original_create(self, lb_arns, acceptance_required, private_dns_name, tags, supported_regions)

    def modify(self, service_id, *args, add_supported_regions=None, **kwargs):
        config = self.describe_vpc_endpoint_service_configurations([service_id])[0]
        refuse_custom(self, config.network_load_balancer_arns, add_supported_regions, _home_region(config))
        return original_modify_service(self, service_id, *args, add_supported_regions=add_supported_regions, **kwargs)

    VPCServiceConfigurationBackend.create_vpc_endpoint_service_configuration = create
    VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration = modify


def apply_all():
    # Order matters: the ARN patch wraps moto's create, idempotency wraps the ARN patch,
    # and the provisioning clock starts on whatever create returns.
    # Innermost: an identical create returns the load balancer there is, unchecked.
    load_balancer_subnet_addresses()
    network_load_balancer_arns()
    idempotent_create_load_balancer()
    load_balancer_provisioning_time()
    idempotent_create_target_group()
    network_target_group_health_checks()
    endpoint_service_filters()
    endpoint_service_load_balancers()
    endpoint_service_zones()
    # Below the client token and Pending patches, which wrap whatever create is then.
    supported_region_states()
    listener_attributes_and_limits()
    endpoint_service_client_token()
    principal_validation()
    interface_endpoint_connections()
    endpoint_connection_actions()
    # Below the test's control, which has the last word.
    network_target_health_states()
    controllable_target_health()
    elb_tag_validation()
    idempotent_create_listener()
    endpoint_service_deletion_order()
    load_balancer_in_use_by_service()
    ip_targets_outside_the_vpc()
    endpoint_service_pending_and_eventually_consistent()
    load_balancer_deletion_protection()
    network_load_balancer_subnet_changes()
    network_load_balancer_security_groups()
    rds_default_parameter_groups()
    rds_parameter_listing()
    rds_parameter_group_changes()
    rds_port_changes()
    rds_instance_details()
    network_acl_rules()
    # The role check innermost, then the state gates, then request validation: AWS
    # validates a request before it looks at the function's state or its role.
    lambda_execution_role()
    lambda_function_states()
    lambda_permission_statement_ids()
    lambda_request_validation()
    iam_role_validation()
    eventbridge_rule_updates()
    eventbridge_request_validation()
    cloudwatch_alarm_updates()
    cloudwatch_alarm_validation()
    cloudwatch_metric_identity()
    logs_request_validation()
    lambda_logging_config()


ELB_TAG = re.compile(r"^[\w\s.:/=+\-@]*$", re.UNICODE)


def elb_tag_validation():
    """AWS: ELBv2 refuses tag keys and values outside [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@] with a
    ValidationError (a comma, for one); moto stores any string."""
    from moto.elbv2.exceptions import ELBClientError as RESTError

    def check(tags):
        for tag in tags or []:
            for text in (tag.get("Key", ""), tag.get("Value", "")):
                if not ELB_TAG.match(text or ""):
                    raise RESTError("ValidationError", f"Tag '{text}' does not match the allowed pattern")

    original_add = ELBv2Backend.add_tags
    original_lb = ELBv2Backend.create_load_balancer
    original_tg = ELBv2Backend.create_target_group

    def add_tags(self, resource_arns, tags):
        check(tags)
        return original_add(self, resource_arns, tags)

    def create_load_balancer(self, *args, **kwargs):
        check(kwargs.get("tags"))
        return original_lb(self, *args, **kwargs)

    def create_target_group(self, name, **kwargs):
        check(kwargs.get("tags"))
        return original_tg(self, name, **kwargs)

    ELBv2Backend.add_tags = add_tags
    ELBv2Backend.create_load_balancer = create_load_balancer
    ELBv2Backend.create_target_group = create_target_group


# The certificate authority AWS gives a new DB instance when none is named ("Using SSL/TLS
# to encrypt a connection to a DB instance or cluster": "The default CA is set to
# rds-ca-rsa2048-g1").
RDS_DEFAULT_CA = "rds-ca-rsa2048-g1"


def _parameter_family(engine, version):
    """The DB parameter group family AWS gives an engine and version: the engine and its
    major version (`mysql8.0`, `mariadb10.11`, `aurora-mysql8.0`, `postgres16`,
    `aurora-postgresql16`); None for an engine left to moto's naming."""
    engine, parts = (engine or "").lower(), (version or "").split(".")
    try:
        if engine == "aurora-mysql":
            major = ".".join(parts[:2]) if "mysql_aurora" in version else {"3": "8.0", "2": "5.7"}[parts[0]]
            return f"aurora-mysql{major}"
        if engine in ("postgres", "aurora-postgresql"):
            return engine + (parts[0] if int(parts[0]) >= 10 else ".".join(parts[:2]))
        if engine in ("mysql", "mariadb") and len(parts) >= 2:
            return engine + ".".join(parts[:2])
    except (KeyError, ValueError, IndexError):
        pass
    return None


def rds_default_parameter_groups():
    """AWS ("Overview of parameter groups", Amazon RDS and Aurora user guides): a DB
    instance created without a DB parameter group uses its engine's default one, named
    `default.<family>`, and an Aurora cluster created without a DB cluster parameter group
    its engine's default DB cluster parameter group, the family being the engine and its
    major version (`mysql8.0`, `aurora-mysql8.0`); both can be described like any group.
    CreateDBCluster naming a DB cluster parameter group that does not exist fails with
    DBClusterParameterGroupNotFound (API reference, CreateDBCluster).

    moto names an Aurora instance's default group after the whole version
    (`default.aurora-mysql8.0.mysql_aurora.3.08`), gives every cluster `default.aurora8.0`,
    which it cannot describe, and accepts any cluster parameter group name. Here the default
    groups exist from the moment an instance or cluster uses them (AWS does not say whether
    they exist before; the stricter reading)."""
    from moto.rds.exceptions import DBClusterParameterGroupNotFoundError
    from moto.rds.models import DBClusterParameterGroup, DBInstance, RDSBackend

    original_details = DBInstance.default_db_parameter_group_details
    original_create_instance = RDSBackend.create_db_instance
    original_create_cluster = RDSBackend.create_db_cluster

    def default_db_parameter_group_details(self):
        family = _parameter_family(self.engine, self.engine_version)
        return (family, f"default.{family}") if family else original_details(self)

    def create_db_instance(self, db_kwargs):
        database = original_create_instance(self, db_kwargs)
        database.db_parameter_groups()  # moto makes the default group on this first look
        return database

    def create_db_cluster(self, kwargs):
        named = kwargs.get("db_cluster_parameter_group_name")
        if named and named not in self.db_cluster_parameter_groups:
            raise DBClusterParameterGroupNotFoundError(named)
        cluster = original_create_cluster(self, kwargs)
        family = _parameter_family(cluster.engine, cluster.engine_version)
        if not named and family:
            cluster.parameter_group = f"default.{family}"
            if cluster.parameter_group not in self.db_cluster_parameter_groups:
                self.db_cluster_parameter_groups[cluster.parameter_group] = DBClusterParameterGroup(
                    backend=self, db_cluster_parameter_group_name=cluster.parameter_group,
                    db_parameter_group_family=family, description=f"Default cluster parameter group for {family}")
        return cluster

    DBInstance.default_db_parameter_group_details = default_db_parameter_group_details
    RDSBackend.create_db_instance = create_db_instance
    RDSBackend.create_db_cluster = create_db_cluster


# Whether an engine-default parameter is listed with its value (POST
# /_plink/parameter-defaults {"values": false} lists it without, as AWS does for a
# parameter whose default it leaves to the engine).
PARAMETER_DEFAULTS = {"values": True}

# The parameters of the MySQL families (mysql, mariadb) by name, from the MySQL 8.0 server
# options RDS exposes; for Aurora MySQL, those that apply to it, split as the Aurora user
# guide's "Aurora MySQL configuration parameters" splits them. Only max_connect_errors is
# described in full (MAX_CONNECT_ERRORS); the others are listed by name so that a group
# is as long as on AWS and paging works as there: max_connect_errors is not on the first
# page of 100.
MYSQL_PARAMETER_NAMES = sorted(set("""
    activate_all_roles_on_login auto_increment_increment auto_increment_offset autocommit automatic_sp_privileges
    back_log basedir binlog_cache_size binlog_checksum binlog_error_action binlog_format
    binlog_group_commit_sync_delay binlog_group_commit_sync_no_delay_count binlog_max_flush_queue_time
    binlog_order_commits binlog_row_image binlog_row_metadata binlog_row_value_options binlog_rows_query_log_events
    binlog_stmt_cache_size binlog_transaction_compression binlog_transaction_compression_level_zstd
    binlog_transaction_dependency_history_size binlog_transaction_dependency_tracking bulk_insert_buffer_size
    character-set-client-handshake character_set_client character_set_connection character_set_database
    character_set_filesystem character_set_results character_set_server collation_connection collation_server
    completion_type concurrent_insert connect_timeout core-file cte_max_recursion_depth datadir
    default_authentication_plugin default_password_lifetime default_storage_engine default_time_zone
    default_tmp_storage_engine default_week_format delay_key_write delayed_insert_limit delayed_insert_timeout
    delayed_queue_size div_precision_increment end_markers_in_json enforce_gtid_consistency
    eq_range_index_dive_limit event_scheduler explicit_defaults_for_timestamp flush flush_time ft_boolean_syntax
    ft_max_word_len ft_min_word_len ft_query_expansion_limit ft_stopword_file general_log general_log_file
    group_concat_max_len gtid-mode host_cache_size init_connect innodb_adaptive_flushing
    innodb_adaptive_flushing_lwm innodb_adaptive_hash_index innodb_adaptive_hash_index_parts
    innodb_adaptive_max_sleep_delay innodb_autoextend_increment innodb_autoinc_lock_mode
    innodb_buffer_pool_chunk_size innodb_buffer_pool_dump_at_shutdown innodb_buffer_pool_dump_now
    innodb_buffer_pool_dump_pct innodb_buffer_pool_filename innodb_buffer_pool_instances
    innodb_buffer_pool_load_abort innodb_buffer_pool_load_at_startup innodb_buffer_pool_load_now
    innodb_buffer_pool_size innodb_change_buffer_max_size innodb_change_buffering innodb_checksum_algorithm
    innodb_cmp_per_index_enabled innodb_commit_concurrency innodb_compression_failure_threshold_pct
    innodb_compression_level innodb_compression_pad_pct_max innodb_concurrency_tickets innodb_data_home_dir
    innodb_deadlock_detect innodb_default_row_format innodb_disable_sort_file_cache innodb_file_per_table
    innodb_fill_factor innodb_flush_log_at_timeout innodb_flush_log_at_trx_commit innodb_flush_method
    innodb_flush_neighbors innodb_flush_sync innodb_flushing_avg_loops innodb_force_load_corrupted
    innodb_ft_aux_table innodb_ft_cache_size innodb_ft_enable_stopword innodb_ft_max_token_size
    innodb_ft_min_token_size innodb_ft_num_word_optimize innodb_ft_result_cache_limit
    innodb_ft_server_stopword_table innodb_ft_sort_pll_degree innodb_ft_total_cache_size
    innodb_ft_user_stopword_table innodb_io_capacity innodb_io_capacity_max innodb_lock_wait_timeout
    innodb_log_buffer_size innodb_log_compressed_pages innodb_log_file_size innodb_log_files_in_group
    innodb_log_group_home_dir innodb_lru_scan_depth innodb_max_dirty_pages_pct innodb_max_dirty_pages_pct_lwm
    innodb_max_purge_lag innodb_max_purge_lag_delay innodb_monitor_disable innodb_monitor_enable
    innodb_monitor_reset innodb_monitor_reset_all innodb_old_blocks_pct innodb_old_blocks_time
    innodb_online_alter_log_max_size innodb_open_files innodb_optimize_fulltext_only innodb_page_cleaners
    innodb_page_size innodb_print_all_deadlocks innodb_purge_batch_size innodb_purge_rseg_truncate_frequency
    innodb_purge_threads innodb_random_read_ahead innodb_read_ahead_threshold innodb_read_io_threads
    innodb_read_only innodb_replication_delay innodb_rollback_on_timeout innodb_rollback_segments
    innodb_sort_buffer_size innodb_spin_wait_delay innodb_stats_auto_recalc innodb_stats_method
    innodb_stats_on_metadata innodb_stats_persistent innodb_stats_persistent_sample_pages
    innodb_stats_transient_sample_pages innodb_status_output innodb_status_output_locks innodb_strict_mode
    innodb_sync_array_size innodb_sync_spin_loops innodb_table_locks innodb_thread_concurrency
    innodb_thread_sleep_delay innodb_undo_directory innodb_undo_log_truncate innodb_write_io_threads
    interactive_timeout internal_tmp_mem_storage_engine join_buffer_size keep_files_on_create key_buffer_size
    key_cache_age_threshold key_cache_block_size key_cache_division_limit lc_time_names local_infile
    lock_wait_timeout log-bin log_bin_trust_function_creators log_error log_error_verbosity log_output
    log_queries_not_using_indexes log_slow_admin_statements log_slow_extra log_throttle_queries_not_using_indexes
    long_query_time low_priority_updates lower_case_table_names max_allowed_packet max_binlog_cache_size
    max_binlog_size max_binlog_stmt_cache_size max_connect_errors max_connections max_delayed_threads
    max_error_count max_execution_time max_heap_table_size max_join_size max_length_for_sort_data
    max_prepared_stmt_count max_seeks_for_key max_sort_length max_sp_recursion_depth max_user_connections
    max_write_lock_count min_examined_row_limit myisam_data_pointer_size myisam_max_sort_file_size
    myisam_mmap_size myisam_sort_buffer_size myisam_stats_method myisam_use_mmap net_buffer_length
    net_read_timeout net_retry_count net_write_timeout open_files_limit optimizer_prune_level
    optimizer_search_depth optimizer_switch optimizer_trace optimizer_trace_features optimizer_trace_limit
    optimizer_trace_max_mem_size optimizer_trace_offset performance_schema pid_file plugin_dir port
    preload_buffer_size query_alloc_block_size query_prealloc_size range_alloc_block_size read_buffer_size
    read_only read_rnd_buffer_size relay-log relay_log_recovery require_secure_transport secure_file_priv
    server_id skip-character-set-client-handshake skip_external_locking skip_name_resolve skip_show_database
    slow_launch_time slow_query_log slow_query_log_file socket sort_buffer_size sql_mode sql_select_limit
    stored_program_cache sync_binlog sync_relay_log sync_relay_log_info table_definition_cache table_open_cache
    table_open_cache_instances temptable_max_mmap temptable_max_ram temptable_use_mmap thread_cache_size
    thread_handling thread_stack time_zone tls_version tmp_table_size tmpdir transaction_alloc_block_size
    transaction_isolation transaction_prealloc_size updatable_views_with_limit wait_timeout
""".split()))
# Set by RDS rather than left to the engine (Source "system").
MYSQL_SYSTEM_PARAMETERS = set("""
    basedir datadir general_log_file innodb_buffer_pool_size innodb_data_home_dir innodb_log_group_home_dir
    log_error max_connections pid_file plugin_dir port relay-log secure_file_priv server_id slow_query_log_file
    socket table_definition_cache table_open_cache tmpdir
""".split())
# Aurora MySQL's cluster-level parameters, and the MySQL ones that do not apply to it.
AURORA_MYSQL_CLUSTER_PARAMETERS = set("""
    auto_increment_increment auto_increment_offset binlog_checksum binlog_format binlog_group_commit_sync_delay
    binlog_group_commit_sync_no_delay_count binlog_row_image binlog_row_metadata binlog_row_value_options
    binlog_rows_query_log_events binlog_transaction_dependency_history_size binlog_transaction_dependency_tracking
    character-set-client-handshake character_set_client character_set_connection character_set_database
    character_set_filesystem character_set_results character_set_server collation_connection collation_server
    completion_type default_storage_engine enforce_gtid_consistency gtid-mode innodb_autoinc_lock_mode
    innodb_cmp_per_index_enabled innodb_commit_concurrency innodb_default_row_format innodb_file_per_table
    innodb_flush_log_at_trx_commit innodb_ft_max_token_size innodb_ft_min_token_size innodb_ft_num_word_optimize
    innodb_ft_sort_pll_degree innodb_online_alter_log_max_size innodb_optimize_fulltext_only innodb_purge_batch_size
    innodb_purge_threads innodb_rollback_on_timeout innodb_rollback_segments innodb_spin_wait_delay
    innodb_strict_mode innodb_sync_array_size innodb_sync_spin_loops innodb_table_locks lc_time_names
    lower_case_table_names require_secure_transport time_zone tls_version
""".split())
AURORA_MYSQL_INAPPLICABLE = set("""
    innodb_adaptive_flushing innodb_adaptive_flushing_lwm innodb_buffer_pool_chunk_size innodb_buffer_pool_instances
    innodb_change_buffering innodb_checksum_algorithm innodb_flush_log_at_timeout innodb_flush_method
    innodb_flush_neighbors innodb_io_capacity innodb_io_capacity_max innodb_log_buffer_size innodb_log_file_size
    innodb_log_files_in_group innodb_max_dirty_pages_pct innodb_page_size innodb_undo_log_truncate
    innodb_write_io_threads thread_cache_size
""".split())
# max_connect_errors as RDS describes it: MySQL's default, 100 ("engine-default"), any
# value from 1 up, applied without a reboot. An instance-level parameter in Aurora MySQL
# ("Aurora MySQL configuration parameters", Instance-level parameters), which an Aurora
# DB cluster parameter group holds too ("DB cluster parameter groups for Amazon Aurora DB
# clusters": "The cluster parameter group includes defaults for both the cluster-level
# and instance-level parameters").
MAX_CONNECT_ERRORS = {
    "ParameterName": "max_connect_errors",
    "ParameterValue": "100",
    "Description": "A host is blocked from further connections if there are more than this number of "
                   "interrupted connections",
    "Source": "engine-default",
    "ApplyType": "dynamic",
    "DataType": "integer",
    "AllowedValues": "1-18446744073709551615",
    "IsModifiable": True,
    "ApplyMethod": "pending-reboot",
}


def _family_parameters(family, cluster):
    """The parameters a group of this family lists on AWS before any change, by name;
    None for a family this layer does not describe."""
    family = (family or "").lower()
    if family.startswith("aurora-mysql"):
        names = [n for n in MYSQL_PARAMETER_NAMES if n not in AURORA_MYSQL_INAPPLICABLE]
        names = names if cluster else [n for n in names if n not in AURORA_MYSQL_CLUSTER_PARAMETERS]
    elif family.startswith(("mysql", "mariadb")):
        names = MYSQL_PARAMETER_NAMES
    else:
        return None
    listed = {}
    for name in names:
        source = "system" if name in MYSQL_SYSTEM_PARAMETERS else "engine-default"
        listed[name] = {"ParameterName": name, "Source": source, "ApplyMethod": "pending-reboot"}
    listed["max_connect_errors"] = dict(MAX_CONNECT_ERRORS)
    if not PARAMETER_DEFAULTS["values"]:
        listed["max_connect_errors"].pop("ParameterValue")
    return listed


def rds_parameter_listing():
    """AWS (API reference, DescribeDBParameters and DescribeDBClusterParameters): a group
    lists every parameter of its family, engine defaults and values RDS sets included, each
    with its Source (`engine-default`, `system`, or `user` once modified) and the value a
    ModifyDB(Cluster)ParameterGroup gave it; `Source` narrows the list to one kind, and
    `Filters` takes "only ... parameter-name" ("The results list only includes information
    about the DB parameters with these names"); MaxRecords ("Minimum 20, maximum 100",
    default 100) and Marker page through it. moto lists only the parameters a call
    modified, without Source, ignores Source and Filters, pages nothing, and cannot
    describe a default cluster group.

    Here the MySQL families (mysql, mariadb, aurora-mysql) list their parameters by name,
    max_connect_errors described in full (MAX_CONNECT_ERRORS), sorted by name; another
    filter name, a MaxRecords out of range or a marker it did not give is refused with
    InvalidParameterValue (AWS documents no code; the stricter reading). Other families
    list what was modified, as moto does, paged and filtered the same way."""
    import base64
    import json

    from moto.core.responses import ActionResult
    from moto.rds.exceptions import DBClusterParameterGroupNotFoundError, DBParameterGroupNotFoundError
    from moto.rds.exceptions import InvalidParameterValue
    from moto.rds.responses import RDSResponse

    def listed(group, family, cluster):
        parameters = _family_parameters(family, cluster) or {}
        for name, changed in group.parameters.items():
            base = parameters.get(name, {"ParameterName": name})
            change = {k: v for k, v in changed.items() if k in ("ParameterValue", "ApplyMethod") and v is not None}
            parameters[name] = {**base, **change, "Source": "user"}
        return [parameters[name] for name in sorted(parameters)]

    def page(response, group_name, parameters):
        params = response.params
        source = params.get("Source")
        if source is not None:
            if source not in ("user", "system", "engine-default"):
                raise InvalidParameterValue(f"Invalid source: {source}. Valid values: user, system, engine-default")
            parameters = [p for p in parameters if p.get("Source") == source]
        for f in params.get("Filters") or []:
            if f["Name"] != "parameter-name":
                raise InvalidParameterValue(f"Unrecognized filter name: {f['Name']}")
            parameters = [p for p in parameters if p["ParameterName"] in (f.get("Values") or [])]
        size = int(params.get("MaxRecords") or 100)
        if not 20 <= size <= 100:
            raise InvalidParameterValue(f"Invalid value {size} for MaxRecords. Must be between 20 and 100")
        start = 0
        if params.get("Marker"):
            try:
                marked = json.loads(base64.b64decode(params["Marker"]))
                assert marked["group"] == group_name
                start = int(marked["offset"])
            except Exception:
                raise InvalidParameterValue(f"Invalid marker: {params['Marker']}")
        result = {"Parameters": parameters[start:start + size]}
        if start + size < len(parameters):
            result["Marker"] = base64.b64encode(
                json.dumps({"group": group_name, "offset": start + size}).encode()).decode()
        return ActionResult(result)

    def describe_db_parameters(self):
        name = self.params.get("DBParameterGroupName")
        group = self.backend.db_parameter_groups.get(name)
        if group is None:
            raise DBParameterGroupNotFoundError(name)
        return page(self, group.name, listed(group, group.family, cluster=False))

    def describe_db_cluster_parameters(self):
        name = self.params.get("DBClusterParameterGroupName")
        group = self.backend.db_cluster_parameter_groups.get(name)
        if group is None:
            raise DBClusterParameterGroupNotFoundError(name)
        return page(self, group.name, listed(group, group.db_parameter_group_family, cluster=True))

    RDSResponse.describe_db_parameters = describe_db_parameters
    RDSResponse.describe_db_cluster_parameters = describe_db_cluster_parameters


def rds_parameter_group_changes():
    """AWS ("Overview of parameter groups": "You can't modify the parameter settings of a
    default parameter group"): ModifyDBParameterGroup and ModifyDBClusterParameterGroup on
    a `default.` group fail with InvalidParameterValue "Cannot modify a default parameter
    group." (the code and message AWS is reported to answer; the API reference lists only
    DBParameterGroupNotFound and InvalidDBParameterGroupState for these actions). A value
    outside the parameter's AllowedValues is refused too (InvalidParameterValue; AWS
    documents no message), here for max_connect_errors, the one parameter described in
    full, and so is a request changing more than 20 parameters (API reference: "A maximum
    of 20 parameters can be modified in a single request"; InvalidParameterValue, the
    stricter reading). moto changes any group, default ones included, to any value."""
    from moto.rds.exceptions import InvalidParameterValue
    from moto.rds.models import RDSBackend

    original_modify = RDSBackend.modify_db_parameter_group
    original_modify_cluster = RDSBackend.modify_db_cluster_parameter_group

    def check(name, parameters):
        parameters = list(parameters or [])
        if (name or "").lower().startswith("default."):
            raise InvalidParameterValue("Cannot modify a default parameter group.")
        if len(parameters) > 20:
            raise InvalidParameterValue("A maximum of 20 parameters can be modified in a single request.")
        for parameter in parameters:
            if parameter.get("ParameterName") != "max_connect_errors":
                continue
            value = str(parameter.get("ParameterValue"))
            if not value.isdigit() or not 1 <= int(value) <= 18446744073709551615:
                raise InvalidParameterValue(
                    f"Value: {value} is outside of range {MAX_CONNECT_ERRORS['AllowedValues']} for parameter: "
                    "max_connect_errors")
        return parameters

    def modify_db_parameter_group(self, db_parameter_group_name, db_parameter_group_parameters):
        parameters = check(db_parameter_group_name, db_parameter_group_parameters)
        return original_modify(self, db_parameter_group_name, parameters)

    def modify_db_cluster_parameter_group(self, db_cluster_parameter_group_name,
                                          db_cluster_parameter_group_parameters):
        parameters = check(db_cluster_parameter_group_name, db_cluster_parameter_group_parameters)
        return original_modify_cluster(self, db_cluster_parameter_group_name, parameters)

    RDSBackend.modify_db_parameter_group = modify_db_parameter_group
    RDSBackend.modify_db_cluster_parameter_group = modify_db_cluster_parameter_group


def rds_port_changes():
    """AWS (API reference, ModifyDBInstance, DBPortNumber): "The port number on which the
    database accepts connections"; changing it restarts the database whatever
    ApplyImmediately says, and the endpoint then reports the new port. moto accepts the
    parameter and keeps the old port."""
    from moto.rds.models import RDSBackend

    original = RDSBackend.modify_db_instance

    def modify_db_instance(self, db_instance_identifier, db_kwargs):
        port = db_kwargs.get("DBPortNumber", db_kwargs.get("db_port_number"))
        database = original(self, db_instance_identifier, db_kwargs)
        if port is not None:
            database.port = int(port)
        return database

    RDSBackend.modify_db_instance = modify_db_instance


def rds_instance_details():
    """AWS (API reference, DBInstance): DescribeDBInstances reports each instance's
    CACertificateIdentifier, `rds-ca-rsa2048-g1` when none was named at creation ("Using
    SSL/TLS to encrypt a connection to a DB instance or cluster": "The default CA is set to
    rds-ca-rsa2048-g1"; moto reports `rds-ca-default`), and its DBSubnetGroup, for an
    Aurora instance its cluster's, with the subnets and their zones (moto reports none for
    an instance in a cluster)."""
    from moto.rds.models import DBInstance, DBInstanceClustered

    original_init = DBInstance.__init__
    original_clustered_init = DBInstanceClustered.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if self.ca_certificate_identifier in (None, "", "rds-ca-default"):
            self.ca_certificate_identifier = RDS_DEFAULT_CA

    def clustered_init(self, *args, **kwargs):
        original_clustered_init(self, *args, **kwargs)
        group = self.backend.subnet_groups.get(self.cluster.db_subnet_group_name)
        if group is not None:
            self.db_subnet_group = group

    DBInstance.__init__ = __init__
    DBInstanceClustered.__init__ = clustered_init


# Network ACL protocols AWS takes by name, and the number it reports for each.
NETWORK_ACL_PROTOCOLS = {"all": "-1", "tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}


def network_acl_rules():
    """AWS (Amazon EC2 API Reference, CreateNetworkAcl, CreateNetworkAclEntry,
    ReplaceNetworkAclEntry, DeleteNetworkAclEntry):

    - a new custom network ACL holds the rules numbered 32767 that deny all traffic in and
      out (the reference's CreateNetworkAcl example lists them; the VPC user guide's
      "Custom network ACLs": it "denies all inbound and outbound traffic until you add
      rules"); moto creates it with no rule at all;
    - a rule's number is "from 1 to 32766. The range 32767 to 65535 is reserved for
      internal use", so the last rules cannot be added, replaced or deleted;
    - Protocol is taken by name as well as number (the AWS CLI's own example passes `udp`)
      and reported as the number ("6" for TCP, "-1" for all); moto stores the name;
    - PortRange is "Required if specifying protocol 6 (TCP) or 17 (UDP)"; moto accepts a
      TCP rule without ports.

    AWS documents no error codes for these: InvalidParameterValue for a reserved rule
    number, MissingParameter for a TCP or UDP rule without ports (the EC2 common error for
    a missing required parameter). The IPv6 deny rule AWS adds in a VPC with an IPv6 block
    is not modelled (the sample VPCs have none)."""
    from moto.core.responses import EmptyResult
    from moto.ec2.models.network_acls import NetworkAclBackend
    from moto.ec2.responses import EC2Response

    original_create_acl = NetworkAclBackend.create_network_acl

    def create_network_acl(self, vpc_id, tags=None, default=False):
        acl = original_create_acl(self, vpc_id, tags=tags, default=default)
        if not default:
            for egress in (True, False):
                self.create_network_acl_entry(
                    network_acl_id=acl.id, rule_number=32767, protocol="-1", rule_action="deny", egress=egress,
                    cidr_block="0.0.0.0/0", icmp_code=None, icmp_type=None, port_range_from=None,
                    port_range_to=None, ipv6_cidr_block=None)
        return acl

    def rule_number(response):
        number = int(response._get_param("RuleNumber"))
        if not 1 <= number <= 32766:
            raise EC2ClientError("InvalidParameterValue",
                                 f"Invalid value '{number}' for ruleNumber. It must be between 1 and 32766")
        return number

    def entry(response):
        protocol = str(response._get_param("Protocol"))
        protocol = NETWORK_ACL_PROTOCOLS.get(protocol.lower(), protocol)
        ports = response._get_param("PortRange.From"), response._get_param("PortRange.To")
        if protocol in ("6", "17") and None in ports:
            raise EC2ClientError("MissingParameter",
                                 "The request must contain the parameter portRange for a TCP or UDP rule")
        return dict(network_acl_id=response._get_param("NetworkAclId"), rule_number=rule_number(response),
                    protocol=protocol, rule_action=response._get_param("RuleAction"),
                    egress=response._get_param("Egress"), cidr_block=response._get_param("CidrBlock"),
                    icmp_code=response._get_param("Icmp.Code"), icmp_type=response._get_param("Icmp.Type"),
                    port_range_from=ports[0], port_range_to=ports[1],
                    ipv6_cidr_block=response._get_param("Ipv6CidrBlock"))

    def create_network_acl_entry(self):
        self.ec2_backend.create_network_acl_entry(**entry(self))
        return EmptyResult()

    def replace_network_acl_entry(self):
        self.ec2_backend.replace_network_acl_entry(**entry(self))
        return EmptyResult()

    original_delete_entry = EC2Response.delete_network_acl_entry

    def delete_network_acl_entry(self):
        rule_number(self)
        return original_delete_entry(self)

    NetworkAclBackend.create_network_acl = create_network_acl
    EC2Response.create_network_acl_entry = create_network_acl_entry
    EC2Response.replace_network_acl_entry = replace_network_acl_entry
    EC2Response.delete_network_acl_entry = delete_network_acl_entry


def lambda_logging_config():
    """AWS (Lambda API reference, CreateFunction and UpdateFunctionConfiguration,
    LoggingConfig; FunctionConfiguration): a function keeps the logging settings it is
    given (its log group, its format) and reports them with its configuration; without
    any, it reports its default log group `/aws/lambda/<name>` and format `Text`. moto
    drops them, so a tool comparing them would see a change that is not there."""
    from moto.awslambda.models import LambdaFunction

    original_init = LambdaFunction.__init__
    original_get = LambdaFunction.get_configuration
    original_update = LambdaFunction.update_configuration

    def init(self, account_id, spec, region, version=1):
        original_init(self, account_id, spec, region, version)
        self._plink_logging = _logging_of(spec.get("LoggingConfig"), self.function_name)

    def get_configuration(self, on_create=False):
        config = original_get(self, on_create)
        config["LoggingConfig"] = dict(getattr(self, "_plink_logging", _logging_of(None, self.function_name)))
        return config

    def update_configuration(self, config_updates):
        if "LoggingConfig" in config_updates:
            self._plink_logging = _logging_of(config_updates["LoggingConfig"], self.function_name)
        return original_update(self, config_updates)

    LambdaFunction.__init__ = init
    LambdaFunction.get_configuration = get_configuration
    LambdaFunction.update_configuration = update_configuration


def _logging_of(given, function_name):
    logging = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{function_name}"}
    logging.update({k: v for k, v in (given or {}).items() if v})
    return logging


# How long a new IAM role cannot be assumed by Lambda (POST /_plink/role-propagation).
ROLE_PROPAGATION = {"seconds": 0.0}
# When each role was created or had its trust policy changed, by ARN.
_role_changed = {}
ROLE_NOT_ASSUMABLE = "The role defined for the function cannot be assumed by Lambda."


def _lambda_error(code, message, status=400):
    from moto.awslambda.exceptions import LambdaClientError

    error = LambdaClientError(code, message)
    error.code = status
    return error


def _policy_document(document):
    import json
    from urllib.parse import unquote

    if isinstance(document, dict):
        return document
    try:
        return json.loads(document)
    except ValueError:
        return json.loads(unquote(document))


def _listed(value):
    return value if isinstance(value, list) else [value]


def _trusts_lambda(document):
    """Whether a trust policy lets lambda.amazonaws.com call sts:AssumeRole."""
    try:
        statements = _listed(_policy_document(document).get("Statement") or [])
    except (ValueError, AttributeError):
        return False
    for statement in statements:
        actions = [a.lower() for a in _listed(statement.get("Action") or [])]
        principal = statement.get("Principal") or {}
        services = _listed(principal.get("Service") or []) if isinstance(principal, dict) else []
        if statement.get("Effect") == "Allow" and {"sts:assumerole", "sts:*", "*"} & set(actions) \
                and "lambda.amazonaws.com" in services:
            return True
    return False


def lambda_execution_role():
    """AWS (IAM user guide, "Troubleshoot IAM", Changes that I make are not always
    immediately visible: IAM is eventually consistent, and a change "takes time to become
    visible from all possible endpoints"; Lambda developer guide, "Defining Lambda function
    permissions with an execution role": "the role's trust policy must specify the Lambda
    service principal (lambda.amazonaws.com) as a trusted service"; Lambda API reference,
    InvalidParameterValueException: "if you provided an IAM role for AWS Lambda to assume in
    the CreateFunction or the UpdateFunctionConfiguration API, that AWS Lambda is unable to
    assume you will get this exception"). CreateFunction and UpdateFunctionConfiguration
    naming a role that does not exist, whose trust policy does not let
    lambda.amazonaws.com call sts:AssumeRole, or that was created (or had its trust policy
    changed) less than ROLE_PROPAGATION["seconds"] ago fail with InvalidParameterValueException
    "The role defined for the function cannot be assumed by Lambda." moto checks only that
    a role exists, and only on create. AWS gives no figure for the delay (seconds in
    practice); 0 by default, so that tests not about it stay fast, and the tests about it
    set it. A principal of "*" is not read as trusting Lambda (the guide names the service
    principal: the stricter reading)."""
    from moto.awslambda.exceptions import InvalidRoleFormat
    from moto.awslambda.models import LambdaBackend
    from moto.iam.models import IAMBackend, iam_backends
    from moto.utilities.utils import get_partition

    original_create_role = IAMBackend.create_role
    original_trust = IAMBackend.update_assume_role_policy
    original_create = LambdaBackend.create_function
    original_update = LambdaBackend.update_function_configuration

    def create_role(self, *args, **kwargs):
        role = original_create_role(self, *args, **kwargs)
        with _lock:
            _role_changed[role.arn] = time.monotonic()
        return role

    def update_assume_role_policy(self, role_name, policy_document):
        result = original_trust(self, role_name, policy_document)
        with _lock:
            _role_changed[self.get_role(role_name).arn] = time.monotonic()
        return result

    def check(backend, role_arn):
        if not re.fullmatch(InvalidRoleFormat.pattern, role_arn or ""):
            raise InvalidRoleFormat(role_arn)
        try:
            role = iam_backends[backend.account_id][get_partition(backend.region_name)].get_role_by_arn(role_arn)
        except Exception:  # moto's NotFoundException
            raise _lambda_error("InvalidParameterValueException", ROLE_NOT_ASSUMABLE)
        with _lock:
            young = time.monotonic() - _role_changed.get(role.arn, 0.0) < ROLE_PROPAGATION["seconds"]
        if young or not _trusts_lambda(role.assume_role_policy_document):
            raise _lambda_error("InvalidParameterValueException", ROLE_NOT_ASSUMABLE)

    def create_function(self, spec):
        check(self, spec.get("Role"))
        return original_create(self, spec)

    def update_function_configuration(self, function_name, qualifier, body):
        if "Role" in body:
            check(self, body["Role"])
        return original_update(self, function_name, qualifier, body)

    IAMBackend.create_role = create_role
    IAMBackend.update_assume_role_policy = update_assume_role_policy
    LambdaBackend.create_function = create_function
    LambdaBackend.update_function_configuration = update_function_configuration


# How long a new function stays Pending, and an update InProgress (POST
# /_plink/function-pending); 0 by default, to keep tests fast.
FUNCTION_PENDING = {"seconds": 0.0}


def _function_state(fn):
    """("Pending" | "Active", whether an update is in progress) for a function now."""
    now = time.monotonic()
    pending = now - getattr(fn, "_plink_created", 0.0) < FUNCTION_PENDING["seconds"]
    updating = now - getattr(fn, "_plink_updated", 0.0) < FUNCTION_PENDING["seconds"]
    return ("Pending" if pending else "Active"), updating


def lambda_function_states():
    """AWS (Lambda developer guide, "Lambda function states"; API reference,
    CreateFunction and UpdateFunctionConfiguration): a new function is `Pending`
    (StateReason "The function is being created.", StateReasonCode `Creating`) until
    Lambda has provisioned it, then `Active`; an update makes LastUpdateStatus
    `InProgress`, then `Successful`. "The following operations fail while function
    creation is pending": UpdateFunctionCode, UpdateFunctionConfiguration, PublishVersion
    (and Invoke); and while an update is in progress: UpdateFunctionCode,
    UpdateFunctionConfiguration, PublishVersion. They fail with ResourceConflictException
    (HTTP 409), "The operation cannot be performed at this time. The function is currently
    in the following state: Pending" or "... An update is in progress for resource: <arn>",
    the messages AWS is reported to give. LastModified changes with each update. moto makes
    every function Active and every update Successful at once, and keeps LastModified.

    Here a function is Pending for FUNCTION_PENDING["seconds"] after its creation and an
    update InProgress as long after it (AWS gives no figure);
    the CreateFunction answer itself always says Pending and an update's answer
    InProgress, as AWS's do, however short the delay. The page also says "any invocations
    or other API actions that operate on the function will fail" while it is pending: read
    here as AddPermission and RemovePermission failing too (the stricter reading). While
    Pending, LastUpdateStatus is left out (AWS does not document it for a function being
    created; a tool must look at State)."""
    from moto.awslambda.models import LambdaBackend, LambdaFunction
    from moto.awslambda.responses import LambdaResponse
    from moto.core.utils import iso_8601_datetime_with_nanoseconds

    original_configuration = LambdaFunction.get_configuration
    original_create = LambdaBackend.create_function
    original_code = LambdaBackend.update_function_code
    original_update = LambdaBackend.update_function_configuration
    original_add = LambdaBackend.add_permission
    original_remove = LambdaBackend.remove_permission
    original_publish = LambdaResponse.publish_version

    def get_configuration(self, on_create=False):
        config = original_configuration(self, on_create)
        state, updating = _function_state(self)
        if on_create or state == "Pending":
            config.pop("LastUpdateStatus", None)
            config.update(State="Pending", StateReason="The function is being created.", StateReasonCode="Creating")
        elif "LastUpdateStatus" in config:
            config["LastUpdateStatus"] = "InProgress" if updating else "Successful"
        return config

    def refuse_while_busy(fn, also_updating=True):
        state, updating = _function_state(fn)
        if state == "Pending":
            raise _lambda_error("ResourceConflictException", "The operation cannot be performed at this time. "
                                "The function is currently in the following state: Pending", 409)
        if updating and also_updating:
            raise _lambda_error("ResourceConflictException", "The operation cannot be performed at this time. "
                                f"An update is in progress for resource: {fn.function_arn}", 409)

    def create_function(self, spec):
        fn = original_create(self, spec)
        # With Publish, moto answers a copy; the function itself is its latest version.
        for each in (fn, self.get_function(fn.function_name)):
            each._plink_created = time.monotonic()
        return fn

    def updated(update):
        def method(self, function_name, qualifier, body):
            fn = self.get_function(function_name, qualifier)
            refuse_while_busy(fn)
            answer = update(self, function_name, qualifier, body)
            fn.last_modified = iso_8601_datetime_with_nanoseconds()
            fn._plink_updated = time.monotonic()
            if answer:
                answer.pop("StateReason", None)
                answer.pop("StateReasonCode", None)
                answer.update(State="Active", LastUpdateStatus="InProgress", LastModified=fn.last_modified)
            return answer
        return method

    def add_permission(self, function_name, qualifier, raw):
        refuse_while_busy(self.get_function(function_name, qualifier), also_updating=False)
        return original_add(self, function_name, qualifier, raw)

    def remove_permission(self, function_name, sid, revision=""):
        refuse_while_busy(self.get_function(function_name), also_updating=False)
        return original_remove(self, function_name, sid, revision)

    def publish_version(self):
        from urllib.parse import unquote
        refuse_while_busy(self.backend.get_function(unquote(self.path.split("/")[-2])))
        return original_publish(self)

    LambdaFunction.get_configuration = get_configuration
    LambdaBackend.create_function = create_function
    LambdaBackend.update_function_code = updated(original_code)
    LambdaBackend.update_function_configuration = updated(original_update)
    LambdaBackend.add_permission = add_permission
    LambdaBackend.remove_permission = remove_permission
    LambdaResponse.publish_version = publish_version


# Runtimes Lambda has deprecated (Lambda developer guide, "Lambda runtimes", Deprecated
# runtimes), refused for new functions and updates (lambda_request_validation).
DEPRECATED_RUNTIMES = {
    "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x",
    "nodejs16.x", "nodejs18.x", "python2.7", "python3.6", "python3.7", "python3.8", "python3.9", "java8", "go1.x",
    "provided", "ruby2.5", "ruby2.7", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6",
}
# Environment variable keys Lambda sets itself ("Working with Lambda environment
# variables", Defined runtime environment variables: reserved, they "cannot be set in your
# function configuration").
RESERVED_ENVIRONMENT = {
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR", "TZ",
}


def lambda_request_validation():
    """AWS (Lambda API reference, CreateFunction, UpdateFunctionCode,
    UpdateFunctionConfiguration; developer guide, "Lambda quotas", "Lambda runtimes" and
    "Working with Lambda environment variables"), all of which moto accepts:

    - a function name is `[a-zA-Z0-9-_]+`, at most 64 characters (ValidationException);
    - Runtime is one of the API's values (InvalidParameterValueException "Value X at
      'runtime' failed to satisfy constraint: Member must satisfy enum value set: [...] or
      be a valid ARN", as AWS is reported to answer), and not a deprecated one: "Lambda
      blocks creating new functions and updating existing functions shortly after each
      runtime is deprecated" (InvalidParameterValueException "The runtime parameter of X is
      no longer supported for creating or updating AWS Lambda functions. ..."). The
      runtimes page gives block dates that AWS has moved more than once; here a runtime is
      refused from its deprecation on (DEPRECATED_RUNTIMES), the stricter reading;
    - ZipFile is a .zip archive with at least one entry ("Could not unzip uploaded file.
      Please check your file, then try to upload again.", "Uploaded file must be a
      non-empty zip"), at most 50 MB zipped when uploaded through the API
      (RequestEntityTooLargeException, HTTP 413, "Request must be smaller than 69905067
      bytes", the size of 50 MB in base64) and 250 MB unzipped ("Unzipped size must be
      smaller than 262144000 bytes");
    - environment variable names are `[a-zA-Z]([a-zA-Z0-9_])+` (two characters at least),
      none of the reserved keys,
      and all of them "4 KB" at most, measured here as the JSON of the variables
      (InvalidParameterValueException, the messages AWS is reported to give).

    An Environment without Variables clears the variables (moto answers HTTP 500)."""
    import base64
    import io
    import json
    import zipfile

    from moto.awslambda.models import LambdaBackend
    from moto.awslambda.responses import LambdaResponse

    original_create = LambdaBackend.create_function
    original_code = LambdaBackend.update_function_code
    original_update = LambdaBackend.update_function_configuration
    original_response_create = LambdaResponse.create_function
    runtimes = ["nodejs20.x", "nodejs22.x", "nodejs24.x", "java11", "java17", "java21", "java25", "java8.al2",
                "python3.10", "python3.11", "python3.12", "python3.13", "python3.14", "dotnet8", "dotnet10",
                "ruby3.2", "ruby3.3", "ruby3.4", "provided.al2", "provided.al2023"]

    def invalid(message):
        return _lambda_error("InvalidParameterValueException", message)

    def check_runtime(runtime):
        if runtime is None:
            return
        if runtime in DEPRECATED_RUNTIMES:
            raise invalid(f"The runtime parameter of {runtime} is no longer supported for creating or updating AWS "
                          "Lambda functions. We recommend you use a supported runtime while creating or updating "
                          "functions.")
        if runtime not in runtimes:
            raise invalid(f"Value {runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value "
                          f"set: [{', '.join(runtimes)}] or be a valid ARN")

    def check_zip(encoded):
        if encoded is None:
            return
        if len(encoded) > 69905067:
            raise _lambda_error("RequestEntityTooLargeException", "Request must be smaller than 69905067 bytes for "
                                "the CreateFunction operation", 413)
        data = base64.b64decode(encoded)
        if not data:
            raise invalid("Uploaded file must be a non-empty zip")
        try:
            entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except (zipfile.BadZipFile, ValueError):
            raise invalid("Could not unzip uploaded file. Please check your file, then try to upload again.")
        if not entries:
            raise invalid("Uploaded file must be a non-empty zip")
        if sum(entry.file_size for entry in entries) > 262144000:
            raise invalid("Unzipped size must be smaller than 262144000 bytes")

    def check_environment(body):
        if "Environment" not in body:
            return
        body["Environment"] = {"Variables": {}, **(body["Environment"] or {})}
        variables = body["Environment"]["Variables"] or {}
        reserved = sorted(set(variables) & RESERVED_ENVIRONMENT)
        if reserved:
            raise invalid("Lambda was unable to configure your environment variables because the environment "
                          "variables you have provided contains reserved keys that are currently not supported for "
                          f"modification. Reserved keys used in this request: {', '.join(reserved)}")
        for key in variables:
            if not re.fullmatch(r"[a-zA-Z]([a-zA-Z0-9_])+", key):
                raise invalid(f"Lambda was unable to configure your environment variables because the environment "
                              f"variables you have provided contains invalid keys: {key}")
        measured = json.dumps(variables, separators=(",", ":"))
        if len(measured.encode()) > 4096:
            raise invalid("Lambda was unable to configure your environment variables because the environment "
                          f"variables you have provided exceeded the 4KB limit. String measured: {measured}")

    def create_response(self):
        name = json.loads(self.body).get("FunctionName") or ""
        if not re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", name.rsplit(":", 1)[-1]):
            raise _lambda_error("ValidationException", f"1 validation error detected: Value '{name}' at "
                                "'functionName' failed to satisfy constraint: Member must satisfy regular "
                                "expression pattern: [a-zA-Z0-9-_]+ and have length less than or equal to 64")
        return original_response_create(self)

    def create_function(self, spec):
        check_runtime(spec.get("Runtime"))
        check_zip((spec.get("Code") or {}).get("ZipFile"))
        check_environment(spec)
        return original_create(self, spec)

    def update_function_code(self, function_name, qualifier, body):
        check_zip(body.get("ZipFile"))
        return original_code(self, function_name, qualifier, body)

    def update_function_configuration(self, function_name, qualifier, body):
        check_runtime(body.get("Runtime"))
        check_environment(body)
        return original_update(self, function_name, qualifier, body)

    LambdaResponse.create_function = create_response
    LambdaBackend.create_function = create_function
    LambdaBackend.update_function_code = update_function_code
    LambdaBackend.update_function_configuration = update_function_configuration


def lambda_permission_statement_ids():
    """AWS (Lambda API reference, AddPermission, ResourceConflictException: "The resource
    already exists"): a StatementId already in the function's policy is refused with
    ResourceConflictException (HTTP 409) "The statement id (X) provided already exists.
    Please provide a new statement id, or remove the existing statement." (the message AWS
    gives). moto adds a second statement with the same Sid."""
    import json

    from moto.awslambda.models import LambdaBackend

    original = LambdaBackend.add_permission

    def add_permission(self, function_name, qualifier, raw):
        sid = json.loads(raw).get("StatementId")
        fn = self.get_function(function_name, qualifier)
        if sid and any(s.get("Sid") == sid for s in fn.policy.statements):
            raise _lambda_error("ResourceConflictException", f"The statement id ({sid}) provided already exists. "
                                "Please provide a new statement id, or remove the existing statement.", 409)
        return original(self, function_name, qualifier, raw)

    LambdaBackend.add_permission = add_permission


def iam_role_validation():
    """AWS (IAM API reference, CreateRole): RoleName is `[\\w+=,.@-]+`, 1 to 64 characters
    (ValidationError), and "Names are not distinguished by case": a name differing from an
    existing role's only in case is taken (EntityAlreadyExists); AssumeRolePolicyDocument is
    a JSON trust policy (MalformedPolicyDocument, as UpdateAssumeRolePolicy answers in
    moto too). moto's CreateRole takes any name and any string as the trust policy."""
    from moto.iam.exceptions import EntityAlreadyExists, ValidationError
    from moto.iam.models import IAMBackend
    from moto.iam.policy_validation import IAMTrustPolicyDocumentValidator

    original = IAMBackend.create_role

    def create_role(self, role_name, assume_role_policy_document, *args, **kwargs):
        if not re.fullmatch(r"[\w+=,.@-]{1,64}", role_name or ""):
            raise ValidationError(f"1 validation error detected: Value '{role_name}' at 'roleName' failed to satisfy "
                                  "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have "
                                  "length less than or equal to 64")
        if any(role.name.lower() == role_name.lower() for role in self.get_roles()):
            raise EntityAlreadyExists(f"Role with name {role_name} already exists.")
        IAMTrustPolicyDocumentValidator(assume_role_policy_document).validate()
        return original(self, role_name, assume_role_policy_document, *args, **kwargs)

    IAMBackend.create_role = create_role


def eventbridge_rule_updates():
    """AWS (EventBridge API reference, PutRule): "If you are updating an existing rule, any
    tags you specify in the PutRule operation are ignored. To update the tags of an existing
    rule, use TagResource and UntagResource." moto adds them to the rule's tags. (The rest
    of an update moto does as AWS says: omitted arguments are reset, not kept.)"""
    from moto.events.models import EventsBackend

    original = EventsBackend.put_rule

    def put_rule(self, name, *args, event_bus_arn=None, tags=None, **kwargs):
        bus = self.event_buses.get(self._normalize_event_bus_arn(event_bus_arn))
        if bus is not None and name in bus.rules:
            tags = None
        return original(self, name, *args, event_bus_arn=event_bus_arn, tags=tags, **kwargs)

    EventsBackend.put_rule = put_rule


RATE_EXPRESSION = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")


def eventbridge_request_validation():
    """AWS (EventBridge API reference, PutRule and Target; user guide, "Rate expressions
    reference" and "Cron expressions reference"), all of which moto accepts:

    - a rule's name is `[\\.\\-_A-Za-z0-9]+`, at most 64 characters;
    - a rate expression's value is a positive number, and "if the value is equal to 1, then
      the unit must be singular. If the value is greater than 1, the unit must be plural";
    - a cron expression has "six required fields", and "you can't specify the
      Day-of-month and Day-of-week fields in the same cron expression": one of them is `?`;
    - a target's Id is `[\\.\\-_A-Za-z0-9]+`, at most 64 characters, and its Input "valid
      JSON text".

    Each refused with ValidationException (the schedule with moto's own "Parameter
    ScheduleExpression is not valid."); AWS documents no code for a bad Input, and may report
    it in FailedEntries: the whole call fails here, the stricter reading."""
    import json

    from moto.events.exceptions import ValidationException
    from moto.events.models import EventsBackend

    original_put_rule = EventsBackend.put_rule
    original_put_targets = EventsBackend.put_targets
    name_pattern = r"[\.\-_A-Za-z0-9]{1,64}"

    def pattern_error(value, where):
        return ValidationException(f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
                                   "constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")

    def valid_schedule(expression):
        rate = RATE_EXPRESSION.match(expression)
        if rate:
            value, unit = int(rate.group(1)), rate.group(2)
            return value >= 1 and (value == 1) == (not unit.endswith("s"))
        if expression.startswith("cron(") and expression.endswith(")"):
            fields = expression[5:-1].split()
            return len(fields) == 6 and (fields[2] == "?") != (fields[4] == "?")
        return False

    def put_rule(self, name, *args, scheduled_expression=None, **kwargs):
        if not re.fullmatch(name_pattern, name or ""):
            raise pattern_error(name, "name")
        if scheduled_expression and not valid_schedule(scheduled_expression):
            raise ValidationException("Parameter ScheduleExpression is not valid.")
        return original_put_rule(self, name, *args, scheduled_expression=scheduled_expression, **kwargs)

    def put_targets(self, name, event_bus_arn, targets):
        for i, target in enumerate(targets or [], 1):
            if not re.fullmatch(name_pattern, target.get("Id") or ""):
                raise pattern_error(target.get("Id"), f"targets.{i}.member.id")
            if target.get("Input") is not None:
                try:
                    json.loads(target["Input"])
                except ValueError:
                    raise ValidationException(f"Input for target {target['Id']} is not valid JSON text.")
        return original_put_targets(self, name, event_bus_arn, targets)

    EventsBackend.put_rule = put_rule
    EventsBackend.put_targets = put_targets


def cloudwatch_alarm_updates():
    """AWS (CloudWatch API reference, PutMetricAlarm): "When this operation creates an
    alarm, the alarm state is immediately set to INSUFFICIENT_DATA. The alarm is then
    evaluated"; "When you update an existing alarm, its state is left unchanged, but the
    update completely overwrites the previous configuration"; and for Tags, "If you are
    using this operation to update an existing alarm, any tags you specify in this parameter
    are ignored." moto makes a new alarm `OK`, resets the state of an updated one, and adds
    an update's tags. Alarms are not evaluated here: a test sets a state with SetAlarmState."""
    from moto.cloudwatch.models import CloudWatchBackend

    original = CloudWatchBackend.put_metric_alarm

    def put_metric_alarm(self, name, *args, tags=None, **kwargs):
        existing = self.alarms.get(name)
        alarm = original(self, name, *args, tags=None if existing else tags, **kwargs)
        if existing is None:
            alarm.state_value = "INSUFFICIENT_DATA"
        else:
            for field in ("state_value", "state_reason", "state_reason_data", "state_updated_timestamp", "history"):
                setattr(alarm, field, getattr(existing, field))
        return alarm

    CloudWatchBackend.put_metric_alarm = put_metric_alarm


def cloudwatch_alarm_validation():
    """AWS (CloudWatch API reference, PutMetricAlarm), all of which moto accepts: Period's
    "valid values are 10, 20, 30, and any multiple of 60", and "Period multiplied by
    EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period of less
    than one hour (3,600 seconds), the total evaluation period can't be longer than one day
    (86,400 seconds)"; ComparisonOperator and Statistic are one of the API's values;
    TreatMissingData is breaching, notBreaching, ignore or missing; DatapointsToAlarm, the M
    of "M out of N", is at most EvaluationPeriods (the N). Refused with ValidationError (AWS
    documents no code; it answers ValidationError for a value the API's constraints refuse).
    And ListTagsForResource naming an alarm that does not exist fails with
    ResourceNotFoundException (the API reference lists it; moto answers no tags)."""
    from moto.cloudwatch.exceptions import ResourceNotFoundException, ValidationError
    from moto.cloudwatch.models import CloudWatchBackend

    original_put = CloudWatchBackend.put_metric_alarm
    original_tags = CloudWatchBackend.list_tags_for_resource
    operators = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
                 "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold",
                 "GreaterThanUpperThreshold"]
    statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"]
    missing = ["breaching", "notBreaching", "ignore", "missing"]

    def enum_error(value, where, allowed):
        return ValidationError(f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
                               f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]")

    def put_metric_alarm(self, name, *args, **kwargs):
        period, evaluations = kwargs.get("period"), kwargs.get("evaluation_periods")
        if period is not None:
            period = int(period)
            if period not in (10, 20, 30) and period % 60:
                raise ValidationError(f"The parameter Period must be 10, 20, 30 or a multiple of 60, not {period}.")
            if evaluations is not None:
                limit = 86400 if period < 3600 else 604800
                if period * int(evaluations) > limit:
                    raise ValidationError(f"The evaluation period of this alarm ({period * int(evaluations)} seconds) "
                                          f"exceeds the maximum of {limit} seconds.")
        if kwargs.get("comparison_operator") not in [None, *operators]:
            raise enum_error(kwargs["comparison_operator"], "comparisonOperator", operators)
        if kwargs.get("statistic") not in [None, *statistics]:
            raise enum_error(kwargs["statistic"], "statistic", statistics)
        if kwargs.get("treat_missing_data") not in [None, *missing]:
            raise ValidationError(f"Option {kwargs['treat_missing_data']} is not supported. Supported options for "
                                  f"parameter TreatMissingData are {', '.join(missing)}.")
        datapoints = kwargs.get("datapoints_to_alarm")
        if datapoints is not None and evaluations is not None and int(datapoints) > int(evaluations):
            raise ValidationError("DatapointsToAlarm must be less than or equal to EvaluationPeriods.")
        return original_put(self, name, *args, **kwargs)

    def list_tags_for_resource(self, arn):
        if ":alarm:" in arn and arn.split(":alarm:", 1)[1] not in self.alarms:
            raise ResourceNotFoundException(f"The specified resource does not exist: {arn}")
        return original_tags(self, arn)

    CloudWatchBackend.put_metric_alarm = put_metric_alarm
    CloudWatchBackend.list_tags_for_resource = list_tags_for_resource


def cloudwatch_metric_identity():
    """AWS (CloudWatch API reference, GetMetricStatistics, Dimensions: "CloudWatch treats
    each unique combination of dimensions as a separate metric. If a specific combination of
    dimensions was not published, you can't retrieve statistics for it. You must specify
    the same dimensions that were used when the metrics were created"; Dimension: part of
    "the unique identifier for a metric"): a query reads the data of the metric with exactly
    its namespace, name and dimensions. moto's GetMetricData reads every metric of that name
    and namespace when the query has no dimensions, and ignores the namespace when it has
    some; its GetMetricStatistics reads every metric whose dimensions include the query's.
    Also (GetMetricData, StartTime) "CloudWatch rounds the specified time stamp": down to the
    minute when less than 15 days ago, to 5 minutes up to 63 days, to the hour beyond, and
    periods start from there (moto starts at the second given); data is stored at "1-minute
    resolution" (PutMetricData, StorageResolution: the default, and the only one for AWS's
    own metrics), so a data point counts from the start of its minute, and EndTime is
    exclusive to the fraction of a second (moto stores the second given and drops EndTime's
    fraction, so a point published in the second before a query is not read; high-resolution
    custom metrics are not modelled); and (MetricDataQuery, Id)
    "the first character must be a lowercase letter", the rest letters, numbers and
    underscores, and each Id "must be unique within a single call" (ValidationError here;
    AWS documents no code). Metric math expressions are left to moto as they are."""
    from datetime import timedelta, timezone

    from moto.cloudwatch.exceptions import ValidationError
    from moto.cloudwatch.models import CloudWatchBackend
    from moto.core.utils import utcnow

    original_data = CloudWatchBackend.get_metric_data
    original_statistics = CloudWatchBackend.get_metric_statistics

    def identity(dimensions):
        return sorted((getattr(d, "name", None) or d["Name"], getattr(d, "value", None) or d.get("Value"))
                      for d in dimensions or [])

    # The metric a query reads, for the thread answering it: moto's queries read all data
    # through get_all_metrics, which answers only that metric's while it is set.
    reading = threading.local()
    original_all = CloudWatchBackend.get_all_metrics

    def get_all_metrics(self):
        data = original_all(self)
        metric = getattr(reading, "metric", None)
        if metric is None:
            return data
        stored = []
        for md in data:
            if (md.namespace, md.name, identity(md.dimensions)) == metric:
                md = copy.copy(md)
                md.timestamp = md.timestamp.replace(second=0, microsecond=0)
                stored.append(md)
        return stored

    def only(backend, namespace, name, dimensions, call):
        reading.metric = (namespace, name, identity(dimensions))
        try:
            return call()
        finally:
            reading.metric = None

    def rounded(start):
        age = utcnow() - start.astimezone(timezone.utc).replace(tzinfo=None) if start.tzinfo else utcnow() - start
        minutes = 1 if age < timedelta(days=15) else 5 if age < timedelta(days=63) else 60
        return start - timedelta(minutes=start.minute % minutes, seconds=start.second, microseconds=start.microsecond)

    def to_next_second(end):
        # moto drops the fraction of EndTime; data stored by the minute before it is read.
        return end.replace(microsecond=0) + timedelta(seconds=1) if end.microsecond else end

    def get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
        ids = [q.get("Id") or "" for q in queries]
        for query_id in ids:
            if not re.fullmatch(r"[a-z][a-zA-Z0-9_]*", query_id):
                raise ValidationError(f"The value {query_id} for parameter MetricDataQueries.member.Id is not valid: "
                                      "it must start with a lowercase letter and contain only letters, numbers and "
                                      "underscores.")
        if len(set(ids)) != len(ids):
            raise ValidationError("The values for parameter Id in MetricDataQueries are not unique.")
        start_time, end_time = rounded(start_time), to_next_second(end_time)
        if any("Expression" in q for q in queries):
            return original_data(self, queries, start_time, end_time, scan_by)
        results = []
        for query in queries:
            metric = query["MetricStat"]["Metric"]
            # Without its dimensions, moto reads all data of the query's namespace and name:
            # here, only the metric's.
            bare = {**query, "MetricStat": {**query["MetricStat"], "Metric": {**metric, "Dimensions": []}}}
            results += only(self, metric.get("Namespace"), metric.get("MetricName"), metric.get("Dimensions"),
                            lambda: original_data(self, [bare], start_time, end_time, scan_by))
        return results

    def get_metric_statistics(self, namespace, metric_name, start_time, end_time, period, stats, dimensions,
                              unit=None):
        return only(self, namespace, metric_name, dimensions, lambda: original_statistics(
            self, namespace, metric_name, start_time, to_next_second(end_time), period, stats, [], unit))

    CloudWatchBackend.get_all_metrics = get_all_metrics
    CloudWatchBackend.get_metric_data = get_metric_data
    CloudWatchBackend.get_metric_statistics = get_metric_statistics


# The retention periods CloudWatch Logs takes (API reference, PutRetentionPolicy).
LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
                      3288, 3653]


def logs_request_validation():
    """AWS (CloudWatch Logs API reference, CreateLogGroup: names consist of "a-z, A-Z, 0-9,
    '_' (underscore), '-' (hyphen), '/' (forward slash), '.' (period), and '#' (number
    sign)" and "can't start with the string aws/"; PutRetentionPolicy: "Possible values are:
    1, 3, 5, 7, 14, 30, 60, ..., 3653"). Both refused with InvalidParameterException; moto
    takes any name and any number of days. (`/aws/lambda/...` starts with a slash, so is
    allowed.)"""
    from moto.logs.exceptions import InvalidParameterException
    from moto.logs.models import LogsBackend

    original_create = LogsBackend.create_log_group
    original_retention = LogsBackend.put_retention_policy

    def create_log_group(self, log_group_name, tags, **kwargs):
        if not re.fullmatch(r"[\.\-_/#A-Za-z0-9]+", log_group_name or "") or log_group_name.startswith("aws/"):
            raise InvalidParameterException(
                constraint="Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+ and not start "
                           "with aws/", parameter="logGroupName", value=log_group_name)
        return original_create(self, log_group_name, tags, **kwargs)

    def put_retention_policy(self, log_group_name, retention_in_days):
        if int(retention_in_days) not in LOG_RETENTION_DAYS:
            raise InvalidParameterException(
                constraint=f"Member must satisfy enum value set: [{', '.join(map(str, LOG_RETENTION_DAYS))}]",
                parameter="retentionInDays", value=retention_in_days)
        return original_retention(self, log_group_name, retention_in_days)

    LogsBackend.create_log_group = create_log_group
    LogsBackend.put_retention_policy = put_retention_policy
