// A sentence the planner writes, kept as its English template and the values that fill it, so that
// every reader can put it in the bakery's language (the catalogs of words.ts are keyed by the
// template) while the English text stays where it always was.

/** A value is a number, a date or a name, or a phrase of its own to translate ("fill rate {rate}"). */
export type MessageValues = Readonly<Record<string, string | number | Message>>;

export interface Message {
  /** The English template, `{name}` placeholders included: the key of its translations. */
  text: string;
  values?: MessageValues;
}

/** The template filled with its values, phrases among them filled in turn (`template` reads a translation). */
export function fill(
  text: string,
  values: MessageValues = {},
  template: (text: string) => string = (english) => english,
  value: (scalar: string | number) => string = String,
): string {
  return template(text).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) return whole;
    return typeof v === 'object' ? fill(v.text, v.values, template, value) : value(v);
  });
}

/** A reason as the plans keep it: in English, and as a message to translate. */
export interface Said {
  reason: string;
  message: Message;
}

export function said(text: string, values?: MessageValues): Said {
  return { reason: fill(text, values), message: values ? { text, values } : { text } };
}
