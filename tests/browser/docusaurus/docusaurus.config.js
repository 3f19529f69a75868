// The smallest Docusaurus site that is a wiki: docs at the site's root and
// client-side navigation between them. tests/docusaurus.test.mjs puts the
// form's loader where `SCRIPTS` is, with the lines docs/embedding.md gives.
export default {
  title: 'Ops wiki',
  url: 'http://127.0.0.1',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  // SCRIPTS
  presets: [
    [
      'classic',
      {
        docs: { routeBasePath: '/', sidebarPath: false },
        blog: false,
        pages: false,
      },
    ],
  ],
};
