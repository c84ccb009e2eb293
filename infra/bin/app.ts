import { App } from 'aws-cdk-lib';
import { addDashboardStack, pipelineApp } from '../src/index';

// The CDK app of the pipeline (run by `cdk` through the repository's cdk.json).
const app = new App();
const { settings } = pipelineApp(app);
addDashboardStack(app, settings);
