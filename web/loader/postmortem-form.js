// <postmortem-form>: the loader of the guided postmortem form.
//
// Public API, documented in docs/embedding.md:
//   <script type="module" src=".../postmortem-form.js"></script>
//   <postmortem-form data-repo="acme/ops" data-runbook="runbooks/RB-021.md"
//                    data-incident="INC-2026-0142"></postmortem-form>
//
// The form is Rust compiled to WebAssembly; a custom element cannot be
// defined from Rust, so this small module defines the element, opens an
// open shadow root with a constructed stylesheet (no <style> or inline
// script is ever injected into the host page, so a CSP of 'self' plus
// 'wasm-unsafe-eval' suffices), and mounts / unmounts the form with the
// element's lifecycle (single-page wikis insert and remove it).

const TAG = 'postmortem-form';

// The WebAssembly module and its glue sit next to this file, wherever it
// is served from (a CDN, a wiki's attachment folder).
const GLUE_URL = new URL('./postmortem_web.js', import.meta.url);
const WASM_URL = new URL('./postmortem_web_bg.wasm', import.meta.url);

// Attributes that configure the form; a change remounts it.
const CONFIG_ATTRIBUTES = [
  'data-repo',
  'data-runbook',
  'data-incident',
  'data-api-base',
  'data-github-url',
  'data-label',
  'data-draft-key',
];

let runtime = null;

// Why the form could not start: the file that failed, the browser's words,
// and, for the page's owner, what to change. `fetchedBy` is the CSP
// directive that governs loading that file.
function failure(url, error, fetchedBy) {
  const said = error && error.message ? error.message : String(error);
  const name = url.pathname.split('/').pop();
  let fix;
  if (/wasm-unsafe-eval|unsafe-eval|Content.Security.Policy|\bCSP\b/i.test(said)) {
    fix = "the page's Content-Security-Policy must allow WebAssembly: add 'wasm-unsafe-eval' to its script-src.";
  } else if (error && (error.name === 'LinkError' || error.name === 'CompileError')) {
    fix = `${name} does not fit the other files: postmortem-form.js, postmortem_web.js and postmortem_web_bg.wasm must come from one build, unchanged. Replace all three together (and clear any cache in front of them).`;
  } else {
    fix = `serve ${name} beside postmortem-form.js. The page's Content-Security-Policy, if any, must allow its origin in ${fetchedBy} ('self' when it is this site's), and another origin must send Access-Control-Allow-Origin.`;
  }
  return new Error(`${url.href} did not load (${said}). Tell this page's owner: ${fix}`);
}

// Loads the module once per page, however many forms there are.
function loadRuntime() {
  if (!runtime) {
    runtime = import(GLUE_URL.href).then(async (glue) => {
      try {
        await glue.default({ module_or_path: WASM_URL });
      } catch (error) {
        throw failure(WASM_URL, error, 'connect-src');
      }
      let sheet = null;
      try {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(glue.stylesheet());
      } catch (_) {
        sheet = null; // a browser without constructed stylesheets: unstyled, still usable
      }
      return { glue, sheet };
    }, (error) => {
      throw failure(GLUE_URL, error, 'script-src');
    });
    runtime.catch(() => {
      runtime = null; // let a later element try again
    });
  }
  return runtime;
}

class PostmortemForm extends HTMLElement {
  static get observedAttributes() {
    return CONFIG_ATTRIBUTES;
  }

  constructor() {
    super();
    this._handle = null;
    this._generation = 0;
    this._root = this.shadowRoot || this.attachShadow({ mode: 'open' });
  }

  connectedCallback() {
    this._mount();
  }

  disconnectedCallback() {
    this._generation += 1;
    this._unmount();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue !== newValue && this.isConnected && this._handle) {
      this._unmount();
      this._mount();
    }
  }

  _mount() {
    const generation = ++this._generation;
    if (!this._root.firstChild) {
      const loading = document.createElement('p');
      loading.setAttribute('role', 'status');
      loading.textContent = 'Loading the postmortem form…';
      this._root.append(loading);
    }
    loadRuntime().then(
      ({ glue, sheet }) => {
        // The element may have left the page, or remounted, meanwhile.
        if (generation !== this._generation || !this.isConnected || this._handle) return;
        if (sheet) this._root.adoptedStyleSheets = [sheet];
        this._root.replaceChildren();
        this._handle = glue.mount(this._root, { ...this.dataset });
        this.dispatchEvent(new CustomEvent('postmortem-form:ready', { bubbles: true, composed: true }));
      },
      (error) => {
        if (generation !== this._generation) return;
        const message = document.createElement('p');
        message.setAttribute('role', 'alert');
        message.textContent = 'The postmortem form could not start: ' + error.message;
        this._root.replaceChildren(message);
      },
    );
  }

  _unmount() {
    const handle = this._handle;
    this._handle = null;
    if (handle) {
      handle.unmount(); // saves the draft first
      handle.free();
    }
  }

  /** Whether the form is mounted and interactive. */
  get ready() {
    return this._handle !== null;
  }
}

// A duplicated script tag (or two copies from different URLs) must do no
// harm: define the element once.
if (!customElements.get(TAG)) {
  customElements.define(TAG, PostmortemForm);
}

export { PostmortemForm };
