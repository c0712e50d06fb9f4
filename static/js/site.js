// Small behaviours that don't need a round trip. Everything else is htmx.
// No inline handlers in the templates: listeners here, delegated from the document.
function cartonifyTab(button) {
  const composer = button.closest("#composer");
  const kind = button.dataset.kind;
  composer.querySelectorAll(".tab").forEach((tab) => {
    const chosen = tab === button;
    tab.classList.toggle("active", chosen);
    tab.setAttribute("aria-selected", String(chosen));
    tab.tabIndex = chosen ? 0 : -1;
  });
  const generateForm = composer.querySelector("#generate-form");
  const editForm = composer.querySelector("#edit-form");
  generateForm.hidden = kind === "edit";
  editForm.hidden = kind !== "edit";
  if (kind !== "edit") {
    generateForm.querySelector("[name=kind]").value = kind;
    generateForm.dataset.kind = kind;
    generateForm.setAttribute("aria-labelledby", button.id);
  }
}

document.addEventListener("click", (event) => {
  const tab = event.target.closest("#composer .tab[data-kind]");
  if (tab) cartonifyTab(tab);
});

// Arrow keys, Home and End move between the composer's tabs (the ARIA tabs pattern).
const TAB_KEYS = { ArrowRight: 1, ArrowLeft: -1, Home: "first", End: "last" };
document.addEventListener("keydown", (event) => {
  const tab = event.target.closest("#composer .tab[data-kind]");
  if (!tab || !(event.key in TAB_KEYS)) return;
  const tabs = [...tab.parentElement.querySelectorAll(".tab")];
  const step = TAB_KEYS[event.key];
  let next = tabs.indexOf(tab) + (typeof step === "number" ? step : 0);
  if (step === "first") next = 0;
  if (step === "last") next = tabs.length - 1;
  const target = tabs[(next + tabs.length) % tabs.length];
  event.preventDefault();
  target.focus();
  cartonifyTab(target);
});

// The composer is swapped whole after each submit; a refused one keeps the files chosen,
// since a browser never refills a file input from the server's answer.
let cartonifyChosenFiles = null;
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.target.id !== "composer") return;
  cartonifyChosenFiles = new Map();
  event.detail.target.querySelectorAll("input[type=file]").forEach((input) => {
    if (input.files.length) cartonifyChosenFiles.set(`${input.form.id} ${input.name}`, input.files);
  });
});
document.addEventListener("htmx:afterSwap", (event) => {
  const composer = document.getElementById("composer");
  if (!composer || !cartonifyChosenFiles || event.detail.xhr.status < 400) return;
  composer.querySelectorAll("input[type=file]").forEach((input) => {
    const files = cartonifyChosenFiles.get(`${input.form.id} ${input.name}`);
    if (files) input.files = files;
  });
  cartonifyChosenFiles = null;
});

// Fields that matter only for some edit operations (the instruction) show for those alone.
function cartonifyEditFields(select) {
  select.form.querySelectorAll("[data-edit-operations]").forEach((field) => {
    field.hidden = !field.dataset.editOperations.split(" ").includes(select.value);
  });
}
document.addEventListener("change", (event) => {
  if (event.target.matches("select[name=edit_operation]")) cartonifyEditFields(event.target);
});
// On load and after each swap (an outerHTML swap's target is the element it replaced).
function cartonifyAllEditFields() {
  document.querySelectorAll("select[name=edit_operation]").forEach(cartonifyEditFields);
}
document.addEventListener("DOMContentLoaded", cartonifyAllEditFields);
document.addEventListener("htmx:afterSwap", cartonifyAllEditFields);

// "Start a picture from this one": Clear forgets the chosen image and offers an upload again.
document.addEventListener("click", (event) => {
  const clear = event.target.closest("[data-reference-clear]");
  if (!clear) return;
  const field = clear.closest(".reference-field");
  field.querySelector("[name=reference_output]").value = "";
  field.querySelector("[data-reference-upload]").hidden = false;
  clear.closest(".reference-chosen").remove();
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
