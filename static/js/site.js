// Small behaviours that don't need a round trip. Everything else is htmx.
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
