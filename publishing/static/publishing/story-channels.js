/* The story editor's Channels tab.
 *
 * 1. Where the story went: while any delivery is open (pending, sending,
 *    retrying) the status list is refreshed from its JSON address every
 *    couple of seconds, and polling stops once all have settled.
 * 2. Per-channel copies: live character counters following each platform's
 *    limits and counting rules (given by the server), the reason a
 *    platform refuses the story, and a preview of the post.
 * No framework: plain DOM. */
(function () {
  "use strict";

  function readData() {
    var node = document.getElementById("hoitu-editor-data");
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (error) {
      return null;
    }
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // --- counting -------------------------------------------------------------

  var URL_RE = /https?:\/\/[^\s<>"]+/gi;

  function weighPlain(text, ranges) {
    var total = 0;
    var inEmoji = false;
    var afterJoiner = false;
    for (var i = 0; i < text.length; ) {
      var cp = text.codePointAt(i);
      i += cp > 0xffff ? 2 : 1;
      if (inEmoji && (cp === 0x200d || cp === 0xfe0f || cp === 0x20e3 || (cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0xe0020 && cp <= 0xe007f))) {
        afterJoiner = cp === 0x200d;
        continue;
      }
      var emoji = (cp >= 0x1f000 && cp <= 0x1faff) || (cp >= 0x2600 && cp <= 0x27bf) || (cp >= 0x2b00 && cp <= 0x2bff);
      if (emoji) {
        if (!(inEmoji && afterJoiner)) total += 2;
        inEmoji = true;
        afterJoiner = false;
        continue;
      }
      inEmoji = afterJoiner = false;
      var light = ranges.some(function (range) {
        return cp >= range[0] && cp <= range[1];
      });
      total += light ? 1 : 2;
    }
    return total;
  }

  function weighted(text, rules) {
    text = (text || "").normalize("NFC");
    var total = 0;
    var position = 0;
    var match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text)) !== null) {
      total += weighPlain(text.slice(position, match.index), rules.light_ranges) + rules.url_weight;
      position = match.index + match[0].length;
    }
    return total + weighPlain(text.slice(position), rules.light_ranges);
  }

  function characters(text) {
    return Array.from((text || "").normalize("NFC")).length;
  }

  function shorten(text, limit) {
    text = (text || "").trim();
    var chars = Array.from(text);
    if (chars.length <= limit) return text;
    var cut = chars.slice(0, Math.max(0, limit - 1)).join("");
    if (cut.indexOf(" ") >= 0) cut = cut.slice(0, cut.lastIndexOf(" "));
    return cut.replace(/[\s,;:.–-]+$/, "") + "…";
  }

  // --- one channel copy form ------------------------------------------------

  function CopyForm(data, prefix) {
    this.data = data;
    this.prefix = prefix;
    this.channelInput = document.getElementById("id_" + prefix + "-channel");
    this.includeInput = document.getElementById("id_" + prefix + "-include");
    this.headlineInput = document.getElementById("id_" + prefix + "-headline");
    this.textInput = document.getElementById("id_" + prefix + "-text");
    this.imageChooser = document.getElementById("id_" + prefix + "-image-chooser");
    this.container = document.getElementById("inline_child_" + prefix) || (this.textInput && this.textInput.closest("[data-inline-panel-child]"));
    if (!this.channelInput || !this.container) return;
    this.build();
    var update = this.update.bind(this);
    [this.channelInput, this.includeInput, this.headlineInput, this.textInput].forEach(function (input) {
      if (!input) return;
      input.addEventListener("input", update);
      input.addEventListener("change", update);
    });
    var imageInput = document.getElementById("id_" + prefix + "-image");
    if (imageInput) imageInput.addEventListener("change", update);
    if (this.imageChooser && window.MutationObserver) {
      new MutationObserver(update).observe(this.imageChooser, { attributes: true, subtree: true, childList: true });
    }
    this.update();
  }

  CopyForm.prototype.build = function () {
    var id = "hoitu-copy-" + this.prefix;
    this.extras = el("div", { className: "hoitu-copy-extras", id: id, "data-hoitu-copy": this.prefix });
    this.refusal = el("p", { className: "hoitu-refusal", "data-hoitu-refusal": "", hidden: "" });
    this.counters = el("div", { className: "hoitu-counters", "aria-live": "polite", "data-hoitu-counters": "" });
    this.preview = el("div", { className: "hoitu-preview", "data-hoitu-preview": "" });
    this.extras.append(this.refusal, this.counters, this.preview);
    var content = this.container.querySelector(".w-panel__content") || this.container;
    content.appendChild(this.extras);
    // Counters are announced with the field they count.
    if (this.headlineInput) this.headlineInput.setAttribute("aria-describedby", [this.headlineInput.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
    if (this.textInput) this.textInput.setAttribute("aria-describedby", [this.textInput.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
  };

  CopyForm.prototype.post = function () {
    var story = this.data.story;
    var headline = this.headlineInput && this.headlineInput.value.trim() ? this.headlineInput.value.trim() : story.headline;
    var text = this.textInput && this.textInput.value.trim() ? this.textInput.value.trim() : story.text;
    var image = story.image_url;
    if (this.imageChooser && !this.imageChooser.classList.contains("blank")) {
      var img = this.imageChooser.querySelector("img");
      if (img && img.getAttribute("src")) image = img.getAttribute("src");
    }
    return { headline: headline || "", text: text || "", url: story.url || "", image_url: image || "" };
  };

  CopyForm.prototype.update = function () {
    var channel = this.data.channels[this.channelInput.value];
    var messages = this.data.messages;
    this.counters.textContent = "";
    this.preview.textContent = "";
    this.refusal.hidden = true;
    if (!channel) return;
    var post = this.post();
    var excluded = this.includeInput && this.includeInput.value === "never";

    // Limits, counted the platform's way.
    var reasons = [];
    var fitted = { headline: post.headline, text: post.text };
    var self = this;
    channel.limits.forEach(function (limit) {
      var value = post[limit.field] !== undefined ? post[limit.field] : "";
      if (limit.required && !value) {
        reasons.push(format(messages.required, { field: limit.label, platform: channel.platform }));
      }
      if (!limit.max) return;
      var count;
      if (channel.counting.mode === "weighted") {
        // The whole post (headline, text, link) is what the platform counts.
        value = [post.headline, post.text, post.url].filter(Boolean).join("\n\n");
        count = weighted(value, channel.counting);
      } else {
        count = characters(value);
        // The adapter shortens what is too long; the preview shows that.
        if (count > limit.max && fitted[limit.field] !== undefined) fitted[limit.field] = shorten(fitted[limit.field], limit.max);
      }
      var line = el("p", { className: "hoitu-counter", "data-field": limit.field, "data-max": String(limit.max), "data-count": String(count) });
      line.textContent = format(messages.count, { label: limit.label, count: count, max: limit.max });
      if (count > limit.max) {
        line.classList.add("hoitu-counter--over");
        line.textContent += " " + format(messages.over, { over: count - limit.max });
      }
      self.counters.appendChild(line);
    });
    if (channel.refusal) reasons.unshift(channel.refusal);
    if (reasons.length && !excluded) {
      this.refusal.textContent = format(messages.refused, { reason: reasons.join(" ") });
      this.refusal.hidden = false;
    }
    if (!excluded) this.renderPreview(channel, post, fitted);
  };

  CopyForm.prototype.renderPreview = function (channel, post, fitted) {
    var messages = this.data.messages;
    this.preview.className = "hoitu-preview hoitu-preview--" + channel.kind;
    var heading = el("p", { className: "w-label-3" }, format(messages.preview, { platform: channel.platform }));
    var card = el("figure", { className: "hoitu-preview__card", "aria-label": heading.textContent });
    if (post.image_url) card.appendChild(el("img", { className: "hoitu-preview__image", src: post.image_url, alt: "" }));
    var body = el("figcaption", { className: "hoitu-preview__body" });
    body.appendChild(el("p", { className: "hoitu-preview__headline", "data-hoitu-preview-headline": "" }, fitted.headline));
    if (fitted.text) body.appendChild(el("p", { className: "hoitu-preview__text", "data-hoitu-preview-text": "" }, fitted.text));
    if (post.url) {
      var host = post.url;
      try {
        host = new URL(post.url).host;
      } catch (error) {
        /* a relative address: show it as it is */
      }
      body.appendChild(el("p", { className: "hoitu-preview__link" }, host));
    }
    card.appendChild(body);
    this.preview.append(heading, card);
  };

  function setUpCopies(data) {
    var seen = {};
    function scan() {
      document.querySelectorAll('select[name^="channel_copies-"][name$="-channel"]').forEach(function (select) {
        var prefix = select.name.slice(0, -"-channel".length);
        if (prefix.indexOf("__prefix__") >= 0 || seen[prefix]) return;
        seen[prefix] = new CopyForm(data, prefix);
      });
    }
    scan();
    // Entries added with the panel's "Add" button.
    var panel = document.getElementById("id_channel_copies-FORMS");
    if (panel && window.MutationObserver) new MutationObserver(scan).observe(panel, { childList: true, subtree: true });
  }

  // --- live status ------------------------------------------------------------

  function setUpStatus(data) {
    var box = document.querySelector("[data-hoitu-status]");
    if (!box || !box.dataset.url) return;
    var table = box.querySelector("[data-hoitu-deliveries]");
    var live = box.querySelector("[data-hoitu-live]");
    var interval = parseInt(box.dataset.interval, 10) || 2000;
    var messages = data ? data.messages : {};
    var timer = null;

    function row(delivery) {
      var tr = el("tr", { "data-delivery": String(delivery.id), "data-state": delivery.state });
      var channel = el("td", {}, delivery.channel.name + " ");
      channel.appendChild(el("small", {}, delivery.channel.platform));
      var state = el("td");
      state.appendChild(el("span", { className: "w-status hoitu-state hoitu-state--" + delivery.state, "data-state": delivery.state }, delivery.state_label));
      if (delivery.removal) state.appendChild(el("small", {}, " " + (messages.removal || "")));
      var link = el("td");
      if (delivery.remote_url) link.appendChild(el("a", { href: delivery.remote_url, target: "_blank", rel: "noopener noreferrer" }, messages.view || delivery.remote_url));
      else link.textContent = "—";
      tr.append(channel, state, link, el("td", {}, String(delivery.attempts)), el("td", { className: "hoitu-error" }, delivery.error || "—"));
      return tr;
    }

    function render(payload) {
      if (!table) return;
      var body = table.querySelector("tbody");
      body.textContent = "";
      payload.deliveries.forEach(function (delivery) {
        body.appendChild(row(delivery));
      });
      table.hidden = payload.deliveries.length === 0;
      box.dataset.open = payload.open ? "true" : "false";
      if (live) live.textContent = payload.open ? messages.live || "" : messages.settled || "";
    }

    function poll() {
      timer = null;
      fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 403 || response.status === 404) return { deliveries: [], open: false, gone: true };
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (payload) {
          if (payload.gone) return;
          render(payload);
          if (payload.open) schedule();
        })
        .catch(function () {
          if (live) live.textContent = messages.error || "";
          schedule(interval * 3); // back off, but keep following the publish
        });
    }

    function schedule(delay) {
      if (timer === null) timer = window.setTimeout(poll, delay || interval);
    }

    if (box.dataset.open === "true") schedule();
  }

  function start() {
    var data = readData();
    setUpStatus(data);
    if (data) setUpCopies(data);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
