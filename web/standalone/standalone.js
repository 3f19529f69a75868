// The standalone page for iframe embedding. It takes the element's
// configuration from its query string (?repo=acme/ops&incident=INC-1&…,
// the data-* names without "data-"), and tells the parent page its height
// whenever it changes:
//   { type: "postmortem-form:height", height: <CSS pixels> }
// sent to ?parent-origin=… when given (recommended), else to any origin
// (the height is not sensitive). The parent must check event.origin.

const params = new URLSearchParams(location.search);
const NAMES = ['repo', 'runbook', 'incident', 'api-base', 'github-url', 'label', 'draft-key', 'theme'];

const form = document.createElement('postmortem-form');
for (const name of NAMES) {
  const value = params.get(name);
  if (value !== null && value !== '') form.setAttribute('data-' + name, value);
}
const incident = params.get('incident');
if (incident) document.title = 'Postmortem ' + incident + ' (form)';
document.getElementById('form-slot').append(form);

const parentOrigin = params.get('parent-origin') || '*';
let last = 0;
function report() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height !== last && window.parent !== window) {
    last = height;
    window.parent.postMessage({ type: 'postmortem-form:height', height }, parentOrigin);
  }
}
new ResizeObserver(report).observe(document.documentElement);
report();
