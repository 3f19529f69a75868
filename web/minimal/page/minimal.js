// Loads the minimal Leptos page and signals when it is interactive, like
// the form's loader does with `postmortem-form:ready`.
import init, { start } from './postmortem_web_minimal.js';

await init({ module_or_path: new URL('./postmortem_web_minimal_bg.wasm', import.meta.url) });
start();
document.dispatchEvent(new CustomEvent('minimal:ready'));
