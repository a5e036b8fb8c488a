// Starts GOV.UK Frontend's components. Kept in a file, not inline, so the CSP allows no inline script.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// "Copy link" buttons: shown only where a clipboard can be written; without one (or without
// JavaScript) the link stays in its readonly box to select and copy by hand.
for (const button of document.querySelectorAll("[data-module='app-copy-link']")) {
  const box = document.getElementById(button.dataset.copyFrom);
  const status = document.getElementById(button.dataset.copyStatus);
  if (!box || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(box.value);
      status.textContent = "Link copied.";
    } catch {
      box.select();
      status.textContent = "The link could not be copied: it is selected, copy it yourself.";
    }
  });
}
