// Sharing to Zalo without Zalo's script on our pages: where the browser has
// a share sheet (phones) Zalo is in it; elsewhere the story's link is copied
// for a Zalo chat. The button is shown only where this script runs.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-share-zalo]").forEach((button) => {
    const note = button.closest(".share").querySelector("[data-share-note]");
    const tell = (text, link) => {
      note.textContent = text;
      if (link) {
        const field = document.createElement("input");
        field.type = "text";
        field.readOnly = true;
        field.value = link;
        field.className = "share__link";
        note.append(" ", field);
        field.select();
      }
      note.hidden = false;
    };
    button.hidden = false;
    button.addEventListener("click", async () => {
      const { url, title } = button.dataset;
      if (navigator.share) {
        try {
          await navigator.share({ title, url });
          return;
        } catch (error) {
          if (error.name === "AbortError") return; // the reader closed the sheet
        }
      }
      try {
        await navigator.clipboard.writeText(url);
        tell(button.dataset.copied);
      } catch {
        tell(button.dataset.failed, url);
      }
    });
  });
});
