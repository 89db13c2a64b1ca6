// A fitted tenant model as a storable document: JSON, with the global model's trees in their compact
// binary form (base64). Versioned by format, so a reader never scores with a model it cannot read.
import { decodeGbt, encodeGbt } from './gbt.ts';
import { MODEL_FORMAT, type TenantModel } from './tenant-model.ts';

export interface TenantModelDocument extends Omit<TenantModel, 'global'> {
  /** When the model was fitted: with `historyEnd`, its version. */
  fittedAt: string;
  global: string | null;
}

export function toModelDocument(model: TenantModel, fittedAt: Date): TenantModelDocument {
  return {
    ...model,
    fittedAt: fittedAt.toISOString(),
    global: model.global ? Buffer.from(encodeGbt(model.global)).toString('base64') : null,
  };
}

/** The model, or null when the document is of another format (then the caller fits a new one). */
export function fromModelDocument(document: TenantModelDocument): TenantModel | null {
  if (document.format !== MODEL_FORMAT) return null;
  const { fittedAt: _fittedAt, global, ...rest } = document;
  return { ...rest, global: global ? decodeGbt(Buffer.from(global, 'base64')) : null };
}
