"""The sample network the demo and the tests start from, created through the AWS API
like any account's: a VPC with private subnets in three AZs (and a second private
subnet in the first AZ), a public subnet behind an internet gateway, a database
instance with its security group, RDS instances and Aurora clusters, and a second VPC.

The three private subnets share a custom network ACL, `sample-private-acl`, that lets TCP
in from and out to the VPC's range on every port (rule 100 each way) and nothing else.

The databases, each answered by the emulator's DNS at a private address in its subnets:
- `sample-orders`, RDS Postgres, DB subnet group `sample` (the first two private subnets);
- `sample-mysql`, RDS MySQL 8.0 with the engine's default DB parameter group
  (`default.mysql8.0`), in DB subnet group `sample-three-zones` (all three private
  subnets, so it can fail over into the third zone);
- `sample-mysql-tuned`, RDS MySQL 8.0 with the custom DB parameter group
  `sample-mysql-tuned`, max_connect_errors raised to 1000000, in `sample`;
- `sample-aurora`, Aurora MySQL 3 with the engine's default DB cluster parameter group
  and a writer, `sample-aurora-1`, with the engine's default DB parameter group;
- `sample-aurora-tuned`, Aurora MySQL 3 with max_connect_errors raised to 1000000 in its
  custom DB cluster parameter group and in its writer's custom DB parameter group (both
  `sample-aurora-tuned`): Aurora MySQL makes it an instance-level parameter, which the
  cluster group holds a default for and the instance's group overrides."""

import boto3

# One of the images the emulator ships with; looking it up costs more than the seed.
SAMPLE_IMAGE = "ami-999844e0"
MYSQL_VERSION = "8.0.40"
AURORA_MYSQL_VERSION = "8.0.mysql_aurora.3.08.0"
# The value the tuned groups give max_connect_errors (MySQL's default is 100).
TUNED_MAX_CONNECT_ERRORS = "1000000"
SEED_CREDENTIALS = {"aws_access_key_id": "seeding", "aws_secret_access_key": "seeding"}


def seed(endpoint, region):
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=endpoint, **SEED_CREDENTIALS)
    rds = boto3.client("rds", region_name=region, endpoint_url=endpoint, **SEED_CREDENTIALS)

    def tagged(kind, name):
        return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]

    zones = ec2.describe_availability_zones()["AvailabilityZones"][:3]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tagged("vpc", "sample-vpc"))["Vpc"]["VpcId"]
    igw = ec2.create_internet_gateway(TagSpecifications=tagged("internet-gateway", "sample-igw"))
    igw = igw["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)

    def subnet(cidr, zone, name):
        return ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone["ZoneName"],
                                 TagSpecifications=tagged("subnet", name))["Subnet"]["SubnetId"]

    private = [subnet(f"10.0.{i + 1}.0/24", z, f"sample-private-{z['ZoneName'][-1]}") for i, z in enumerate(zones)]
    private_same_az = subnet("10.0.4.0/24", zones[0], f"sample-private-{zones[0]['ZoneName'][-1]}2")
    public = subnet("10.0.0.0/24", zones[0], "sample-public")

    private_table = ec2.create_route_table(VpcId=vpc, TagSpecifications=tagged("route-table", "sample-private"))
    private_table = private_table["RouteTable"]["RouteTableId"]
    for s in private + [private_same_az]:
        ec2.associate_route_table(RouteTableId=private_table, SubnetId=s)
    public_table = ec2.create_route_table(VpcId=vpc, TagSpecifications=tagged("route-table", "sample-public"))
    public_table = public_table["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_table, SubnetId=public)

    # The private subnets' own network ACL: TCP within the VPC, both ways, nothing else.
    acl = ec2.create_network_acl(VpcId=vpc, TagSpecifications=tagged("network-acl", "sample-private-acl"))
    acl = acl["NetworkAcl"]["NetworkAclId"]
    for egress in (False, True):
        ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow",
                                     Egress=egress, CidrBlock="10.0.0.0/16", PortRange={"From": 0, "To": 65535})
    current = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": private}])
    for association in [a for held in current["NetworkAcls"] for a in held["Associations"]]:
        if association["SubnetId"] in private:
            ec2.replace_network_acl_association(AssociationId=association["NetworkAclAssociationId"],
                                                NetworkAclId=acl)

    db_sg = ec2.create_security_group(GroupName="sample-postgres", Description="sample database", VpcId=vpc)["GroupId"]
    instance = ec2.run_instances(ImageId=SAMPLE_IMAGE, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                 SubnetId=private[0], SecurityGroupIds=[db_sg],
                                 TagSpecifications=tagged("instance", "sample-postgres"))["Instances"][0]

    # An RDS instance and an Aurora cluster in the private subnets; the emulator's DNS
    # answers their endpoints with these addresses, as Route 53 does for RDS.
    rds.create_db_subnet_group(DBSubnetGroupName="sample", DBSubnetGroupDescription="sample",
                               SubnetIds=private[:2])
    database = rds.create_db_instance(
        DBInstanceIdentifier="sample-orders", Engine="postgres", DBInstanceClass="db.t3.micro",
        AllocatedStorage=20, MasterUsername="sample", MasterUserPassword="sample-password",
        DBSubnetGroupName="sample", VpcSecurityGroupIds=[db_sg])["DBInstance"]
    cluster = rds.create_db_cluster(
        DBClusterIdentifier="sample-aurora", Engine="aurora-mysql", EngineVersion=AURORA_MYSQL_VERSION,
        MasterUsername="sample", MasterUserPassword="sample-password", DBSubnetGroupName="sample",
        VpcSecurityGroupIds=[db_sg])["DBCluster"]
    writer = rds.create_db_instance(
        DBInstanceIdentifier="sample-aurora-1", Engine="aurora-mysql", DBInstanceClass="db.r6g.large",
        DBClusterIdentifier="sample-aurora", AvailabilityZone=zones[0]["ZoneName"])["DBInstance"]

    # MySQL: one instance on the engine's default DB parameter group, in a DB subnet group
    # covering all three zones; one on a custom group that raises max_connect_errors.
    rds.create_db_subnet_group(DBSubnetGroupName="sample-three-zones", DBSubnetGroupDescription="sample, three zones",
                               SubnetIds=private)
    mysql = rds.create_db_instance(
        DBInstanceIdentifier="sample-mysql", Engine="mysql", EngineVersion=MYSQL_VERSION,
        DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="sample",
        MasterUserPassword="sample-password", DBSubnetGroupName="sample-three-zones", VpcSecurityGroupIds=[db_sg],
        # Multi-AZ: RDS keeps a standby, in any zone of the subnet group, to fail over to
        # (and AWS refuses a chosen AvailabilityZone with it).
        MultiAZ=True)["DBInstance"]
    raised = [{"ParameterName": "max_connect_errors", "ParameterValue": TUNED_MAX_CONNECT_ERRORS,
               "ApplyMethod": "immediate"}]
    rds.create_db_parameter_group(DBParameterGroupName="sample-mysql-tuned", DBParameterGroupFamily="mysql8.0",
                                  Description="sample MySQL, max_connect_errors raised")
    rds.modify_db_parameter_group(DBParameterGroupName="sample-mysql-tuned", Parameters=raised)
    mysql_tuned = rds.create_db_instance(
        DBInstanceIdentifier="sample-mysql-tuned", Engine="mysql", EngineVersion=MYSQL_VERSION,
        DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="sample",
        MasterUserPassword="sample-password", DBSubnetGroupName="sample", VpcSecurityGroupIds=[db_sg],
        DBParameterGroupName="sample-mysql-tuned", AvailabilityZone=zones[1]["ZoneName"])["DBInstance"]

    # Aurora MySQL with max_connect_errors raised: an instance-level parameter there, so
    # in the cluster's group (the default for its instances) and in the writer's own.
    rds.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="sample-aurora-tuned", DBParameterGroupFamily="aurora-mysql8.0",
        Description="sample Aurora MySQL, max_connect_errors raised")
    rds.modify_db_cluster_parameter_group(DBClusterParameterGroupName="sample-aurora-tuned", Parameters=raised)
    rds.create_db_parameter_group(DBParameterGroupName="sample-aurora-tuned", DBParameterGroupFamily="aurora-mysql8.0",
                                  Description="sample Aurora MySQL instances, max_connect_errors raised")
    rds.modify_db_parameter_group(DBParameterGroupName="sample-aurora-tuned", Parameters=raised)
    aurora_tuned = rds.create_db_cluster(
        DBClusterIdentifier="sample-aurora-tuned", Engine="aurora-mysql", EngineVersion=AURORA_MYSQL_VERSION,
        MasterUsername="sample", MasterUserPassword="sample-password", DBSubnetGroupName="sample",
        VpcSecurityGroupIds=[db_sg], DBClusterParameterGroupName="sample-aurora-tuned")["DBCluster"]
    aurora_tuned_writer = rds.create_db_instance(
        DBInstanceIdentifier="sample-aurora-tuned-1", Engine="aurora-mysql", DBInstanceClass="db.r6g.large",
        DBClusterIdentifier="sample-aurora-tuned", DBParameterGroupName="sample-aurora-tuned",
        AvailabilityZone=zones[0]["ZoneName"])["DBInstance"]

    # The first call to a service loads the emulator's code for it (a few hundred ms);
    # here rather than in the middle of a run.
    boto3.client("elbv2", region_name=region, endpoint_url=endpoint, **SEED_CREDENTIALS).describe_load_balancers()
    boto3.client("sts", region_name=region, endpoint_url=endpoint, **SEED_CREDENTIALS).get_caller_identity()

    other_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=tagged("vpc", "sample-other-vpc"))["Vpc"]["VpcId"]
    other_subnet = ec2.create_subnet(VpcId=other_vpc, CidrBlock="10.1.1.0/24", AvailabilityZone=zones[1]["ZoneName"])
    return {
        "vpc_id": vpc,
        "vpc_cidr": "10.0.0.0/16",
        "private_subnets": private,
        "private_subnet_cidrs": [f"10.0.{i + 1}.0/24" for i in range(len(private))],
        "private_subnet_same_az": private_same_az,
        "public_subnet": public,
        "public_route_table": public_table,
        "internet_gateway": igw,
        "db_security_group": db_sg,
        "db_instance_id": instance["InstanceId"],
        "db_private_ip": instance["PrivateIpAddress"],
        "rds_endpoint": database["Endpoint"]["Address"],
        "rds_port": database["Endpoint"]["Port"],
        "rds_address": "10.0.2.50",
        "aurora_endpoint": cluster["Endpoint"],
        "aurora_port": cluster["Port"],
        "aurora_address": "10.0.1.60",
        "aurora_cluster_parameter_group": cluster["DBClusterParameterGroup"],
        "aurora_parameter_group": writer["DBParameterGroups"][0]["DBParameterGroupName"],
        "aurora_tuned_endpoint": aurora_tuned["Endpoint"],
        "aurora_tuned_address": "10.0.1.61",
        "aurora_tuned_cluster_parameter_group": aurora_tuned["DBClusterParameterGroup"],
        "aurora_tuned_parameter_group": aurora_tuned_writer["DBParameterGroups"][0]["DBParameterGroupName"],
        "mysql_endpoint": mysql["Endpoint"]["Address"],
        "mysql_port": mysql["Endpoint"]["Port"],
        "mysql_address": "10.0.1.70",
        "mysql_parameter_group": mysql["DBParameterGroups"][0]["DBParameterGroupName"],
        "mysql_tuned_endpoint": mysql_tuned["Endpoint"]["Address"],
        "mysql_tuned_address": "10.0.2.71",
        "mysql_tuned_parameter_group": mysql_tuned["DBParameterGroups"][0]["DBParameterGroupName"],
        "private_network_acl": acl,
        "other_vpc_id": other_vpc,
        "other_vpc_subnet": other_subnet["Subnet"]["SubnetId"],
    }
