// Plays a story's HLS video with hls.js (vendored, Apache-2.0, see
// vendor/hls.js/LICENSE) in browsers without HLS of their own; Safari and
// phones play the playlist natively, and without Media Source Extensions
// the browser keeps the MP4 source. Loaded once however many videos a page has.
(function () {
  if (window.hoituPlayer) return;
  window.hoituPlayer = true;
  var script = document.currentScript;
  var videos = [].slice.call(document.querySelectorAll("video[data-hls]"));
  var needed = videos.filter(function (video) {
    return !video.canPlayType("application/vnd.apple.mpegurl");
  });
  if (!needed.length || !window.MediaSource) return;
  var library = document.createElement("script");
  library.src = script.dataset.hlsLibrary;
  library.onload = function () {
    if (!window.Hls || !window.Hls.isSupported()) return;
    needed.forEach(function (video) {
      // A worker would need a blob: script, which the page's policy refuses.
      var hls = new window.Hls({ enableWorker: false, capLevelToPlayerSize: true });
      hls.loadSource(video.dataset.hls);
      hls.attachMedia(video);
      hls.on(window.Hls.Events.ERROR, function (event, data) {
        // Fatal: back to the MP4 the element already names.
        if (data.fatal) {
          hls.destroy();
          video.load();
        }
      });
    });
  };
  document.head.appendChild(library);
})();
