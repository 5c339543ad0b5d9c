// Text that came from logs (command lines, file and archive entry names, channel and device names) is printed to an
// analyst's terminal. Control characters there are instructions to the terminal (an ESC sequence can rewrite the
// screen, hide lines or retitle the window), so every formatter shows them as visible \xNN escapes instead.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` with every control character written as a visible `\xNN`. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
