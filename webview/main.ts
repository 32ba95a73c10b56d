// Entry point of the "Preview normalization" panel's script. The panel itself arrives with the
// preview feature; for now the bundle only shows that it loaded.
const root = document.getElementById('root');
if (root) root.textContent = 'NormLint preview';
