import { App } from 'aws-cdk-lib';
import { pipelineApp } from '../src/index';

// The CDK app of the pipeline (run by `cdk` through the repository's cdk.json).
pipelineApp(new App());
