// The parent side of the standalone page's height protocol: accept the
// message only from the frame's own origin and window.
const frame = document.getElementById('pm-frame');
const origin = new URL(frame.src, location.href).origin;
window.addEventListener('message', (event) => {
  if (event.origin !== origin || event.source !== frame.contentWindow) return;
  const data = event.data;
  if (data && data.type === 'postmortem-form:height' && Number.isFinite(data.height)) {
    frame.style.height = Math.max(200, Math.min(data.height, 20000)) + 'px';
  }
});
