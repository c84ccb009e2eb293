import {
  ingestCompressions,
  type ResourceNames,
  resourceNames,
  scopedBucketSuffixLength,
} from '@totes/pipeline';
import { Aws } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { z } from 'zod';

const scheduleExpression = z
  .string()
  .regex(/^(rate|cron)\(.+\)$/, 'expected an EventBridge Scheduler expression: rate(…) or cron(…)');

// A complete ARN (with the six-character suffix Secrets Manager adds), so grants name the secret
// exactly instead of ending in a wildcard.
const secretArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/,
    'expected the complete ARN of a Secrets Manager secret, ending in its six-character suffix',
  );

// An EC2 id: its prefix, then 8 hexadecimal digits (older resources) or 17.
const ec2Id = (prefix: string, what: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`),
      `expected a ${what} id: ${prefix}- followed by 8 or 17 hexadecimal digits`,
    );

// EC2 ids, comma-separated on the command line or a JSON list in cdk.json, no more than Lambda's
// VpcConfig takes.
const ec2IdList = (prefix: string, what: string, most: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value),
    z
      .array(ec2Id(prefix, what))
      .min(1, `expected at least one ${what} id`)
      .max(most, `expected at most ${most} ${what} ids, as many as Lambda takes`),
  );

/** The context keys that place the database-facing functions in a VPC: all of them, or none. */
const databaseVpcKeys = ['vpcId', 'vpcSubnetIds', 'vpcSecurityGroupIds'] as const;

/**
 * The deployment's CDK context values (`cdk.json`, or `-c key=value`), with every default in one
 * place. Values given on the command line arrive as strings, so numbers are coerced.
 */
export const DeploymentContext = z
  .object({
    /**
     * The deployment's name prefix (`prod`, `staging`): every resource name starts with it.
     * Without it the app synthesizes {@link exampleEnvironment}, which cannot be deployed.
     */
    environment: z.string().optional(),
    /**
     * The account and region to deploy to, both required to deploy; without them the stacks are
     * environment-agnostic and refuse to deploy (a local synth only).
     */
    account: z
      .string()
      .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
      .optional(),
    region: z.string().min(1).optional(),
    /** Where alarms are e-mailed (the address must confirm the subscription); none when absent. */
    alertEmail: z.email().optional(),
    /** An existing secret with the totesys connection; absent: the extractor stack creates one. */
    totesysSecretArn: secretArn.optional(),
    /** An existing secret with the warehouse connection; absent: the loader stack creates one. */
    warehouseSecretArn: secretArn.optional(),
    /**
     * Whether the schedules (extraction and reconciliation) run: `off` until the database secrets
     * hold real values, so a first deploy does not fill the DLQs with requests that cannot succeed.
     */
    schedules: z.enum(['on', 'off']).default('off'),
    /**
     * `owner/name` of the GitHub repository whose workflows deploy: with it the app adds the
     * stack `totes-github-deploy` (the OIDC roles; see infra/README.md).
     */
    githubRepository: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected owner/name of a GitHub repository')
      .optional(),
    /** The account's existing GitHub OIDC provider (an account holds one per issuer). */
    githubOidcProviderArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
        'expected the ARN of the GitHub OIDC provider',
      )
      .optional(),
    /** How often every source table is asked for its new rows. */
    incrementalSchedule: scheduleExpression.default('rate(1 minute)'),
    /** How often event tables are swept for silent edits; `off` creates no sweep schedules. */
    sweepSchedule: z.union([scheduleExpression, z.literal('off')]).default('rate(1 hour)'),
    /** How often the reconciler re-queues what a stage left unconsumed (invariant 8). */
    reconcileSchedule: scheduleExpression.default('rate(15 minutes)'),
    /** How often the dashboard's analytics views are refreshed (and its read-only role's password set). */
    analyticsRefreshSchedule: scheduleExpression.default('rate(15 minutes)'),
    /** The freshness alarm's threshold: the loader's `freshness_seconds` above it for 15 minutes. */
    freshnessSlaSeconds: z.coerce.number().int().positive().default(900),
    /** The zone totesys's naive timestamps are written in (the extractor's `SOURCE_TIME_ZONE`). */
    sourceTimeZone: z.string().min(1).default('UTC'),
    /**
     * How the extractors compress ingest objects (`INGEST_COMPRESSION`): `zstd` (`.jsonl.zst`), or
     * `gzip` (`.jsonl.gz`); every stage reads both (docs/decisions/0003-zstd-ingest-objects.md).
     */
    ingestCompression: z.enum(ingestCompressions).default(ingestCompressions[0]),
    /** The generation the transformers write (`TRANSFORM_GENERATION`); raise it to reprocess beside the old objects. */
    transformGeneration: z.coerce.number().int().positive().default(1),
    /** The VPC of the extractors and loaders; absent (with the two below): outside any VPC. */
    vpcId: ec2Id('vpc', 'VPC').optional(),
    /** The subnets of that VPC their network interfaces are placed in. */
    vpcSubnetIds: ec2IdList('subnet', 'subnet', 16).optional(),
    /** The security groups of those interfaces, which must let them reach the databases. */
    vpcSecurityGroupIds: ec2IdList('sg', 'security group', 5).optional(),
  })
  .superRefine((context, issues) => {
    const given = databaseVpcKeys.filter((key) => context[key] !== undefined);
    if (given.length === 0 || given.length === databaseVpcKeys.length) return;
    for (const key of databaseVpcKeys.filter((key) => !given.includes(key))) {
      issues.addIssue({
        code: 'custom',
        path: [key],
        message: `missing: with ${given.join(' and ')} given, the extractors and loaders need ${databaseVpcKeys.join(', ')} to be placed in a VPC (give none for no VPC)`,
      });
    }
  });

/**
 * Where the functions that connect to a database (the extractors and the loaders) are placed: an
 * existing VPC, the subnets their network interfaces go in, and the security groups of those
 * interfaces.
 */
export interface DatabaseVpc {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

/**
 * The parsed {@link DeploymentContext}, with the deployment's resource names, and its VPC keys
 * gathered into one {@link DatabaseVpc} (absent when none is given).
 */
export type DeploymentSettings = Omit<
  z.output<typeof DeploymentContext>,
  (typeof databaseVpcKeys)[number] | 'environment'
> & {
  readonly environment: string;
  readonly names: ResourceNames;
  readonly databaseVpc: DatabaseVpc | undefined;
  /**
   * Whether environment, account and region were all given: only then may the stacks be
   * deployed. Otherwise they carry a CloudFormation rule that refuses any create or update.
   */
  readonly deployable: boolean;
};

/** The environment name of a synth given none: templates to read, never to deploy. */
export const exampleEnvironment = 'example';

/** The context keys {@link deploymentSettings} reads. */
export const deploymentContextKeys = Object.keys(DeploymentContext.shape) as readonly (keyof z.input<
  typeof DeploymentContext
>)[];

/** Thrown when a context value is unusable; the message names the key and what to give instead. */
export class DeploymentSettingsError extends Error {
  override readonly name = 'DeploymentSettingsError';
}

/**
 * Reads the deployment settings from the app's context. Account and region are never taken from
 * the credentials the CDK CLI found (`CDK_DEFAULT_ACCOUNT`): a deployment names them, with its
 * environment, or is not deployable. Throws {@link DeploymentSettingsError} naming every invalid
 * key.
 */
export function deploymentSettings(node: Node): DeploymentSettings {
  const given = Object.fromEntries(
    deploymentContextKeys
      .map((key) => [key, node.tryGetContext(key) as unknown] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = DeploymentContext.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new DeploymentSettingsError(
      `invalid CDK context (set it in cdk.json or with -c key=value): ${problems.join('; ')}`,
    );
  }
  const { vpcId, vpcSubnetIds, vpcSecurityGroupIds, environment: givenEnvironment, ...context } = parsed.data;
  const databaseVpc =
    vpcId && vpcSubnetIds && vpcSecurityGroupIds
      ? { vpcId, subnetIds: vpcSubnetIds, securityGroupIds: vpcSecurityGroupIds }
      : undefined;
  const environment = givenEnvironment ?? exampleEnvironment;
  // Bucket names end in the account and region, as tokens: the longest must fit S3's 63.
  const longest = `${environment}-totes-processed`.length + scopedBucketSuffixLength;
  const regionSlack = context.region ? 14 - context.region.length : 0;
  if (longest - regionSlack > 63) {
    throw new DeploymentSettingsError(
      `invalid CDK context environment: "${environment}" makes bucket names longer than S3's 63 characters once the account and region are added (${environment}-totes-processed-<account>-<region>); use at most ${environment.length - (longest - regionSlack - 63)} characters`,
    );
  }
  try {
    return {
      ...context,
      environment,
      names: resourceNames(environment, { account: Aws.ACCOUNT_ID, region: Aws.REGION }),
      databaseVpc,
      deployable: Boolean(givenEnvironment && context.account && context.region),
    };
  } catch (error) {
    throw new DeploymentSettingsError(`invalid CDK context environment: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
