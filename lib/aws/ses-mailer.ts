// The mailer in the cloud: SES (v2) sends each purchase order from the stack's configured sender
// (a verified identity; MAIL_FROM). Without one, purchase orders are downloaded, not mailed.
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer, MailMessage } from '../ports.ts';

export class SesMailer implements Mailer {
  readonly unavailable: string | null;

  constructor(
    private readonly client: SESv2Client,
    private readonly from: string | undefined,
  ) {
    this.unavailable = from
      ? null
      : 'No sender is configured for e-mail: deploy with -c mailFrom=<a verified SES address>, or download the purchase orders (CSV) and send them yourself.';
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    if (!this.from) throw new Error(this.unavailable!);
    const answer = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [message.to] },
        ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
          },
        },
      }),
    );
    return { messageId: answer.MessageId ?? '' };
  }
}
