/** Characters of a client's value quoted in an error message, at most. */
const QUOTE_LIMIT = 100;

/**
 * A value a client sent, as an error message quotes it: its JSON (or `String()` when it has
 * none), cut to about {@link QUOTE_LIMIT} characters. Client values can be megabytes long; an
 * error must not echo (or log) them whole.
 */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length <= QUOTE_LIMIT ? text : `${text.slice(0, QUOTE_LIMIT)}… (${text.length} characters)`;
}
