// "Tick every comment on this page": the header's box ticks or unticks the rows.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-hoitu-tick-all]");
  if (!all) return;
  const rows = () => document.querySelectorAll(".hoitu-comments-queue input[name=comment]");
  all.addEventListener("change", () => rows().forEach((box) => { box.checked = all.checked; }));
});
