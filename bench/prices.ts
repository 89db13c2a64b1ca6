// AWS list prices the benchmarks bill by.

/** List prices, us-east-1 / eu-west-1, USD (on-demand DynamoDB after the November 2024 reduction). */
export const PRICES = {
  kmsRequestPerTenThousand: 0.03,
  dynamoWriteRequestUnitPerMillion: 0.625,
  dynamoReadRequestUnitPerMillion: 0.125,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequestPerMillion: 0.2,
  sqsRequestPerMillion: 0.4,
  eventBridgeCustomEventPerMillion: 1.0,
  logsIngestionGb: 0.5,
  dynamoExportGb: 0.1,
  s3GlacierInstantRetrievalGbMonth: 0.004,
  s3StandardGbMonth: 0.023,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  alarmStandardMonth: 0.1,
  dashboardMonth: 3.0,
  customMetricMonth: 0.3,
};
