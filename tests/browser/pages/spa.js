// A single-page wiki in miniature: navigation swaps the content without a
// reload, as MkDocs Material's instant navigation and Docusaurus do.
const content = document.getElementById('content');
const pages = {
  runbook: () => {
    const h = document.createElement('h1');
    h.textContent = 'RB-021';
    return [h];
  },
  postmortem: () => {
    const h = document.createElement('h1');
    h.textContent = 'Postmortem';
    const form = document.createElement('postmortem-form');
    form.dataset.repo = 'acme/ops';
    form.dataset.incident = 'INC-SPA';
    return [h, form];
  },
};
function show() {
  const name = location.hash.slice(1) || 'postmortem';
  content.replaceChildren(...(pages[name] || pages.postmortem)());
}
window.addEventListener('hashchange', show);
show();
