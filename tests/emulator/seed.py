"""The sample network the demo and the tests start from, created through the AWS API
like any account's: a VPC with private subnets in three AZs (and a second private
subnet in the first AZ), a public subnet behind an internet gateway, a database
instance with its security group, an RDS instance and an Aurora cluster, and a second VPC."""

import boto3

# One of the images the emulator ships with; looking it up costs more than the seed.
SAMPLE_IMAGE = "ami-999844e0"
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
        DBClusterIdentifier="sample-aurora", Engine="aurora-mysql", MasterUsername="sample",
        MasterUserPassword="sample-password", DBSubnetGroupName="sample",
        VpcSecurityGroupIds=[db_sg])["DBCluster"]

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
        "other_vpc_id": other_vpc,
        "other_vpc_subnet": other_subnet["Subnet"]["SubnetId"],
    }
