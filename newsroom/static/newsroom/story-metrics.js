// The editor's checks panel times a story as the site does
// (assets.text.reading_minutes): Vietnamese read at 220 syllables a
// minute, rounded up, where Wagtail would take English's rate, rounded
// (a 100-word story: "0 phút"). Its word count is the story's own words
// already: the preview marks them (templates/base.html).
(() => {
  const WORDS_PER_MINUTE = 220;
  document.addEventListener('w-preview:content', (event) => {
    const words = event.detail && event.detail.metrics && event.detail.metrics.wordCount;
    if (typeof words !== 'number') return;
    // Wagtail writes its numbers right after this event: ours go after.
    queueMicrotask(() => {
      const shown = document.querySelector('[data-content-reading-time]');
      if (!shown) return;
      const minutes = words ? Math.max(1, Math.ceil(words / WORDS_PER_MINUTE)) : 0;
      shown.textContent = shown.textContent.replace(/\d+/, String(minutes));
    });
  });
})();
