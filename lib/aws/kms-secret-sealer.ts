// Webhook signing secrets encrypted with the stack's KMS key, bound to their tenant and endpoint (the
// encryption context: a sealed secret copied to another endpoint does not open). Opened secrets are kept
// in memory for five minutes, so a delivery costs no KMS call in a warm function.
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { SecretSealer } from '../ports.ts';

const CACHE_MS = 5 * 60_000;

export class KmsSecretSealer implements SecretSealer {
  private readonly opened = new Map<string, { plaintext: string; until: number }>();

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string | undefined,
  ) {}

  async seal(plaintext: string, context: Record<string, string>): Promise<string> {
    if (!this.keyId) throw new Error('WEBHOOK_KEY_ID is not set: this function cannot seal webhook secrets.');
    const { CiphertextBlob } = await this.kms.send(
      new EncryptCommand({ KeyId: this.keyId, Plaintext: Buffer.from(plaintext), EncryptionContext: context }),
    );
    return Buffer.from(CiphertextBlob!).toString('base64');
  }

  async open(sealed: string, context: Record<string, string>): Promise<string> {
    const key = `${JSON.stringify(context)}|${sealed}`;
    const hit = this.opened.get(key);
    if (hit && hit.until > Date.now()) return hit.plaintext;
    const { Plaintext } = await this.kms.send(
      new DecryptCommand({ CiphertextBlob: Buffer.from(sealed, 'base64'), EncryptionContext: context }),
    );
    const plaintext = Buffer.from(Plaintext!).toString('utf8');
    this.opened.set(key, { plaintext, until: Date.now() + CACHE_MS });
    return plaintext;
  }
}
