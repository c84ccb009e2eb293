import { CfnDeletionPolicy, type CfnResource, CfnRule, Fn, type IAspect, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The logical id of the rule that refuses to deploy a stack synthesized without a deployment. */
export const requireDeploymentRuleId = 'RequireExplicitDeployment';

/**
 * Gives every stack it visits a CloudFormation rule whose assertion always fails, so a create or
 * an update of it is refused before anything changes, with `message`. Applied to an app
 * synthesized without an explicit environment, account and region: `cdk synth` still works
 * anywhere, while `cdk deploy` (which would otherwise go to whatever account the shell's
 * credentials name) cannot.
 */
export class RefuseDeployment implements IAspect {
  constructor(private readonly message: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof Stack) || node.node.tryFindChild(requireDeploymentRuleId)) return;
    new CfnRule(node, requireDeploymentRuleId, {
      assertions: [{ assert: Fn.conditionEquals('deployable', 'no'), assertDescription: this.message }],
    });
  }
}

/**
 * Turns every resource kept on delete into one kept on delete or replacement but not when its
 * creation failed (`RETAIN_ON_UPDATE_OR_DELETE`): a retained resource with a fixed name (a
 * bucket, a secret) left behind by a failed first create would make every retry fail on its
 * name. Applied to the whole app, so every stack gets it, those added later included.
 */
export class RetainExceptOnCreate implements IAspect {
  visit(node: IConstruct): void {
    const resource = node as Partial<CfnResource>;
    const options = resource.cfnOptions;
    if (!options || options.deletionPolicy !== CfnDeletionPolicy.RETAIN) return;
    options.deletionPolicy = CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE;
    options.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
  }
}
