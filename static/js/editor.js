/* The body editor: a Markdown toolbar and a live preview rendered by the server
   (the very Markdown + sanitising of the detail page). Vanilla JS, no build. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Wrap the selection (or a placeholder) with before/after, or prefix each line.
  function edit(textarea, action, words) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var text = textarea.value, selected = text.slice(start, end);
    var before = text.slice(0, start), after = text.slice(end);
    var insert, caret;
    function wrap(mark, placeholder) {
      var inner = selected || placeholder;
      insert = mark + inner + mark;
      caret = [start + mark.length, start + mark.length + inner.length];
    }
    function prefix(make) {
      var lineStart = before.lastIndexOf("\n") + 1;
      before = text.slice(0, lineStart);
      var block = text.slice(lineStart, end) || "";
      var lines = block.split("\n");
      insert = lines.map(function (line, i) { return make(i) + line; }).join("\n");
      caret = [lineStart + insert.length, lineStart + insert.length];
      start = lineStart;
    }
    switch (action) {
      case "bold": wrap("**", words.phBold || "**"); break;
      case "italic": wrap("*", words.phItalic || "*"); break;
      case "heading": prefix(function () { return "## "; }); break;
      case "ul": prefix(function () { return "- "; }); break;
      case "ol": prefix(function (i) { return (i + 1) + ". "; }); break;
      case "link":
        insert = "[" + (selected || words.phLink || "link") + "](https://)";
        caret = [start + insert.length - 9, start + insert.length - 1];
        break;
      case "table":
        insert = (before && !before.endsWith("\n\n") ? "\n\n" : "") +
          "| " + (words.phTable || "1 | 2 | 3 | 4").split("|").join(" | ") + " |\n| --- | --- | --- | --- |\n| 1 |  |  |  |\n";
        caret = [start + insert.length, start + insert.length];
        break;
      default: return;
    }
    textarea.value = before + insert + after;
    textarea.focus();
    textarea.setSelectionRange(caret[0], caret[1]);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.querySelectorAll(".editor").forEach(function (editor) {
    var textarea = editor.querySelector("textarea");
    var preview = editor.querySelector(".editor-preview");
    var panes = editor.querySelector(".editor-panes");
    var form = textarea.form;
    var url = editor.dataset.previewUrl;
    var timer = null, sent = 0, dirty = false;

    function refresh() {
      var ticket = ++sent;
      var body = new FormData();
      body.append("body", textarea.value);
      fetch(url, { method: "POST", body: body, credentials: "same-origin",
                   headers: { "X-CSRFToken": csrfToken(form) } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
        .then(function (html) { if (ticket === sent) { preview.innerHTML = html; } })
        .catch(function () { preview.textContent = editor.dataset.previewError; });
    }

    editor.querySelectorAll("[data-md]").forEach(function (button) {
      button.addEventListener("click", function () { edit(textarea, button.dataset.md, editor.dataset); });
    });
    var toggle = editor.querySelector("[data-toggle-preview]");
    if (toggle) {
      toggle.addEventListener("click", function () { panes.classList.toggle("no-preview"); });
    }
    textarea.addEventListener("input", function () {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    });
    textarea.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && (event.key === "b" || event.key === "i")) {
        event.preventDefault();
        edit(textarea, event.key === "b" ? "bold" : "italic", editor.dataset);
      }
    });
    if (form) {
      form.addEventListener("submit", function () { dirty = false; });
      form.addEventListener("input", function () { dirty = true; });
      window.addEventListener("beforeunload", function (event) {
        if (dirty && form.dataset.warnUnsaved) {
          event.preventDefault();
          event.returnValue = form.dataset.warnUnsaved;
        }
      });
    }
    refresh();
  });
})();
