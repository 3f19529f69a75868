// The parent side of the height protocol, checking the origin.
window.heights = [];
const frame = document.getElementById('frame');
window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || event.source !== frame.contentWindow) return;
  if (event.data && event.data.type === 'postmortem-form:height') {
    window.heights.push(event.data.height);
    frame.style.height = event.data.height + 'px';
  }
});
