"""Thin fidelity layer over moto: each patch reproduces one AWS behaviour that moto
lacks and that airbyte-plink depends on (GUIDE.md section 4). Applied before the
server starts. Never a weakening of AWS: only closer to it."""

import re
import threading

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.vpc_service_configuration import VPCServiceConfigurationBackend
from moto.ec2.responses.vpc_service_configuration import VPCEndpointServiceConfiguration
from moto.elbv2 import models as elbv2_models
from moto.elbv2.exceptions import DuplicateLoadBalancerName, DuplicateTargetGroupName
from moto.elbv2.models import ELBv2Backend

_lock = threading.Lock()


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


def endpoint_service_client_token():
    """AWS: CreateVpcEndpointServiceConfiguration with a ClientToken already used
    returns the service that token created, instead of creating another."""
    original = VPCEndpointServiceConfiguration.create_vpc_endpoint_service_configuration
    created = {}

    def create(self):
        token = self._get_param("ClientToken")
        key = (self.current_account, self.region, token)
        if token and key in created:
            config = self.ec2_backend.configurations.get(created[key])
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


def apply_all():
    # Order matters: the ARN patch wraps moto's create, idempotency wraps the ARN patch.
    network_load_balancer_arns()
    idempotent_create_load_balancer()
    idempotent_create_target_group()
    endpoint_service_filters()
    endpoint_service_client_token()
    principal_validation()
