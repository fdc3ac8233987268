// Assessment pages: pick a grade by clicking its schematic; print buttons.
// Progressive enhancement only: the form works without JavaScript.
document.addEventListener("click", (event) => {
  const pick = event.target.closest(".grade-pick");
  if (pick) {
    const select = document.getElementById("id_grade");
    if (select && [...select.options].some((o) => o.value === pick.dataset.grade)) {
      select.value = pick.dataset.grade;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    return;
  }
  if (event.target.closest("[data-print]")) window.print();
});
