import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/**
 * The name a deployment's stacks create a database's secret under (`<environment>/totes/<database>`),
 * which `totes doctor --aws` reads.
 */
export function databaseSecretName(environment: string, database: 'totesys' | 'warehouse'): string {
  return `${environment}/totes/${database}`;
}

/** Which database secret to use: an existing one, or one to create under a name. */
export interface DatabaseSecretProps {
  /** The complete ARN of an existing secret; absent: a secret named `name` is created. */
  readonly arn?: string | undefined;
  readonly name: string;
  /** The database name the placeholder value starts with. */
  readonly dbname: string;
  /** The user name it starts with (a role the stacks create themselves); a placeholder otherwise. */
  readonly username?: string;
  readonly description: string;
}

/** A secret created here, or an existing one (`Secret` is no `ISecret` under `exactOptionalPropertyTypes`). */
export type DatabaseSecret = Secret | ISecret;

/**
 * A database connection secret in the shape the services read (`{"host", "port", "username",
 * "password", "dbname"}`, as RDS writes it). A created secret starts with placeholders and a
 * generated password for the operator to replace (`aws secretsmanager put-secret-value`); it is
 * kept when the stack is deleted. An existing one is named by its complete ARN, so grants name
 * it exactly.
 */
export function databaseSecret(scope: Construct, id: string, props: DatabaseSecretProps): DatabaseSecret {
  if (props.arn) return Secret.fromSecretCompleteArn(scope, id, props.arn);
  const secret = new Secret(scope, id, {
    secretName: props.name,
    description: props.description,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    generateSecretString: {
      secretStringTemplate: JSON.stringify({
        host: 'set-me.example.com',
        port: 5432,
        username: props.username ?? 'set-me',
        dbname: props.dbname,
      }),
      generateStringKey: 'password',
      excludePunctuation: true,
    },
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The credentials belong to a database this pipeline does not own; whoever owns it rotates the password and writes the new value here.',
  });
  return secret;
}
