// Builds the CDK app: one stack, checked by cdk-nag's AWS Solutions rules on every synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.ts';
import { PlannerStack } from './planner-stack.ts';

export function buildApp(app = new App()): { app: App; stack: PlannerStack } {
  const stack = new PlannerStack(app, 'BakeryPlanner', {
    config: readConfig(app.node),
    description: 'Bakery planner: daily production and procurement planning per tenant timezone.',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
