// Fitted forecasting models in S3: one gzip JSON object per tenant, replaced whole by each refit (a
// reader sees the old model or the new one) and read once by each day's production job. S3 is where a
// model is cheapest (docs/benchmarks.md, bench:cost): a 33–73 KB model costs one PUT a week and one GET
// a day there, against 33–73 write units a week and 4.5–9.5 read units a day on a DynamoDB item, and it
// is stored at a tenth of the price. Models written by earlier versions on the table's MODEL# snapshot
// are still read until the tenant's next refit writes its object.
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { fromModelDocument, type TenantModelDocument, toModelDocument } from '../forecasting/model-document.ts';
import type { TenantModel } from '../forecasting/tenant-model.ts';
import { jobCallOptions } from '../job-signal.ts';
import type { ModelStore } from '../ports.ts';
import { packJson, unpackJson } from './dynamodb/packed-json.ts';

/** Where the models live: a bucket, and a key prefix (a local stack shares one bucket among tables). */
export interface ModelLocation {
  bucket: string;
  prefix?: string;
}

/** What stays in the table: the refit claims, and the models of the earlier layout. */
type TableModels = Pick<ModelStore, 'claimRefitRequest'> & {
  getSnapshotModel(tenantId: string): Promise<TenantModel | null>;
};

export class S3ModelStore implements ModelStore {
  constructor(
    private readonly s3: S3Client,
    private readonly location: ModelLocation,
    private readonly table: TableModels,
  ) {}

  private key(tenantId: string): string {
    return `${this.location.prefix ?? ''}models/${encodeURIComponent(tenantId)}.json.gz`;
  }

  private send<T>(command: object): Promise<T> {
    return this.s3.send(command as never, jobCallOptions()) as Promise<T>;
  }

  async putModel(tenantId: string, model: TenantModel, fittedAt: Date): Promise<void> {
    await this.send(
      new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: this.key(tenantId),
        Body: packJson(toModelDocument(model, fittedAt)),
        ContentType: 'application/gzip',
      }),
    );
  }

  async getModel(tenantId: string): Promise<TenantModel | null> {
    try {
      const object = await this.send<{ Body?: { transformToByteArray(): Promise<Uint8Array> } }>(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(tenantId) }),
      );
      return fromModelDocument(unpackJson<TenantModelDocument>(await object.Body!.transformToByteArray()));
    } catch (error) {
      if (!(error instanceof NoSuchKey)) throw error;
      return this.table.getSnapshotModel(tenantId);
    }
  }

  claimRefitRequest(tenantId: string, now: Date, notBefore: Date): Promise<boolean> {
    return this.table.claimRefitRequest(tenantId, now, notBefore);
  }
}
