"""Thin fidelity layer over moto: each patch reproduces one AWS behaviour that moto
lacks and that airbyte-plink depends on (GUIDE.md section 4). Applied before the
server starts. Never a weakening of AWS: only closer to it."""

import re
import threading
import time

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.vpc_service_configuration import VPCServiceConfigurationBackend
from moto.ec2.responses.vpc_service_configuration import VPCEndpointServiceConfiguration
from moto.elbv2 import models as elbv2_models
from moto.elbv2.exceptions import DuplicateLoadBalancerName, DuplicateTargetGroupName
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
    emulator, the stricter reading."""
    original = VPCEndpointServiceConfiguration.create_vpc_endpoint_service_configuration
    created = {}

    def create(self):
        token = self._get_param("ClientToken")
        key = (self.current_account, self.region, token)
        if token and key in created:
            config = self.ec2_backend.configurations.get(created[key]) or DELETED_SERVICES.get(created[key])
            if config is not None:
                from moto.core.responses import ActionResult
                return ActionResult({"ServiceConfiguration": config})
        with _lock:
            before = set(self.ec2_backend.configurations)
            result = original(self)
            new = set(self.ec2_backend.configurations) - before
        if token and new:
            created[key] = new.pop()
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


# Target health a test has set, by (target group ARN, target ID).
TARGET_HEALTH = {}


def controllable_target_health():
    """Test control, not AWS fidelity: moto reports every IP target healthy, so a test
    sets a target's health through the emulator's /_plink/target-health endpoint."""
    original = ELBv2Backend.describe_target_health

    def describe_target_health(self, target_group_arn, targets):
        results = original(self, target_group_arn, targets)
        for status in results:
            status.status = TARGET_HEALTH.get((target_group_arn, status.instance_id), status.status)
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
    """AWS: a new network load balancer is `provisioning` for minutes before it is
    `active`; moto makes it active on the first look. Here it stays provisioning for
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
# /_plink/subnet-removal); AWS gives no figure. Until then the subnet is still listed and
# its zone still taken.
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
    AWS documents no code); removing a subnet while an endpoint service uses the load
    balancer is refused (InvalidConfigurationRequest, SetSubnets' documented error for a
    configuration it will not apply; the stricter reading); and a removal completes after
    SUBNET_REMOVAL seconds, the subnet listed until then."""
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
            balancer.subnets = wanted
        return [elbv2_models.AvailabilityZone(s) for s in wanted]

    def availability_zones(self):
        listed = original_zones.fget(self)
        with _lock:
            removing = being_removed(self.arn)
        return listed + [elbv2_models.AvailabilityZone(s) for s in removing]

    ELBv2Backend.set_subnets = set_subnets
    elbv2_models.FakeLoadBalancer.availability_zones = property(availability_zones)


# How long the network interfaces of a deleted load balancer keep its security groups in
# use (POST /_plink/group-release); AWS says "a while", without a figure.
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

    Here ModifyVpcEndpointServiceConfiguration refuses, with InvalidParameter (AWS
    documents no code): adding an ARN that is not a network load balancer, or that serves
    an endpoint service already; removing one the service does not have, its last one,
    or any while a connection is pending acceptance, being set up or available (or was
    rejected a moment ago, the stricter reading)."""
    from moto.elbv2.models import elbv2_backends

    original_modify = VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration

    def invalid(message):
        return EC2ClientError("InvalidParameter", message)

    def modify(self, service_id, *args, add_network_lbs=None, remove_network_lbs=None, **kwargs):
        add, remove = list(add_network_lbs or []), list(remove_network_lbs or [])
        config = self.configurations.get(service_id)
        if config is not None and (add or remove):
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
            if remove:
                if not set(config.network_load_balancer_arns) - set(remove) and not add:
                    raise invalid(f"Endpoint service {service_id} must keep at least one load balancer")
                if _live_connections(service_id):
                    raise invalid(f"Cannot disassociate a load balancer from {service_id} while endpoints are "
                                  "connected to it")
        return original_modify(self, service_id, *args, add_network_lbs=add, remove_network_lbs=remove, **kwargs)

    VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration = modify


def apply_all():
    # Order matters: the ARN patch wraps moto's create, idempotency wraps the ARN patch,
    # and the provisioning clock starts on whatever create returns.
    network_load_balancer_arns()
    idempotent_create_load_balancer()
    load_balancer_provisioning_time()
    idempotent_create_target_group()
    endpoint_service_filters()
    endpoint_service_load_balancers()
    # Below the client token and Pending patches, which wrap whatever create is then.
    supported_region_states()
    endpoint_service_client_token()
    principal_validation()
    interface_endpoint_connections()
    endpoint_connection_actions()
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
