// Building DOM from data as text only: attacker-controlled strings (command lines, file and device names) are set
// with textContent and attributes, never parsed as HTML.

type Child = Node | string | null | undefined | false;

/** An element with attributes and children; strings become text nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

/** Replaces the children of `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => Boolean(c)));
}

/** Runs `action` when `element` is clicked or Enter is pressed on it (a keyboard-reachable list row). */
export function onActivate(element: HTMLElement, action: () => void): void {
  element.addEventListener('click', action);
  element.addEventListener('keydown', (event) => { if (event.key === 'Enter') action(); });
}

/** A button that copies `text` to the clipboard. */
export function copyButton(text: string, label = 'copy'): HTMLButtonElement {
  const button = el('button', { class: 'btn copy', type: 'button', title: 'copy to the clipboard' }, label);
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text).then(() => { button.textContent = 'copied'; }, () => { button.textContent = 'copy failed'; });
  });
  return button;
}

/** Offers `blob` as a download named `name`. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
