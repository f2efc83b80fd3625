// DOM building with textContent only: nothing from data is ever parsed as HTML.

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; id?: string; type?: string; placeholder?: string; disabled?: boolean; href?: string; onclick?: () => void; data?: Record<string, string> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.id) element.id = props.id;
  if (props.type) element.setAttribute('type', props.type);
  if (props.placeholder) element.setAttribute('placeholder', props.placeholder);
  if (props.disabled) element.setAttribute('disabled', '');
  // Links open outside the Mini App's page (a result file is a download, not a screen of the app).
  if (props.href) {
    element.setAttribute('href', props.href);
    element.setAttribute('target', '_blank');
    element.setAttribute('rel', 'noopener');
  }
  if (props.onclick) element.addEventListener('click', props.onclick);
  for (const [key, value] of Object.entries(props.data ?? {})) element.dataset[key] = value;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

export function mount(root: HTMLElement, ...children: Child[]): void {
  root.replaceChildren();
  for (const child of children) {
    if (child) root.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}
