// The mailer on this machine: each message is written to the outbox folder (.local/outbox) as an
// .eml file any mail client opens, instead of being sent.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mailer, MailMessage } from '../ports.ts';

const DEFAULT_OUTBOX = '.local/outbox';

/** A header value on one line: no CR or LF can start another header. */
const header = (value: string) => value.replace(/[\r\n]+/g, ' ');

export class LocalOutboxMailer implements Mailer {
  readonly unavailable = null;

  constructor(
    private readonly dir = DEFAULT_OUTBOX,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const at = this.now();
    const messageId = `${at.getTime()}-${randomBytes(4).toString('hex')}`;
    mkdirSync(this.dir, { recursive: true });
    const eml = [
      `Message-ID: <${messageId}@bakery-planner.local>`,
      `Date: ${at.toUTCString()}`,
      'From: bakery-planner@localhost',
      `To: ${header(message.to)}`,
      ...(message.replyTo ? [`Reply-To: ${header(message.replyTo)}`] : []),
      `Subject: ${header(message.subject)}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      message.text,
    ].join('\r\n');
    writeFileSync(join(this.dir, `${messageId}.eml`), eml);
    return { messageId };
  }
}
