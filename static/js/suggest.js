/* As-you-type suggestions on the procedure search box (no framework, no CDN).
   The input carries data-suggest="<url>"; the server answers {"items": [{code, title, url}]}. */
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) { return; }
  var list = document.createElement("ul");
  list.className = "suggestions";
  list.id = "search-suggestions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-autocomplete", "list");
  input.parentNode.appendChild(list);
  var timer = null, active = -1, asked = "", controller = null;

  function close() { list.hidden = true; list.textContent = ""; active = -1; }

  function show(items) {
    list.textContent = "";
    active = -1;
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = item.url;
      var code = document.createElement("strong");
      code.textContent = item.code;
      a.appendChild(code);
      a.appendChild(document.createTextNode(" " + item.title));
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
  }

  function ask() {
    var text = input.value.trim();
    if (!text) { close(); return; }
    if (text === asked) { return; }
    asked = text;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    var url = input.dataset.suggest + "?q=" + encodeURIComponent(text);
    fetch(url, {credentials: "same-origin", signal: controller ? controller.signal : undefined,
                headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {items: []}; })
      .then(function (data) { if (text === asked) { show(data.items || []); } })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  function move(step) {
    var options = list.querySelectorAll("li");
    if (!options.length) { return; }
    if (active >= 0) { options[active].classList.remove("active"); }
    active = (active + step + options.length) % options.length;
    options[active].classList.add("active");
    options[active].setAttribute("aria-selected", "true");
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) { return; }
    if (event.key === "ArrowDown") { move(1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { move(-1); event.preventDefault(); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = list.querySelectorAll("li a")[active].href;
    }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 200); });
})();
