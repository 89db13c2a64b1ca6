// The CDK entry point (`npx cdk synth`, `npx cdk deploy`).
import { buildApp } from './planner-app.ts';

buildApp().app.synth();
