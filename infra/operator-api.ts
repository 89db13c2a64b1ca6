// The operators' HTTP API: API Gateway HTTP API → the API function, every route behind a JWT
// authorizer. By default a Cognito user pool issues the tokens (custom attribute tenant_id, group
// admin); an existing identity provider can be used instead by giving its issuer and audience.
import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, CfnUserPoolGroup, FeaturePlan, Mfa, StandardThreatProtectionMode, StringAttribute, UserPool } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ADMIN_GROUP } from '../lib/api/auth.ts';

export interface OperatorApiProps {
  handler: IFunction;
  /** An external identity provider; when omitted, a Cognito user pool is created. */
  jwtIssuer?: string;
  jwtAudience?: string[];
}

/** An output named exactly `name` in the stack (not the construct path's hashed id), as the docs name it. */
function stableOutput(scope: Construct, name: string, value: string, description: string): void {
  new CfnOutput(scope, name, { value, description }).overrideLogicalId(name);
}

export class OperatorApi extends Construct {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: OperatorApiProps) {
    super(scope, id);
    let issuer = props.jwtIssuer;
    let audience = props.jwtAudience;
    if (!issuer) {
      const pool = new UserPool(this, 'Users', {
        selfSignUpEnabled: false,
        signInAliases: { email: true },
        customAttributes: { tenant_id: new StringAttribute({ minLen: 1, maxLen: 100, mutable: false }) },
        passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
        mfa: Mfa.REQUIRED,
        mfaSecondFactor: { sms: false, otp: true },
        accountRecovery: AccountRecovery.EMAIL_ONLY,
        featurePlan: FeaturePlan.PLUS,
        standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      new CfnUserPoolGroup(this, 'AdminGroup', { userPoolId: pool.userPoolId, groupName: ADMIN_GROUP, description: 'Platform operators: every tenant, manual runs, global cache invalidation.' });
      const client = pool.addClient('OperatorsClient', {
        authFlows: { userSrp: true },
        accessTokenValidity: Duration.hours(1),
        idTokenValidity: Duration.hours(1),
        preventUserExistenceErrors: true,
      });
      issuer = `https://cognito-idp.${pool.stack.region}.amazonaws.com/${pool.userPoolId}`;
      audience = [client.userPoolClientId];
      stableOutput(this, 'UserPoolId', pool.userPoolId, 'The Cognito user pool that issues operators\' tokens.');
      stableOutput(this, 'UserPoolClientId', client.userPoolClientId, 'The user pool app client (the JWT audience).');
    }
    const authorizer = new HttpJwtAuthorizer('Jwt', issuer, { jwtAudience: audience ?? [] });
    this.api = new HttpApi(this, 'Api', {
      description: 'Bakery planner operators API (tenants, catalog, stock, sales, plans, forecasts, runs).',
      defaultAuthorizer: authorizer,
    });
    const integration = new HttpLambdaIntegration('Handler', props.handler);
    this.api.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE], integration });
    // The review page itself is static HTML: it carries no data and asks the user for a token.
    this.api.addRoutes({ path: '/review', methods: [HttpMethod.GET], integration, authorizer: new HttpNoneAuthorizer() });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    const stage = this.api.defaultStage!.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({ requestId: '$context.requestId', ip: '$context.identity.sourceIp', method: '$context.httpMethod', path: '$context.path', status: '$context.status', latency: '$context.responseLatency', sub: '$context.authorizer.claims.sub' }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 100, throttlingRateLimit: 50 };
    stableOutput(this, 'ApiUrl', this.api.apiEndpoint, 'The operators\' HTTP API (and GET /review, the review page).');
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Every data route uses the HTTP API JWT authorizer and the handler checks tenant and admin claims again; GET /review is a static HTML page with no data, which asks the user for a token.',
    });
  }
}
