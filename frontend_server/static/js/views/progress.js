// "Run all" on any page: items one after another, with the page's progress bar and status line
// (#run-all-progress, #run-all-status) and its buttons disabled meanwhile. Resolves with the
// number of items whose run returned true; `stop(ok)`, if given, resolving true ends the run there.
import { t } from '../core/i18n.js';

export async function runWithProgress(items, nameOf, runItem, buttons, stop) {
  const progress = document.getElementById('run-all-progress');
  const status = document.getElementById('run-all-status');
  // The button that started the run is disabled meanwhile, which drops the keyboard focus to
  // <body>: it goes back there when the run ends.
  const focused = document.activeElement;
  for (const button of buttons) button.disabled = true;
  Object.assign(progress, { hidden: false, max: items.length, value: 0 });
  let succeeded = 0;
  try {
    for (const [index, item] of items.entries()) {
      status.textContent = t('progress.running', { n: index + 1, total: items.length, name: nameOf(item) });
      const ok = await runItem(item);
      if (ok) succeeded += 1;
      progress.value = index + 1;
      if (stop && (await stop(ok))) return succeeded;
    }
    status.textContent = t('progress.done', { n: items.length, total: items.length });
  } finally {
    for (const button of buttons) button.disabled = false;
    if (focused instanceof HTMLElement && document.activeElement === document.body) focused.focus();
  }
  return succeeded;
}
