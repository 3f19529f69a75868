// The standalone page for iframe embedding. It takes the element's
// configuration from its query string (?repo=acme/ops&incident=INC-1&…,
// the data-* names without "data-"), and tells the parent page its height
// whenever it changes:
//
// Where the pasted token goes belongs to the page's owner, not to whoever
// wrote a link: `api-base` and `github-url` are taken from the query string
// only when their origin is one this page's <meta name="postmortem-form-hosts">
// lists (GitHub.com's by default); any other is ignored, and the page says so.
//   { type: "postmortem-form:height", height: <CSS pixels> }
// sent to ?parent-origin=… when given (recommended), else to any origin
// (the height is not sensitive). The parent must check event.origin.

const params = new URLSearchParams(location.search);
const NAMES = ['repo', 'runbook', 'incident', 'api-base', 'github-url', 'label', 'draft-key', 'theme'];

const HOSTS = (document.querySelector('meta[name="postmortem-form-hosts"]')?.content || '')
  .split(/\s+/)
  .filter(Boolean);
const GUARDED = ['api-base', 'github-url'];

function allowed(value) {
  try {
    return HOSTS.includes(new URL(value).origin);
  } catch (_) {
    return false;
  }
}

const form = document.createElement('postmortem-form');
const ignored = [];
for (const name of NAMES) {
  const value = params.get(name);
  if (value === null || value === '') continue;
  if (GUARDED.includes(name) && !allowed(value)) {
    ignored.push(`${name}=${value}`);
    continue;
  }
  form.setAttribute('data-' + name, value);
}
if (ignored.length) {
  const note = document.createElement('p');
  note.setAttribute('role', 'alert');
  note.className = 'ignored';
  note.textContent = `This page ignored ${ignored.join(' and ')}: its owner lets the form send only to ${HOSTS.join(', ') || 'GitHub.com'}. To allow another GitHub, the page's owner adds it to the page's postmortem-form-hosts.`;
  document.getElementById('form-slot').before(note);
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
