// Sends tenant jobs to SQS, ten per SendMessageBatch call, resending only the entries that failed.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TenantJob } from '../jobs/job-message.ts';
import type { JobQueue } from '../ports.ts';
import { MAX_SEND_ATTEMPTS, sendInBatches } from './batched-retry.ts';

export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly backoffMs = 100,
  ) {}

  async enqueue(jobs: readonly TenantJob[], options: { delaySeconds?: number } = {}): Promise<void> {
    await sendInBatches(
      jobs,
      10,
      this.backoffMs,
      async (batch) => {
        const entries = batch.map((job, index) => ({
          Id: `m${index}`,
          MessageBody: JSON.stringify(job),
          ...(options.delaySeconds ? { DelaySeconds: Math.min(900, options.delaySeconds) } : {}),
        }));
        const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = result.Failed ?? [];
        // A sender's fault (a bad message) will not pass on retry: fail now, loudly.
        const permanent = failed.filter((f) => f.SenderFault);
        if (permanent.length > 0)
          throw new Error(
            `SQS rejected job(s) as malformed: ${permanent.map((f) => `${f.Id} ${f.Code}: ${f.Message}`).join('; ')}`,
          );
        const failedIds = new Set(failed.map((f) => f.Id));
        return {
          failed: batch.filter((_, index) => failedIds.has(`m${index}`)),
          errors: failed.map((f) => `${f.Code}: ${f.Message}`),
        };
      },
      (pending, errors) =>
        new Error(
          `SQS refused ${pending.length} job(s) after ${MAX_SEND_ATTEMPTS} attempts (${pending.map((j) => j.idempotencyKey).join(', ')}): ${errors.join('; ')}`,
        ),
      8,
    );
  }
}
