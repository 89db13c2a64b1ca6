// The operators' HTTP API: API Gateway HTTP API → the API function, every route behind a JWT
// authorizer. By default a Cognito user pool issues the tokens (custom attribute tenant_id, group
// admin); an existing identity provider can be used instead by giving its issuer and audience.
import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  type CfnUserPoolClient,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ADMIN_GROUP } from '../lib/api/auth.ts';
import { DEFAULT_LOGIN_PORT } from '../lib/cli/session.ts';

/** The external provider's public client for the review page and `planner login` (authorization code + PKCE). */
interface ExternalSignIn {
  authorizeUrl: string;
  tokenUrl: string;
  logoutUrl?: string;
  /** Its RFC 7009 revocation endpoint: sign-out revokes the refresh token there. */
  revokeUrl?: string;
  clientId: string;
}

export interface OperatorApiProps {
  handler: LambdaFunction;
  /** An external identity provider; when omitted, a Cognito user pool is created. */
  jwtIssuer?: string;
  jwtAudience?: string[];
  externalSignIn?: ExternalSignIn;
  /** The user pool's hosted sign-in domain prefix (default: bakery-planner-<account>). */
  authDomainPrefix?: string;
  /** Callback and sign-out URLs besides the API's /review and the CLI's loopback. */
  callbackUrls?: string[];
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
    // Created first (without routes) so that the app client can name its /review page as a callback.
    this.api = new HttpApi(this, 'Api', {
      description: 'Bakery planner operators API (tenants, catalog, stock, sales, plans, forecasts, runs).',
    });
    const reviewUrl = `${this.api.apiEndpoint}/review`;
    const signInEnvironment = (settings: {
      authorize: string;
      token: string;
      logout?: string;
      revoke?: string;
      clientId: string;
    }) => {
      props.handler.addEnvironment('SIGN_IN_AUTHORIZE_URL', settings.authorize);
      props.handler.addEnvironment('SIGN_IN_TOKEN_URL', settings.token);
      if (settings.logout) props.handler.addEnvironment('SIGN_IN_LOGOUT_URL', settings.logout);
      if (settings.revoke) props.handler.addEnvironment('SIGN_IN_REVOKE_URL', settings.revoke);
      props.handler.addEnvironment('SIGN_IN_CLIENT_ID', settings.clientId);
    };
    if (issuer && props.externalSignIn) {
      const external = props.externalSignIn;
      signInEnvironment({
        authorize: external.authorizeUrl,
        token: external.tokenUrl,
        ...(external.logoutUrl ? { logout: external.logoutUrl } : {}),
        ...(external.revokeUrl ? { revoke: external.revokeUrl } : {}),
        clientId: external.clientId,
      });
    }
    if (!issuer) {
      const pool = new UserPool(this, 'Users', {
        selfSignUpEnabled: false,
        signInAliases: { email: true },
        customAttributes: { tenant_id: new StringAttribute({ minLen: 1, maxLen: 100, mutable: false }) },
        passwordPolicy: {
          minLength: 12,
          requireDigits: true,
          requireLowercase: true,
          requireUppercase: true,
          requireSymbols: true,
        },
        mfa: Mfa.REQUIRED,
        mfaSecondFactor: { sms: false, otp: true },
        accountRecovery: AccountRecovery.EMAIL_ONLY,
        featurePlan: FeaturePlan.PLUS,
        standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      new CfnUserPoolGroup(this, 'AdminGroup', {
        userPoolId: pool.userPoolId,
        groupName: ADMIN_GROUP,
        description: 'Platform operators: every tenant, manual runs, global cache invalidation.',
      });
      // The hosted UI: a public client (no secret) with the authorization code grant and PKCE, calling back
      // to the review page and to the CLI's loopback listener (`planner login`), plus any custom URLs.
      const domain = pool.addDomain('SignIn', {
        cognitoDomain: { domainPrefix: props.authDomainPrefix ?? Fn.join('-', ['bakery-planner', Aws.ACCOUNT_ID]) },
      });
      const callbacks = [reviewUrl, `http://localhost:${DEFAULT_LOGIN_PORT}/callback`, ...(props.callbackUrls ?? [])];
      const client = pool.addClient('OperatorsClient', {
        authFlows: { userSrp: true },
        generateSecret: false,
        oAuth: {
          flows: { authorizationCodeGrant: true },
          scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
          callbackUrls: callbacks,
          logoutUrls: [reviewUrl, ...(props.callbackUrls ?? [])],
        },
        accessTokenValidity: Duration.hours(1),
        idTokenValidity: Duration.hours(1),
        refreshTokenValidity: Duration.days(30),
        preventUserExistenceErrors: true,
        enableTokenRevocation: true,
      });
      // Refresh tokens are single use: each refresh returns a new one and spends the old (after a
      // 10-second grace for parallel refreshes). Rotation refuses the REFRESH_TOKEN_AUTH flow, so the
      // client allows SRP only; the hosted UI's token endpoint rotates.
      const cfnClient = client.node.defaultChild as CfnUserPoolClient;
      cfnClient.refreshTokenRotation = { feature: 'ENABLED', retryGracePeriodSeconds: 10 };
      cfnClient.explicitAuthFlows = ['ALLOW_USER_SRP_AUTH'];
      issuer = `https://cognito-idp.${pool.stack.region}.amazonaws.com/${pool.userPoolId}`;
      audience = [client.userPoolClientId];
      const hosted = domain.baseUrl();
      signInEnvironment({
        authorize: `${hosted}/oauth2/authorize`,
        token: `${hosted}/oauth2/token`,
        logout: `${hosted}/logout`,
        revoke: `${hosted}/oauth2/revoke`,
        clientId: client.userPoolClientId,
      });
      stableOutput(this, 'UserPoolId', pool.userPoolId, "The Cognito user pool that issues operators' tokens.");
      stableOutput(this, 'UserPoolClientId', client.userPoolClientId, 'The user pool app client (the JWT audience).');
      stableOutput(
        this,
        'SignInUrl',
        hosted,
        'The hosted sign-in domain (the review page and planner login go there).',
      );
    }
    const authorizer = new HttpJwtAuthorizer('Jwt', issuer, { jwtAudience: audience ?? [] });
    const integration = new HttpLambdaIntegration('Handler', props.handler);
    this.api.addRoutes({
      path: '/{proxy+}',
      methods: [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE],
      integration,
      authorizer,
    });
    // The review page and its sign-in settings are public: static HTML and where to sign in, no data.
    for (const path of ['/review', '/review/config'])
      this.api.addRoutes({ path, methods: [HttpMethod.GET], integration, authorizer: new HttpNoneAuthorizer() });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = this.api.defaultStage!.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        method: '$context.httpMethod',
        path: '$context.path',
        status: '$context.status',
        latency: '$context.responseLatency',
        sub: '$context.authorizer.claims.sub',
      }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 100, throttlingRateLimit: 50 };
    stableOutput(this, 'ApiUrl', this.api.apiEndpoint, "The operators' HTTP API (and GET /review, the review page).");
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every data route uses the HTTP API JWT authorizer and the handler checks tenant and admin claims again; GET /review is a static HTML page with no data and GET /review/config says where to sign in.',
    });
  }
}
