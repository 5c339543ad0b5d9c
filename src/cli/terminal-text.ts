// Text that came from logs (command lines, file and archive entry names, channel and device names) is printed to an
// analyst's terminal. Control characters there are instructions to the terminal (an ESC sequence can rewrite the
// screen, hide lines or retitle the window), so every formatter shows them as visible \xNN escapes instead.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** The same, but for the line feed: multi-line text of our own (a stack trace) that may quote a log. */
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

const escape = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** `text` with every control character (but line feeds, when `keepLines`) written as a visible `\xNN`. */
export function terminalSafe(text: string, keepLines = false): string {
  return text.replace(keepLines ? CONTROL_BUT_LF : CONTROL, escape);
}
