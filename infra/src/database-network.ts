import { Fn, Validations } from 'aws-cdk-lib';
import {
  type ISecurityGroup,
  type ISubnet,
  type IVpc,
  SecurityGroup,
  Subnet,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { DatabaseVpc } from './deployment-settings';

/** The stack's {@link DatabaseNetwork} when the settings name a VPC; undefined otherwise. */
export function databaseNetwork(scope: Construct, vpc: DatabaseVpc | undefined): DatabaseNetwork | undefined {
  return vpc ? new DatabaseNetwork(scope, 'DatabaseNetwork', vpc) : undefined;
}

/**
 * The existing VPC, subnets and security groups a stack's database-facing functions are placed
 * in, imported by id: nothing is looked up in the account, so the app synthesizes without AWS
 * credentials, and nothing is created or changed in the VPC. The security groups are imported
 * immutable: their rules (outbound to the databases' port) belong to whoever owns them.
 */
export class DatabaseNetwork extends Construct {
  readonly vpc: IVpc;
  readonly subnets: readonly ISubnet[];
  readonly securityGroups: readonly ISecurityGroup[];

  constructor(scope: Construct, id: string, props: DatabaseVpc) {
    super(scope, id);
    // Importing asks for the VPC's zones, and the region's are true of any VPC in it; they are
    // never read, as the functions name their subnets instead of selecting them by type.
    this.vpc = Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: props.vpcId, availabilityZones: Fn.getAzs() });
    this.subnets = props.subnetIds.map((subnetId) => Subnet.fromSubnetId(this, subnetId, subnetId));
    this.securityGroups = props.securityGroupIds.map((groupId) =>
      SecurityGroup.fromSecurityGroupId(this, groupId, groupId, { mutable: false }),
    );
    Validations.of(this).acknowledge(
      {
        id: 'Annotation::@aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones',
        reason:
          "The functions are given their subnets by id; nothing here selects the VPC's subnets, which would need its zones at synthesis.",
      },
      {
        id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
        reason:
          "Lambda's VpcConfig takes subnet ids only; nothing here reads or adds routes, which stay the VPC owner's.",
      },
    );
  }
}
