import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const workflowsDir = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));
const workflowFiles = readdirSync(workflowsDir).filter((file) => /\.ya?ml$/.test(file));
const source = (file: string) => readFileSync(join(workflowsDir, file), 'utf8');

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}
interface Job {
  readonly 'runs-on': string;
  readonly 'timeout-minutes'?: number;
  readonly permissions?: Record<string, string>;
  readonly environment?: string;
  readonly needs?: string | string[];
  readonly concurrency?: { group: string; 'cancel-in-progress': boolean };
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(source(file)) as Workflow;

describe('the GitHub workflows', () => {
  it('are more than the CI alone: ci, deploy and codeql', () => {
    expect(workflowFiles.sort()).toEqual(['ci.yml', 'codeql.yml', 'deploy.yml']);
  });

  it.each(workflowFiles)('%s is a valid workflow (action-validator, offline)', (file) => {
    const { errors } = validateWorkflow(source(file));
    expect(errors).toEqual([]);
  });

  it('action-validator finds a broken workflow, so the check above can fail', () => {
    const broken = source('ci.yml').replace('runs-on: ubuntu-latest', 'runs-om: ubuntu-latest');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it.each(workflowFiles)(
    '%s grants read-only permissions by default, bounds every job in time and pins every action by commit',
    (file) => {
      const parsed = workflow(file);
      expect(parsed.permissions).toEqual({ contents: 'read' });
      for (const [name, job] of Object.entries(parsed.jobs)) {
        expect(job['timeout-minutes'], name).toBeGreaterThan(0);
        for (const step of job.steps) {
          if (step.uses)
            expect(step.uses, `${name}: ${step.uses}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
          if (step.uses?.startsWith('actions/checkout@'))
            expect(step.with?.['persist-credentials']).toBe(false);
        }
      }
    },
  );

  it('run lint, typecheck, unit, infra and e2e as parallel jobs, with dependency review and audit', () => {
    const { jobs } = workflow('ci.yml');
    expect(Object.keys(jobs)).toEqual(
      expect.arrayContaining(['lint', 'typecheck', 'unit', 'infra', 'e2e', 'dependency-review', 'audit']),
    );
    for (const name of ['lint', 'typecheck', 'unit', 'infra', 'e2e'])
      expect(jobs[name]?.needs).toBeUndefined();
    expect(source('codeql.yml')).toContain('languages: javascript-typescript');
  });
});

describe('the deploy workflow', () => {
  const deploy = workflow('deploy.yml');
  const text = source('deploy.yml');
  const awsJobs = Object.entries(deploy.jobs).filter(([, job]) =>
    job.steps.some((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@')),
  );

  it('assumes a role through GitHub OIDC in every job that reaches AWS', () => {
    expect(awsJobs.map(([name]) => name).sort()).toEqual(['diff', 'production', 'staging']);
    for (const [name, job] of awsJobs) {
      expect(job.permissions?.['id-token'], name).toBe('write');
      const credentials = job.steps.find((step) =>
        step.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      );
      expect(credentials?.with?.['role-to-assume'], name).toMatch(
        /^\$\{\{ vars\.AWS_(DEPLOY|DIFF)_ROLE_ARN \}\}$/,
      );
      expect(Object.keys(credentials?.with ?? {}), name).not.toEqual(
        expect.arrayContaining(['aws-access-key-id']),
      );
    }
  });

  it('never reads AWS keys from secrets, nor any secret at all', () => {
    expect(text).not.toMatch(/secrets\./);
    expect(text).not.toMatch(
      /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/,
    );
  });

  it('deploys with cdk deploy to staging, then to production, one deploy at a time per environment', () => {
    const { staging, production } = deploy.jobs;
    expect(staging?.environment).toBe('staging');
    expect(production?.environment).toBe('production');
    expect(production?.needs).toBe('staging');
    for (const [name, job] of [
      ['staging', staging],
      ['production', production],
    ] as const) {
      expect(job?.concurrency).toEqual({ group: `deploy-${name}`, 'cancel-in-progress': false });
      const command = job?.steps.map((step) => step.run ?? '').join('\n') ?? '';
      expect(command).toContain('npm run cdk -- deploy --all');
      // The environment, account and region are pinned per GitHub environment, never guessed.
      expect(command).toContain(`-c environment=${name} -c account="$ACCOUNT" -c region="$REGION"`);
    }
  });

  it('posts cdk diff on pull requests, without deploying', () => {
    const diff = deploy.jobs.diff;
    expect(diff?.steps.map((step) => step.run ?? '').join('\n')).toContain('cdk diff');
    expect(diff?.permissions?.['pull-requests']).toBe('write');
    expect(JSON.stringify(diff)).not.toContain('cdk deploy');
  });
});
