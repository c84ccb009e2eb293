import type { Command } from 'commander';
import { Help } from 'commander';
import { type AwsOptions, awsOption } from '../aws-option';
import { paint } from '../colour';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { awsChecks, type DeploymentProbe } from '../doctor/aws-checks';
import { awsDeploymentProbe } from '../doctor/aws-deployment-probe';
import { databaseChecks } from '../doctor/database-checks';
import type { CheckStatus, DoctorCheck } from '../doctor/doctor-check';
import { dataDirFacts, localChecks } from '../doctor/local-checks';

const marks = {
  ok: () => paint('green', 'ok  '),
  warn: () => paint('yellow', 'warn'),
  fail: () => paint('red', 'FAIL'),
  skip: () => paint('dim', 'skip'),
} as const satisfies Record<CheckStatus, () => string>;

const labelWidth = 20;

/** The checks as lines of at most `width` columns: mark, check, what was found, what to do. */
export function formatChecks(checks: readonly DoctorCheck[], width = 80): string {
  const help = new Help();
  const indent = ' '.repeat(6 + labelWidth);
  const lines: string[] = [];
  for (const check of checks) {
    const text = help.boxWrap(check.detail, width - indent.length).split('\n');
    const label =
      check.check.length >= labelWidth ? `${check.check.slice(0, labelWidth - 2)}… ` : check.check;
    lines.push(`${marks[check.status]()}  ${label.padEnd(labelWidth)}${text[0] ?? ''}`);
    for (const more of text.slice(1)) lines.push(`${indent}${more}`);
    if (check.fix) {
      for (const line of help.boxWrap(`→ ${check.fix}`, width - indent.length - 2).split('\n')) {
        lines.push(`${indent}${line.startsWith('→') ? line : `  ${line}`}`);
      }
    }
  }
  return lines.join('\n');
}

/** Prints the checks and sets the exit code: 1 when any failed. */
function report(checks: readonly DoctorCheck[], json: boolean, about: Record<string, unknown>): void {
  const failed = checks.filter((check) => check.status === 'fail').length;
  const warnings = checks.filter((check) => check.status === 'warn').length;
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...about, ok: failed === 0, checks })}\n`);
  } else {
    process.stdout.write(`${formatChecks(checks)}\n\n`);
    const summary = `${checks.length} checks: ${failed} failed, ${warnings} to look at`;
    process.stdout.write(`${failed > 0 ? paint('red', summary) : summary}\n`);
  }
  if (failed > 0) process.exitCode = 1;
}

/** `totes doctor --aws <environment>`, with `probe` to read the deployment (the SDK's by default). */
export async function doctorAws(environment: string, json: boolean, probe?: DeploymentProbe): Promise<void> {
  const sdk = probe ? undefined : awsDeploymentProbe();
  try {
    const checks = await awsChecks(environment, probe ?? (sdk as DeploymentProbe));
    report(checks, json, { aws: { environment } });
  } finally {
    sdk?.destroy();
  }
}

/** `totes doctor`: checks a local stack (or a deployment in AWS) and says what to do about each problem. */
export function doctorCommand(program: Command): void {
  awsOption(
    stackOptions(
      program
        .command('doctor')
        .description(
          'check the local stack (ports, data directory, leftovers of a crash, databases and grants, emulator) or, with --aws, a deployment; each problem comes with what to do',
        )
        .addHelpText(
          'after',
          `
Nothing is started or changed: the databases and the emulator are checked while
\`totes up\` runs, or the databases given by --totesys-url/--warehouse-url
(TOTESYS_URL/WAREHOUSE_URL). Exit code 1 when a check fails.

Examples:
  $ totes doctor                                  # the stack in .totes
  $ totes doctor --totesys-url postgresql://reader@oltp/totesys --json
  $ totes doctor --aws prod                       # stacks, secrets, schedules, alerts`,
        ),
    ),
  ).action(async (options: StackOptions & AwsOptions) => {
    const json = options.json === true;
    if (options.aws) {
      await doctorAws(options.aws, json);
      return;
    }
    const dataDir = dataDirOf(options.dataDir);
    const facts = await dataDirFacts(dataDir);
    const urls = databaseUrls(options);
    const { running } = facts;
    const checks = [
      ...(await localChecks(facts)),
      ...(await databaseChecks({
        // The running stack's own, or those given: doctor starts no database to check it.
        ...(running
          ? { totesysUrl: running.totesysUrl }
          : urls.totesysUrl
            ? { totesysUrl: urls.totesysUrl }
            : {}),
        ...(running
          ? { warehouseUrl: running.warehouseUrl }
          : urls.warehouseUrl
            ? { warehouseUrl: urls.warehouseUrl }
            : {}),
        unknownBecause: 'not running: `totes up` starts it (doctor starts nothing); or give its URL',
      })),
    ];
    report(checks, json, { dataDir, running: running !== undefined });
  });
}
