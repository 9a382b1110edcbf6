type Child = Node | string | null | undefined | false;

/** Creates an element with attributes (strings) and children; text children are escaped by the DOM. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** The element with this id, of the expected type; a missing one is a bug in index.html. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return element;
}

/** The trimmed value of an input, or undefined when it is empty (the field is then left unset). */
export function optionalValue(input: HTMLInputElement | HTMLSelectElement): string | undefined {
  const value = input.value.trim();
  return value === "" ? undefined : value;
}

/** A labelled input for forms built in code, carrying the request field path it fills. */
export function labelledInput(
  label: string,
  id: string,
  field: string,
  attributes: Record<string, string> = {},
): HTMLDivElement {
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("input", { id, "data-field": field, autocomplete: "off", ...attributes }),
  );
}
