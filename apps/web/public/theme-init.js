// Keep the key and values in sync with src/theme/theme-preference.ts.
try {
  var saved = localStorage.getItem('scripthut.theme');
  if (saved === 'light' || saved === 'dark') document.documentElement.dataset.theme = saved;
} catch (e) {
  // Storage can be disabled; the OS preference applies.
}
