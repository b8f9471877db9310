/**
 * xterm.js 6 writes its layout and theme rules into runtime `<style>` elements and sets 24-bit colours with
 * `setAttribute('style', …)`. The renderer's CSP (`style-src 'self'`) blocks both. This keeps them working without
 * relaxing the policy: runtime `<style>` elements become constructable stylesheets adopted by the document, and
 * style attributes set from script go through the CSSOM (`style.cssText`), which the CSP allows. Under this CSP
 * neither original form can ever apply, so redirecting them changes nothing else.
 */
const TAG = 'fk-adopted-style';

class AdoptedStyle extends HTMLElement {
  readonly sheet = new CSSStyleSheet();
  css = '';

  connectedCallback(): void {
    const doc = this.ownerDocument;
    if (!doc.adoptedStyleSheets.includes(this.sheet)) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, this.sheet];
  }

  disconnectedCallback(): void {
    const doc = this.ownerDocument;
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((sheet) => sheet !== this.sheet);
  }
}

// `textContent` is a Node accessor: xterm assigns its rules through it.
Object.defineProperty(AdoptedStyle.prototype, 'textContent', {
  get(this: AdoptedStyle) {
    return this.css;
  },
  set(this: AdoptedStyle, value: string | null) {
    this.css = value ?? '';
    this.sheet.replaceSync(this.css);
  },
});

let installed = false;

export function installCspSafeStyles(): void {
  if (installed) return;
  installed = true;
  customElements.define(TAG, AdoptedStyle);

  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions) {
    return createElement.call(this, tagName.toLowerCase() === 'style' ? TAG : tagName, options);
  } as Document['createElement'];

  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    if (name.toLowerCase() === 'style' && (this instanceof HTMLElement || this instanceof SVGElement)) this.style.cssText = value;
    else setAttribute.call(this, name, value);
  };
}
