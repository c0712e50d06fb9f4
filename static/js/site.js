// Small behaviours that don't need a round trip. Everything else is htmx.
// No inline handlers in the templates: listeners here, delegated from the document.
function cartonifyTab(button) {
  const composer = button.closest("#composer");
  const kind = button.dataset.kind;
  composer.querySelectorAll(".tab").forEach((tab) => tab.classList.toggle("active", tab === button));
  const generateForm = composer.querySelector("#generate-form");
  const editForm = composer.querySelector("#edit-form");
  generateForm.hidden = kind === "edit";
  editForm.hidden = kind !== "edit";
  if (kind !== "edit") {
    generateForm.querySelector("[name=kind]").value = kind;
    generateForm.dataset.kind = kind;
  }
}

document.addEventListener("click", (event) => {
  const tab = event.target.closest("#composer .tab[data-kind]");
  if (tab) cartonifyTab(tab);
});

// The nav collapses to a menu on narrow screens (CSS); this button opens it.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".menu-toggle");
  if (!toggle) return;
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  document.getElementById(toggle.getAttribute("aria-controls")).classList.toggle("open", open);
});

// Theme: the system's (no cookie), light or dark; remembered in a cookie the server reads
// so the first paint is already right.
const THEME_ORDER = ["auto", "light", "dark"];
document.addEventListener("click", (event) => {
  const button = event.target.closest(".theme-switch");
  if (!button) return;
  const current = THEME_ORDER.indexOf(button.dataset.themeChoice);
  const next = THEME_ORDER[(current + 1) % THEME_ORDER.length];
  const maxAge = next === "auto" ? 0 : 60 * 60 * 24 * 365;
  document.cookie = `theme=${next}; path=/; max-age=${maxAge}; SameSite=Lax`;
  if (next === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = next;
  button.dataset.themeChoice = next;
  button.setAttribute("aria-label", `Theme: ${next}`);
});

// The installable app's service worker: it keeps the static shell and an offline page.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => navigator.serviceWorker.register("/sw.js"));
}

// --- Starter prompts (a newcomer's generator): a click fills the prompt and its look. ---
document.addEventListener("click", (event) => {
  const starter = event.target.closest("#composer .starter");
  if (!starter) return;
  const form = starter.closest("#composer").querySelector("#generate-form");
  form.querySelector("[name=style]").value = starter.dataset.style;
  form.querySelector("[name=color]").value = starter.dataset.color;
  const prompt = form.querySelector("#prompt");
  prompt.value = starter.dataset.prompt;
  prompt.focus();
});

// --- Results: a finished picture opens large in its lightbox (without JS: its page). ---
document.addEventListener("click", (event) => {
  const opener = event.target.closest("a[data-lightbox]");
  if (opener && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
    event.preventDefault();
    document.getElementById(opener.dataset.lightbox).showModal();
    return;
  }
  // A click on the backdrop (the dialog itself, outside its content) closes it.
  if (event.target.matches("dialog.lightbox[open]")) event.target.close();
});

// --- Copy and share -------------------------------------------------------------------
// "Copy" buttons: data-copy names the element whose text goes to the clipboard.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  navigator.clipboard.writeText(source.textContent.trim()).then(() => {
    button.textContent = "Copied";
  });
});

// The phone's own share sheet, where the browser has one (the button stays hidden elsewhere).
if (navigator.share) {
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-native-share]").forEach((button) => { button.hidden = false; });
  });
}
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-native-share]");
  if (!button) return;
  navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(() => {});
});
