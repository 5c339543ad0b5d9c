// The source text a parser keeps with a reject.

/**
 * The source text kept with a reject: the text itself, or how to make it when only a reject needs it (a record
 * inside an Event Hubs message has no text of its own, and stringifying every record to keep it cost 5-6 µs each).
 */
export type RawText = string | (() => string);

/** The text `raw` stands for. */
export const rawText = (raw: RawText): string => (typeof raw === 'string' ? raw : raw());
