import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  type IOidcProvider,
  OidcProviderNative,
  PolicyStatement,
  Role,
  WebIdentityPrincipal,
} from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { nagArnParts } from './resource-arns';

/** The issuer of the tokens GitHub Actions hands a job that asks for one (`id-token: write`). */
export const githubOidcIssuer = 'token.actions.githubusercontent.com';

/** The GitHub environments the deploy workflow deploys through, in order. */
export const githubEnvironments = ['staging', 'production'] as const;

/** Props of {@link GithubDeployStack}. */
export interface GithubDeployStackProps extends StackProps {
  /** `owner/name` of the repository whose workflows may deploy. */
  readonly repository: string;
  /** The account's GitHub OIDC provider, when it has one already (one per account). */
  readonly oidcProviderArn?: string | undefined;
  /** The CDK bootstrap qualifier (`cdk bootstrap --qualifier`); `hnb659fds` by default. */
  readonly bootstrapQualifier?: string;
}

/**
 * The IAM roles GitHub Actions assumes through OIDC, with no long-lived key anywhere: the deploy
 * role, trusted by this repository's jobs running in its `staging` and `production`
 * environments only, and the diff role, trusted by its pull requests, to show `cdk diff`. Each
 * may do one thing: assume the CDK bootstrap roles of this account (the deploy role all of
 * them, the diff role the read-only lookup role), which hold the actual permissions and are
 * created by `cdk bootstrap`. The account's GitHub OIDC provider is created here unless given.
 */
export class GithubDeployStack extends Stack {
  readonly deployRole: Role;
  readonly diffRole: Role;

  constructor(scope: Construct, id: string, props: GithubDeployStackProps) {
    super(scope, id, props);
    const provider: IOidcProvider = props.oidcProviderArn
      ? OidcProviderNative.fromOidcProviderArn(this, 'GithubOidc', props.oidcProviderArn)
      : new OidcProviderNative(this, 'GithubOidc', {
          url: `https://${githubOidcIssuer}`,
          clientIds: ['sts.amazonaws.com'],
        });
    const qualifier = props.bootstrapQualifier ?? 'hnb659fds';
    const bootstrapRole = (kind: string) =>
      this.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: `cdk-${qualifier}-${kind}-role-${this.account}-*`,
      });
    const trustedBy = (subjects: readonly string[]) =>
      new WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: {
          [`${githubOidcIssuer}:aud`]: 'sts.amazonaws.com',
          [`${githubOidcIssuer}:sub`]: subjects,
        },
      });

    this.deployRole = new Role(this, 'DeployRole', {
      roleName: 'totes-github-deploy',
      description: `Assumed by ${props.repository}'s deploy workflow in its ${githubEnvironments.join(' and ')} environments; may only assume the CDK bootstrap roles`,
      assumedBy: trustedBy(
        githubEnvironments.map((environment) => `repo:${props.repository}:environment:${environment}`),
      ),
      maxSessionDuration: Duration.hours(1),
    });
    this.deployRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(bootstrapRole),
      }),
    );
    this.diffRole = new Role(this, 'DiffRole', {
      roleName: 'totes-github-diff',
      description: `Assumed by ${props.repository}'s pull requests to show cdk diff; may only assume the CDK lookup role`,
      assumedBy: trustedBy([`repo:${props.repository}:pull_request`]),
      maxSessionDuration: Duration.hours(1),
    });
    this.diffRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AssumeCdkLookupRole',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: [bootstrapRole('lookup')],
      }),
    );
    // The bootstrap roles end in their region, which differs between environments.
    const { partition, account } = nagArnParts(this);
    const acknowledge = (role: Role, kinds: readonly string[]) =>
      Validations.of(role).acknowledge(
        ...kinds.map((kind) => ({
          id: `AwsSolutions-IAM5[Resource::arn:${partition}:iam::${account}:role/cdk-${qualifier}-${kind}-role-${account}-*]`,
          reason: `The CDK bootstrap ${kind} role of this account, in any region it was bootstrapped in (its name ends in the region): staging and production may be in different regions.`,
        })),
      );
    acknowledge(this.deployRole, ['deploy', 'file-publishing', 'image-publishing', 'lookup']);
    acknowledge(this.diffRole, ['lookup']);
    new CfnOutput(this, 'DeployRoleArn', {
      value: this.deployRole.roleArn,
      description: 'The GitHub variable AWS_DEPLOY_ROLE_ARN of the staging and production environments',
    });
    new CfnOutput(this, 'DiffRoleArn', {
      value: this.diffRole.roleArn,
      description: 'The GitHub repository variable AWS_DIFF_ROLE_ARN',
    });
  }
}
